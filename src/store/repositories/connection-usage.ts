/**
 * A connection's usage counters (served calls per local day, hour and minute), keyed by connection
 * (decision 0030). A call claims its place in them before it is served — one statement that counts it
 * in the three periods only while the day's quota and the minute's allowance leave room — so that
 * calls arriving together, in any number of server processes, never pass a limit together. A call
 * that is then not served gives its place back. The counters are written apart from the access
 * entries (keyed by personal ID): one transaction never spans both keys. After a crash they can be
 * ahead of the entries (claimed, never recorded), never behind; `reconcileUsage` (access-log.ts) sets
 * them to what the entries say when the server starts.
 */
import { sql } from 'kysely';
import type { Db } from '../schema.js';
import type { UsagePeriods } from './access-log.js';
import { preparedReturning } from '../fast-read.js';

/** Counts after the call: its place in each period. */
export interface UsageCounts {
  day: number;
  hour: number;
  minute: number;
}

export type UsageClaim = { claimed: true; counts: UsageCounts } | { claimed: false; full: 'day' | 'minute' };

/** No quota: a day limit no count reaches (an int4 on PostgreSQL), so that one statement serves both. */
const NO_LIMIT = 2_147_483_647;

// Compiled once: a served exchange call runs it every time.
const claimStatement = preparedReturning(6, (db, connectionId: string, day: string, hour: string, minute: string, dayLimit: number, minuteLimit: number) =>
  db
    .insertInto('connection_usage')
    // In period order (day < hour < minute as text): two processes claiming at once lock the rows in
    // the same order (on PostgreSQL another order could deadlock them).
    .values([day, hour, minute].map((period) => ({ connection_id: connectionId, period, calls: 1 })))
    .onConflict((oc) =>
      oc
        .columns(['connection_id', 'period'])
        .doUpdateSet({ calls: sql<number>`connection_usage.calls + 1` })
        .where((eb) =>
          eb.or([
            eb('connection_usage.period', '=', hour),
            eb.and([eb('connection_usage.period', '=', day), eb('connection_usage.calls', '<', dayLimit)]),
            eb.and([eb('connection_usage.period', '=', minute), eb('connection_usage.calls', '<', minuteLimit)]),
          ]),
        ),
    )
    .returning(['period', 'calls']),
);

/**
 * Counts one call in its day, hour and minute if the day holds fewer than `dayLimit` calls (none:
 * no quota) and the minute fewer than `minuteLimit`; otherwise counts it nowhere. Both limits ≥ 1
 * (a limit of 0 is a refusal the caller decides without claiming).
 */
export async function claimUsage(db: Db, connectionId: string, p: UsagePeriods, limits: { dayLimit?: number; minuteLimit: number }): Promise<UsageClaim> {
  if (limits.minuteLimit < 1 || (limits.dayLimit !== undefined && limits.dayLimit < 1)) throw new RangeError('a limit below 1 is a refusal, not a claim');
  const rows = await claimStatement.rows(db, connectionId, p.day, p.hour, p.minute, Math.min(limits.dayLimit ?? NO_LIMIT, NO_LIMIT), Math.min(limits.minuteLimit, NO_LIMIT));
  const counted = new Map(rows.map((r) => [r.period, Number(r.calls)]));
  const day = counted.get(p.day);
  const minute = counted.get(p.minute);
  if (day !== undefined && minute !== undefined) return { claimed: true, counts: { day, hour: counted.get(p.hour) ?? 0, minute } };
  // One period was full: the places taken in the others are given back.
  await releaseUsage(db, connectionId, [...counted.keys()]);
  return { claimed: false, full: day === undefined ? 'day' : 'minute' };
}

/** One call's claim: its connection, its periods and the limits it is claimed under. */
export interface UsageClaimRequest {
  connectionId: string;
  periods: UsagePeriods;
  limits: { dayLimit?: number; minuteLimit: number };
}

