/**
 * The steps of a request about one citizen — a written request for their data (written_request_event,
 * decision 0040) and an agency's consent request (consent_event, decision 0044): rows keyed
 * (personal_id, the request's ID, seq) saying when, who, what kind, by which channel, with details.
 * Each is written once, with its transparency-log leaf, in the caller's transaction. A step follows
 * the write of the request's own row in that transaction (a new row, or a version-checked update that
 * holds the row), so the next seq read here is not raced.
 */
import type { Db } from '../schema.js';
import { commitRows } from './transparency-leaves.js';

export interface RequestEvent<K extends string = string> {
  seq: number;
  at: string;
  actorId: string;
  kind: K;
  channel?: string;
  details: Record<string, unknown>;
}

/** Each table of steps and its column naming the request. */
const REQUEST_COLUMN = { written_request_event: 'request_id', consent_event: 'consent_id' } as const;

type StepTable = keyof typeof REQUEST_COLUMN;

/** Whose request and which: the person (every key of theirs starts with it) and the request's ID. */
export interface RequestKey {
  personalId: string;
  requestId: string;
}

/**
 * Writes a step and its leaf; without a seq it is the request's highest + 1. A second step with the
 * same seq is the store's unique violation, thrown as it comes.
 */
export async function appendRequestEvent(db: Db, table: StepTable, key: RequestKey, e: Omit<RequestEvent, 'seq'> & { seq?: number }): Promise<void> {
  const seq = e.seq ?? (await lastSeq(db, table, key)) + 1;
  const row = {
    personal_id: key.personalId,
    [REQUEST_COLUMN[table]]: key.requestId,
    seq,
    at: e.at,
    actor_id: e.actorId,
    kind: e.kind,
    channel: e.channel ?? null,
    details: JSON.stringify(e.details),
  };
  await db.insertInto(table).values(row).execute();
  await commitRows(db, table, [row], e.at);
}

async function lastSeq(db: Db, table: StepTable, key: RequestKey): Promise<number> {
  const last = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('personal_id', '=', key.personalId)
    .where(REQUEST_COLUMN[table], '=', key.requestId)
    .executeTakeFirst();
  return Number(last?.seq ?? 0);
}

/** A request's steps, first to last. */
export async function requestEvents<K extends string>(db: Db, table: StepTable, key: RequestKey): Promise<RequestEvent<K>[]> {
  const rows = await db.selectFrom(table).selectAll().where('personal_id', '=', key.personalId).where(REQUEST_COLUMN[table], '=', key.requestId).orderBy('seq').execute();
  return rows.map((e) => ({
    seq: Number(e.seq),
    at: e.at,
    actorId: e.actor_id,
    kind: e.kind as K,
    ...(e.channel ? { channel: e.channel } : {}),
    details: JSON.parse(e.details) as Record<string, unknown>,
  }));
}
