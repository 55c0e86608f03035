/**
 * The subscriber register's rows (migration 0016, decision 0039): what a batch of lines needs read
 * (owners of its numbers, its citizens, the operator's records) and everything a batch writes — the
 * link events with their leaves, the owners, the records, the rejected lines and the import's
 * progress marker — in the caller's transaction, so they commit together.
 */
import type { BatchResult, BatchState, KnownRecord, LineProblem, NumberOwner, SubscriberAction } from '../../domain/telecom/subscriber-lines.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isSqlite } from '../dialect.js';
import { CompiledQuery } from 'kysely';
import { IN_GROUP } from '../in-groups.js';
import { setInsert } from '../set-insert.js';
import type { Db } from '../schema.js';
import type { SubscriberImportTable, SubscriberLinkEventTable } from '../schema-subscribers.js';
import { commitRows } from './transparency-leaves.js';

/**
 * A table written a set at a time (store/set-insert.ts): a handful of statements per table per batch,
 * prepared once. Callers pass rows in key order: inserting into a B-tree in order touches each page
 * once — on SQLite it measured 2–3× faster than the same rows in file order.
 */
function setWriter<T extends object>(table: string, columns: readonly (keyof T & string)[], pgTypes: readonly string[]): (db: Db, rows: readonly T[]) => Promise<void> {
  const insert = setInsert(table, columns, pgTypes);
  return (db, rows) => insert(db, rows.map((r) => columns.map((c) => r[c])));
}

type EventRow = SubscriberLinkEventTable;
type OwnerRow = { number: string; personal_id: string; link_id: string; operator_code: string; record_id: string; confirmed_at: string };
type RecordRow = { operator_code: string; record_id: string; action: string; number: string; personal_id: string; at: string; outcome: string };
type RejectRow = { operator_code: string; import_key: string; line_no: number; code: string; field: string | null };

const insertEvents = setWriter<EventRow>('subscriber_link_event', ['personal_id', 'link_id', 'kind', 'recorded_at', 'number', 'operator_code', 'record_id', 'at', 'reason'], Array(9).fill('text'));
const insertOwners = setWriter<OwnerRow>('subscriber_number', ['number', 'personal_id', 'link_id', 'operator_code', 'record_id', 'confirmed_at'], Array(6).fill('text'));
const insertRecords = setWriter<RecordRow>('subscriber_record', ['operator_code', 'record_id', 'action', 'number', 'personal_id', 'at', 'outcome'], Array(7).fill('text'));
const insertRejects = setWriter<RejectRow>('subscriber_import_reject', ['operator_code', 'import_key', 'line_no', 'code', 'field'], ['text', 'text', 'int', 'text', 'text']);

/**
 * Rows in the order of a key computed once per row: a compound key built inside the comparator was
 * built twice per comparison (~17 times per row for a 50,000-row batch) and measured as much CPU as
 * one of the batch's inserts.
 */