// k places at once, only while the day and the minute leave room for all k (the hour always counts).
const claimManyStatement = preparedReturning(7, (db, connectionId: string, day: string, hour: string, minute: string, k: number, dayRoom: number, minuteRoom: number) =>
  db
    .insertInto('connection_usage')
    .values([day, hour, minute].map((period) => ({ connection_id: connectionId, period, calls: k })))
    .onConflict((oc) =>
      oc
        .columns(['connection_id', 'period'])
        .doUpdateSet({ calls: sql<number>`connection_usage.calls + ${k}` })
        .where((eb) =>
          eb.or([
            eb('connection_usage.period', '=', hour),
            eb.and([eb('connection_usage.period', '=', day), eb('connection_usage.calls', '<=', dayRoom)]),
            eb.and([eb('connection_usage.period', '=', minute), eb('connection_usage.calls', '<=', minuteRoom)]),
          ]),
        ),
    )
    .returning(['period', 'calls']),
);

/**
 * Claims of calls, in order, each with the result it would have had claimed alone one after the
 * other (the caller's transaction). When they are of one connection and one minute, and the day and
 * the minute leave room for every one of them under the lowest limits asked, one statement counts
 * them all and each gets the next place; otherwise (or if that statement finds no room) each is
 * claimed on its own. A group commit of the recorder makes its claims this way (decision 0036).
 */
export async function claimUsages(db: Db, claims: readonly UsageClaimRequest[]): Promise<UsageClaim[]> {
  const k = claims.length;
  const first = claims[0];
  if (k > 1 && first && claims.every((c) => c.connectionId === first.connectionId && samePeriods(c.periods, first.periods))) {
    const dayLimit = Math.min(...claims.map((c) => c.limits.dayLimit ?? NO_LIMIT), NO_LIMIT);
    const minuteLimit = Math.min(...claims.map((c) => c.limits.minuteLimit), NO_LIMIT);
    // A counter not yet there is inserted as k without a condition: only when k fits under both limits.
    if (k <= dayLimit && k <= minuteLimit) {
      const p = first.periods;
      const rows = await claimManyStatement.rows(db, first.connectionId, p.day, p.hour, p.minute, k, dayLimit - k, minuteLimit - k);
      const counted = new Map(rows.map((r) => [r.period, Number(r.calls)]));
      const day = counted.get(p.day);
      const minute = counted.get(p.minute);
      if (day !== undefined && minute !== undefined) {
        const hour = counted.get(p.hour) ?? 0;
        return claims.map((_, i) => ({ claimed: true, counts: { day: day - k + i + 1, hour: hour - k + i + 1, minute: minute - k + i + 1 } }));
      }
      // Not room for all of them: the k places taken in the other periods are given back, and each is claimed alone.
      if (counted.size > 0) await releaseUsage(db, first.connectionId, [...counted.keys()], k);
    }
  }
  const out: UsageClaim[] = [];
  for (const c of claims) out.push(await claimUsage(db, c.connectionId, c.periods, c.limits));
  return out;
}

const samePeriods = (a: UsagePeriods, b: UsagePeriods) => a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/** Gives back the place a call claimed in these periods (it was not served after all), or `places` of them. */
export async function releaseUsage(db: Db, connectionId: string, periods: readonly string[], places = 1): Promise<void> {
  if (periods.length === 0) return;
  await db
    .updateTable('connection_usage')
    .set({ calls: sql<number>`calls - ${places}` })
    .where('connection_id', '=', connectionId)
    .where('period', 'in', [...periods].sort())
    .where('calls', '>=', places)
    .execute();
}

/** Connections that may be serving calls (their counters are set right when a server starts). */
export async function connectionsWithCounters(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('exchange_connection').select('connection_id').where('state', 'in', ['testing', 'active', 'suspended']).orderBy('connection_id').execute();
  return rows.map((r) => r.connection_id);
}
