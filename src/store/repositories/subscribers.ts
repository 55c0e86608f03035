/**
 * The subscriber register's rows (migration 0016, decision 0039): what a batch of lines needs read
 * (owners of its numbers, its citizens, the operator's records) and everything a batch writes — the
 * link events with their leaves, the owners, the records, the rejected lines and the import's
 * progress marker — in the caller's transaction, so they commit together.
 */
import type { BatchResult, BatchState, KnownRecord, LineProblem, NumberOwner, SubscriberAction } from '../../domain/telecom/subscriber-lines.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isSqlite } from '../dialect.js';
import { preparedWrite, type PreparedWrite } from '../fast-read.js';
import { inGroups } from '../in-groups.js';
import type { Db } from '../schema.js';
import type { SubscriberImportTable, SubscriberLinkEventTable } from '../schema-subscribers.js';
import { commitRows } from './transparency-leaves.js';

/** Rows per multi-row insert: well within both stores' limits on bound parameters. */
const INSERT_ROWS = 500;

/**
 * PostgreSQL: multi-row inserts (one round trip per 500 rows). SQLite: one statement compiled once
 * and run per row on the connection — building a 500-row statement costs more than running it.
 */
async function insertRows<T>(db: Db, rows: readonly T[], multi: (chunk: T[]) => Promise<unknown>, single: PreparedWrite<[T]>): Promise<void> {
  if (isSqlite(db)) {
    for (const r of rows) await single.run(db, r);
    return;
  }
  for (let i = 0; i < rows.length; i += INSERT_ROWS) await multi(rows.slice(i, i + INSERT_ROWS));
}

type EventRow = SubscriberLinkEventTable;
type OwnerRow = { number: string; personal_id: string; link_id: string; operator_code: string; record_id: string; confirmed_at: string };
type RecordRow = { operator_code: string; record_id: string; action: string; number: string; personal_id: string; at: string; outcome: string };
type RejectRow = { operator_code: string; import_key: string; line_no: number; code: string; field: string | null };

// Compiled once with a marker object: each column is a bound parameter (see fast-read.ts).
const insertEvent = rowWriter<EventRow>('subscriber_link_event', ['personal_id', 'link_id', 'kind', 'recorded_at', 'number', 'operator_code', 'record_id', 'at', 'reason']);
const insertOwner = rowWriter<OwnerRow>('subscriber_number', ['number', 'personal_id', 'link_id', 'operator_code', 'record_id', 'confirmed_at']);
const insertRecord = rowWriter<RecordRow>('subscriber_record', ['operator_code', 'record_id', 'action', 'number', 'personal_id', 'at', 'outcome']);
const insertReject = rowWriter<RejectRow>('subscriber_import_reject', ['operator_code', 'import_key', 'line_no', 'code', 'field']);

function rowWriter<T extends object>(table: 'subscriber_link_event' | 'subscriber_number' | 'subscriber_record' | 'subscriber_import_reject', columns: readonly (keyof T & string)[]): PreparedWrite<[T]> {
  const write = preparedWrite(columns.length, (db: Db, ...values: unknown[]) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (db as any).insertInto(table).values(Object.fromEntries(columns.map((c, i) => [c, values[i]]))),
  );
  return { run: (db, row) => write.run(db, ...columns.map((c) => (row as Record<string, unknown>)[c])) };
}

const toOwner = (r: { number: string; personal_id: string; link_id: string; operator_code: string; record_id: string; confirmed_at: string }): NumberOwner => ({
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
  const lock = !isSqlite(db);
  const owners = await inGroups([...new Set(keys.numbers)], (g) => {
    const q = db.selectFrom('subscriber_number').selectAll().where('number', 'in', g).orderBy('number');
    return (lock ? q.forUpdate() : q).execute();
  });
  const citizens = await inGroups([...new Set(keys.personalIds)], (g) => db.selectFrom('citizen').select('personal_id').where('personal_id', 'in', g).execute());
  const records = await inGroups([...new Set(keys.recordIds)], (g) =>
    db.selectFrom('subscriber_record').select(['record_id', 'action', 'number', 'personal_id', 'at']).where('operator_code', '=', operator).where('record_id', 'in', g).execute(),
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
  await insertRows(db, events, (c) => db.insertInto('subscriber_link_event').values(c).execute(), insertEvent);
  await commitRows(db, 'subscriber_link_event', events, recordedAt);
  const touched = [...result.touched];
  // Owners replaced or ended are deleted only if still the ones read: a writer that got there first
  // (PostgreSQL, a number that had no owner row to lock) makes this batch a lost race, retried.
  const replaced = touched.flatMap((n) => {
    const o = before.get(n);
    return o ? [[o.number, o.linkId] as const] : [];
  });
  for (let i = 0; i < replaced.length; i += INSERT_ROWS) {
    const g = replaced.slice(i, i + INSERT_ROWS);
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
  await insertRows(db, owners, (c) => db.insertInto('subscriber_number').values(c).execute(), insertOwner);
  const records: RecordRow[] = result.records.map((r) => ({ operator_code: operator, record_id: r.recordId, action: r.action, number: r.number, personal_id: r.personalId, at: r.at, outcome: r.outcome }));
  await insertRows(db, records, (c) => db.insertInto('subscriber_record').values(c).execute(), insertRecord);
  if (!progress) return;
  const rejects: RejectRow[] = progress.rejects.map((r) => ({ operator_code: operator, import_key: progress.importKey, line_no: r.lineNo, code: r.problem.code, field: r.problem.field ?? null }));
  await insertRows(db, rejects, (c) => db.insertInto('subscriber_import_reject').values(c).execute(), insertReject);
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

/** Every link event of a citizen, oldest first. */
export async function linkEventsOf(db: Db, personalId: string): Promise<SubscriberLinkEventTable[]> {
  return db.selectFrom('subscriber_link_event').selectAll().where('personal_id', '=', personalId).orderBy('link_id').orderBy('kind', 'desc').execute();
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