function inKeyOrder<T>(rows: readonly T[], key: (r: T) => string): T[] {
  const keyed = rows.map((r) => ({ k: key(r), r }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.r);
}

/**
 * Rows whose key is in a list, in one statement: SQLite reads the list from one JSON text, PostgreSQL
 * from one bound array (`= any`), so a batch's reads cost three statements whatever its size.
 */
async function rowsWithKeyIn<R>(db: Db, q: { sqlite: string; pg: string }, keys: readonly string[], before: readonly unknown[] = []): Promise<R[]> {
  if (keys.length === 0) return [];
  const sqlite = isSqlite(db);
  const r = await db.executeQuery<R>(CompiledQuery.raw(sqlite ? q.sqlite : q.pg, [...before, sqlite ? JSON.stringify(keys) : keys]));
  return r.rows;
}

const toOwner = (r: OwnerRow): NumberOwner => ({
  number: r.number,
  personalId: r.personal_id,
  linkId: r.link_id,
  operator: r.operator_code,
  recordId: r.record_id,
  confirmedAt: r.confirmed_at,
});

/**
 * What the store holds for a batch. PostgreSQL: the numbers' owner rows are locked (a concurrent
 * batch touching one of them waits); a number with no owner row is guarded by its primary key when
 * inserted. SQLite: the write transaction already holds the database's one writer lock.
 */
export async function readBatchState(db: Db, operator: string, keys: { numbers: readonly string[]; personalIds: readonly string[]; recordIds: readonly string[] }): Promise<BatchState> {
  const owners = await rowsWithKeyIn<OwnerRow>(
    db,
    {
      sqlite: 'select number, personal_id, link_id, operator_code, record_id, confirmed_at from subscriber_number where number in (select value from json_each(?))',
      // Locked in key order: two batches locking overlapping numbers never wait on each other in a cycle.
      pg: 'select number, personal_id, link_id, operator_code, record_id, confirmed_at from subscriber_number where number = any($1::text[]) order by number for update',
    },
    [...new Set(keys.numbers)],
  );
  const citizens = await rowsWithKeyIn<{ personal_id: string }>(
    db,
    { sqlite: 'select personal_id from citizen where personal_id in (select value from json_each(?))', pg: 'select personal_id from citizen where personal_id = any($1::text[])' },
    [...new Set(keys.personalIds)],
  );
  const records = await rowsWithKeyIn<{ record_id: string; action: string; number: string; personal_id: string; at: string }>(
    db,
    {
      sqlite: 'select record_id, action, number, personal_id, at from subscriber_record where operator_code = ? and record_id in (select value from json_each(?))',
      pg: 'select record_id, action, number, personal_id, at from subscriber_record where operator_code = $1 and record_id = any($2::text[])',
    },
    [...new Set(keys.recordIds)],
    [operator],
  );
  return {
    owners: new Map(owners.map((r) => [r.number, toOwner(r)])),
    citizens: new Set(citizens.map((r) => r.personal_id)),
    records: new Map(records.map((r) => [r.record_id, { action: r.action as SubscriberAction, number: r.number, personalId: r.personal_id, at: r.at } satisfies KnownRecord])),
  };
}

export interface ImportProgress {
  importKey: string;
  linesDone: number;
  counts: { applied: number; unchanged: number; duplicates: number; rejected: number };
  rejects: { lineNo: number; problem: LineProblem }[];
  done: boolean;
}

/** Writes what a batch decided: `before` holds the owners as read, the state's owners are those after it. */
export async function writeBatch(
  db: Db,
  operator: string,
  before: ReadonlyMap<string, NumberOwner>,
  state: BatchState,
  result: BatchResult,
  recordedAt: string,
  progress?: ImportProgress,
): Promise<void> {
  const events: SubscriberLinkEventTable[] = result.events.map((e) => ({
    personal_id: e.personalId,
    link_id: e.linkId,
    kind: e.kind,
    recorded_at: recordedAt,
    number: e.number,
    operator_code: e.operator,
    record_id: e.recordId,
    at: e.at,
    reason: e.reason,
  }));
  const ordered = inKeyOrder(events, (e) => `${e.personal_id}\u0000${e.link_id}\u0000${e.kind}`);
  await insertEvents(db, ordered);
  await commitRows(db, 'subscriber_link_event', ordered, recordedAt);
  const touched = [...result.touched];
  // Owners replaced or ended are deleted only if still the ones read: a writer that got there first
  // (PostgreSQL, a number that had no owner row to lock) makes this batch a lost race, retried.
  const replaced = touched.flatMap((n) => {
    const o = before.get(n);
    return o ? [[o.number, o.linkId] as const] : [];
  });
  for (let i = 0; i < replaced.length; i += IN_GROUP) {
    const g = replaced.slice(i, i + IN_GROUP);
    const r = await db
      .deleteFrom('subscriber_number')
      .where((eb) => eb(eb.refTuple('number', 'link_id'), 'in', g.map(([n, l]) => eb.tuple(n, l))))
      .executeTakeFirst();
    if (Number(r.numDeletedRows) !== g.length) throw new RegistryError('CONCURRENT_UPDATE');
  }
  const owners: OwnerRow[] = touched.flatMap((n) => {
    const o = state.owners.get(n);
    return o ? [{ number: o.number, personal_id: o.personalId, link_id: o.linkId, operator_code: o.operator, record_id: o.recordId, confirmed_at: o.confirmedAt }] : [];
  });
  await insertOwners(db, inKeyOrder(owners, (o) => o.number));
  const records: RecordRow[] = result.records.map((r) => ({ operator_code: operator, record_id: r.recordId, action: r.action, number: r.number, personal_id: r.personalId, at: r.at, outcome: r.outcome }));
  await insertRecords(db, inKeyOrder(records, (r) => r.record_id));
  if (!progress) return;
  const rejects: RejectRow[] = progress.rejects.map((r) => ({ operator_code: operator, import_key: progress.importKey, line_no: r.lineNo, code: r.problem.code, field: r.problem.field ?? null }));
  await insertRejects(db, rejects);
  await db
    .updateTable('subscriber_import')
    .set({
      lines_done: progress.linesDone,
      applied: progress.counts.applied,
      unchanged: progress.counts.unchanged,
      duplicates: progress.counts.duplicates,
      rejected: progress.counts.rejected,
      status: progress.done ? 'done' : 'running',
      updated_at: recordedAt,
    })
    .where('operator_code', '=', operator)
    .where('import_key', '=', progress.importKey)
    .execute();
}

/** The import's marker, created on first start (a rerun finds the one it left). */
export async function openImport(db: Db, operator: string, importKey: string, format: string, at: string): Promise<SubscriberImportTable> {
  await db
    .insertInto('subscriber_import')
    .values({ operator_code: operator, import_key: importKey, format, lines_done: 0, applied: 0, unchanged: 0, duplicates: 0, rejected: 0, status: 'running', started_at: at, updated_at: at })
    .onConflict((oc) => oc.columns(['operator_code', 'import_key']).doNothing())
    .execute();
  return (await findImport(db, operator, importKey))!;
}

export async function findImport(db: Db, operator: string, importKey: string): Promise<SubscriberImportTable | undefined> {
  return db.selectFrom('subscriber_import').selectAll().where('operator_code', '=', operator).where('import_key', '=', importKey).executeTakeFirst();
}

/** An import's rejected lines in line order, from a line on (a page). */
export async function importRejects(db: Db, operator: string, importKey: string, afterLine: number, limit: number): Promise<{ lineNo: number; code: string; field: string | null }[]> {
  const rows = await db
    .selectFrom('subscriber_import_reject')
    .select(['line_no', 'code', 'field'])
    .where('operator_code', '=', operator)
    .where('import_key', '=', importKey)
    .where('line_no', '>', afterLine)
    .orderBy('line_no')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ lineNo: Number(r.line_no), code: r.code, field: r.field }));
}

export async function findNumberOwner(db: Db, number: string): Promise<NumberOwner | undefined> {
  const r = await db.selectFrom('subscriber_number').selectAll().where('number', '=', number).executeTakeFirst();
  return r ? toOwner(r) : undefined;
}

/** Every link event of a citizen under any of their numbers (a re-issue leaves the old ones), oldest first. */
export async function linkEventsOf(db: Db, personalIds: readonly string[]): Promise<SubscriberLinkEventTable[]> {
  if (personalIds.length === 0) return [];
  return db.selectFrom('subscriber_link_event').selectAll().where('personal_id', 'in', personalIds).orderBy('link_id').orderBy('kind', 'desc').execute();
}

/** How many numbers have a current owner (the demo and the bench report it). */
export async function countLinkedNumbers(db: Db): Promise<number> {
  const r = await db.selectFrom('subscriber_number').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A page of the mobile numbers citizens' records carry (phone_lookup), in number order: the demo's list. */
export async function recordedPhonesPage(db: Db, afterPhone: string, limit: number): Promise<{ phone: string; personalId: string }[]> {
  const rows = await db.selectFrom('phone_lookup').select(['phone', 'personal_id']).where('phone', '>', afterPhone).orderBy('phone').limit(limit).execute();
  return rows.map((r) => ({ phone: r.phone, personalId: r.personal_id }));
}

/** One number an operator has linked now (the demo's hint), if any. */
export async function firstLinkedNumber(db: Db, operator: string): Promise<string | undefined> {
  const r = await db.selectFrom('subscriber_number').select('number').where('operator_code', '=', operator).orderBy('number').limit(1).executeTakeFirst();
  return r?.number;
}
