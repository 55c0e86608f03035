/**
 * Citizens see who used their data (issue 13 item 3; decision 0032): the usage view of dancu's own
 * channels, the Estonia Data Tracker–compatible answer, and receipts. Every entry keyed by the
 * person's ID — the current one or any it replaced (a legal re-issue) — is theirs to see once the
 * visibility decisions let it through; an entry is readable as soon as its transaction committed
 * (the entries are read from the store itself, no batching).
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { dayOf } from '../../domain/dates/partial-date.js';
import { representationGround, type RepresentationGround } from '../../domain/accountability/representation.js';
import { visibilityOf, type PersonHolds, type VisibilityRules } from '../../domain/accountability/visibility.js';
import { trackerAction, usageKindOf, type UsageKind } from '../../domain/accountability/usage.js';
import type { Citizen } from '../../domain/citizen/citizen.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { earliestEntryAt, entriesOfPerson, entryOfPerson, holdsOf, peopleOfUses, receiversOf, releasesOf, visibilityRulesOf, type PersonEntry } from '../../store/repositories/citizen-usage.js';
import { currentPersonalId, numbersOfPeople, numbersOfPerson } from '../../store/repositories/personal-ids.js';
import type { StoredAccessEntry } from '../../store/repositories/access-log.js';
import type { Principal } from '../../store/repositories/principals.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { receiptFor } from '../transparency/receipts.js';
import type { ServiceContext } from '../context.js';

/** The system name shown for the registry's own channels (officers, inspectors, jobs). */
export const REGISTRY_SYSTEM = 'dancu';

/** Whose view it is and on what ground; for another person, the two records the ground was read from. */
export interface PersonInView {
  personalId: string;
  ground: RepresentationGround;
  /**
   * The signed-in citizen's and the person's records under their current numbers (absent for
   * oneself); the actor's with every number they have held, which the person's record may name.
   */
  records?: { actor: Citizen & { numbers: readonly string[] }; person: Citizen };
}

/**
 * Whose usage the signed-in citizen asks for (their own when `personalId` is absent), and on what
 * ground; NOT_REPRESENTED otherwise — also when the person does not exist (nothing is revealed).
 */
export async function personInView(ctx: ServiceContext, principal: Principal | undefined, personalId: string | undefined): Promise<PersonInView> {
  const bound = principal?.role === 'citizen' ? principal.personalId : undefined;
  if (!bound) throw new RegistryError('FORBIDDEN');
  // Numbers cancelled by a legal re-issue stand for the person under their current number.
  const [numbers, asked] = await Promise.all([numbersOfPerson(ctx.store.db, bound), personalId === undefined || personalId === bound ? undefined : currentNumber(ctx, personalId)]);
  const self = numbers[0] ?? bound;
  if (asked === undefined || asked === self) return { personalId: self, ground: 'self' };
  const [record, person] = await Promise.all([findCitizen(ctx.store.db, self), findCitizen(ctx.store.db, asked)]);
  // The person's record may name the actor by a number since re-issued: it is still them.
  const actor = record ? { ...record, numbers } : undefined;
  const ground = actor && person ? representationGround(actor, person, dayOf(ctx.clock.now())) : undefined;
  if (!actor || !person || !ground) throw new RegistryError('NOT_REPRESENTED');
  return { personalId: asked, ground, records: { actor, person } };
}

export interface UsageItem {
  entryId: string;
  at: string;
  kind: UsageKind;
  /** The agency (exchange) or the unit (officers) that used the data. */
  agencyCode?: string;
  agencyName?: string;
  unit?: string;
  /** The agency's system (the connection's system name), or the registry's own. */
  system: string;
  purpose?: string;
  action: string;
  /** One line: the purpose and what was done. */
  description: string;
  fields: string[];
  outcome: 'served' | 'refused';
  errorCode?: string;
  /** A receipt (.tlog-proof) can be downloaded: the entry's leaf is in the log. */
  receiptReady: boolean;
}

async function currentNumber(ctx: ServiceContext, personalId: string): Promise<string> {
  return currentPersonalId(ctx.store.db, personalId);
}

/** What decides what a person sees: their numbers (current first) and the decisions under them. */
interface PersonRules {
  numbers: readonly string[];
  rules: VisibilityRules;
}

async function rulesOf(ctx: ServiceContext, personalId: string): Promise<PersonRules> {
  const numbers = await numbersOfPerson(ctx.store.db, personalId);
  return { numbers, rules: await visibilityRulesOf(ctx.store.db, numbers) };
}

/**
 * The rows the person sees now, in their order, once: a use naming several people is kept back
 * from all of them by a hold on any one (its primary row names them all), and a use recorded under
 * two of the person's numbers shows once.
 */
async function visibleRows<T extends StoredAccessEntry>(ctx: ServiceContext, p: PersonRules, rows: readonly T[], now: string): Promise<T[]> {
  const db = ctx.store.db;
  const own = new Set(p.numbers);
  const coNamed = new Map<string, PersonHolds[]>();
  const shared = rows.filter((r) => r.subjectCount > 1);
  if (shared.length > 0) {
    const people = new Map<string, string[]>();
    for (const r of shared) if (r.primary) people.set(r.entryId, r.personalIds);
    for (const [id, ids] of await peopleOfUses(db, shared.filter((r) => !people.has(r.entryId)).map((r) => r.entryId))) people.set(id, ids);
    const others = [...new Set([...people.values()].flat().filter((id) => !own.has(id)))];
    const numbers = others.length > 0 ? await numbersOfPeople(db, others) : new Map<string, string[]>();
    const holds = await holdsOf(db, [...new Set([...numbers.values()].flat())].filter((n) => !own.has(n)));
    if (holds.length > 0) {
      const releases = await releasesOf(db, [...new Set(holds.map((h) => h.personalId))]);
      const holdsOfPerson = (id: string): PersonHolds => {
        const nums = new Set(numbers.get(id) ?? [id]);
        const hs = holds.filter((h) => nums.has(h.personalId));
        return { holds: hs, releases: releases.filter((r) => nums.has(r.personalId)) };
      };
      for (const [entryId, ids] of people) {
        const sets = ids.filter((id) => !own.has(id)).map(holdsOfPerson).filter((h) => h.holds.length > 0);
        if (sets.length > 0) coNamed.set(entryId, sets);
      }
    }
  }
  const out: T[] = [];
  let previous: string | undefined;
  for (const r of rows) {
    if (r.entryId === previous) continue;
    previous = r.entryId;
    if (visibilityOf(r, p.rules, now, coNamed.get(r.entryId) ?? []).visible) out.push(r);
  }
  return out;
}

async function itemsOf(ctx: ServiceContext, entries: readonly PersonEntry[]): Promise<UsageItem[]> {
  const connections = [...new Set(entries.flatMap((e) => (e.connectionId ? [e.connectionId] : [])))];
  const agencies = [...new Set(entries.flatMap((e) => (e.agencyCode ? [e.agencyCode] : [])))];
  const { systems, agencies: names } = await receiversOf(ctx.store.db, connections, agencies);
  return entries.map((e) => {
    const agencyName = e.agencyCode ? names.get(e.agencyCode) : undefined;
    return {
      entryId: e.entryId,
      at: e.at,
      kind: usageKindOf(e),
      ...(e.agencyCode ? { agencyCode: e.agencyCode } : {}),
      ...(agencyName ? { agencyName } : {}),
      ...(e.unit ? { unit: e.unit } : {}),
      system: (e.connectionId && systems.get(e.connectionId)) || REGISTRY_SYSTEM,
      ...(e.purpose ? { purpose: e.purpose } : {}),
      action: e.action,
      description: trackerAction(e),
      fields: e.fields,
      outcome: e.outcome,
      ...(e.errorCode ? { errorCode: e.errorCode } : {}),
      receiptReady: e.receiptReady,
    };
  });
}

export interface UsageQuery {
  from?: string | undefined;
  to?: string | undefined;
  agency?: string | undefined;
  kind?: UsageKind | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * The person's entries, newest first, refusals included, without the ones the visibility decisions
 * keep back (they are skipped, not counted). Paged by keyset over (at, entry ID).
 */
export async function usageOf(ctx: ServiceContext, personalId: string, q: UsageQuery): Promise<{ items: UsageItem[]; nextCursor?: string }> {
  const now = ctx.clock.now().toISOString();
  const p = await rulesOf(ctx, personalId);
  let before = q.cursor ? (({ at, id }) => ({ at, entryId: id }))(decodeCursor(q.cursor, ['at', 'id'] as const)) : undefined;
  const kept: PersonEntry[] = [];
  // Entries held back are skipped in the store's order: read on until the page is full.
  const batch = Math.min(Math.max(q.limit * 2, 50), 2000);
  for (;;) {
    const rows = await entriesOfPerson(ctx.store.db, p.numbers, { from: q.from, to: q.to, agency: q.agency, before, limit: batch });
    const seen = kept[kept.length - 1]?.entryId;
    for (const r of await visibleRows(ctx, p, rows.filter((r) => !q.kind || usageKindOf(r) === q.kind), now)) {
      if (kept.length > q.limit) break;
      if (r.entryId !== seen) kept.push(r);
    }
    if (kept.length > q.limit || rows.length < batch) break;
    const last = rows[rows.length - 1]!;
    before = { at: last.at, entryId: last.entryId };
  }
  const page = kept.slice(0, q.limit);
  const last = page[page.length - 1];
  const items = await itemsOf(ctx, page);
  return kept.length > q.limit && last ? { items, nextCursor: encodeCursor({ at: last.at, id: last.entryId }) } : { items };
}

/** The Data Tracker's usage record (dumonitor-openapi v2.1.0, components.schemas.Usage). */
export interface TrackerUsage {
  logtime: string;
  action: string;
  receiverCode: string;
  receiverName?: string;
  receiverSystem: string;
}

/**
 * findUsage: the person's served uses in the period, oldest first (offsets stay stable as entries
 * arrive), `totalUsages` counting every one shown — none that is held back.
 */
export async function trackerUsage(ctx: ServiceContext, personalId: string, q: { periodStart?: string | undefined; periodEnd?: string | undefined; offset: number; limit: number }): Promise<{ totalUsages: number; usages: TrackerUsage[] }> {
  const now = ctx.clock.now().toISOString();
  const p = await rulesOf(ctx, personalId);
  const chunk = 5000;
  let after: { at: string; entryId: string } | undefined;
  let total = 0;
  const kept: PersonEntry[] = [];
  let previous: string | undefined;
  for (;;) {
    // periodEnd is inclusive in the Data Tracker ("until the time shown"): [start, end] → [start, end + 1 ms).
    const to = q.periodEnd ? new Date(Date.parse(q.periodEnd) + 1).toISOString() : undefined;
    const rows = await entriesOfPerson(ctx.store.db, p.numbers, { from: q.periodStart ? new Date(Date.parse(q.periodStart)).toISOString() : undefined, to, servedOnly: true, oldestFirst: true, before: after, limit: chunk });
    for (const r of await visibleRows(ctx, p, rows, now)) {
      // A use under two of the person's numbers, split between two chunks: counted once.
      if (r.entryId === previous) continue;
      previous = r.entryId;
      if (total >= q.offset && kept.length < q.limit) kept.push(r);
      total++;
    }
    if (rows.length < chunk) break;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, entryId: last.entryId };
  }
  const items = await itemsOf(ctx, kept);
  return {
    totalUsages: total,
    usages: items.map((i) => ({
      logtime: i.at,
      action: i.description,
      receiverCode: i.agencyCode ?? i.unit ?? REGISTRY_SYSTEM,
      ...(i.agencyName || i.unit ? { receiverName: (i.agencyName ?? i.unit) as string } : {}),
      receiverSystem: i.system,
    })),
  };
}

/** usagePeriod: the registry keeps entries from its first one (the log's start). */
export async function trackerPeriod(ctx: ServiceContext): Promise<{ periodStart: string }> {
  return { periodStart: (await earliestEntryAt(ctx.store.db)) ?? ctx.clock.now().toISOString() };
}

/** heartbeat: OK when the store answers a read of the log. */
export async function trackerHeartbeat(ctx: ServiceContext): Promise<{ status: 'OK' | 'FAIL'; message: string }> {
  try {
    await earliestEntryAt(ctx.store.db);
    return { status: 'OK', message: 'API is ready' };
  } catch {
    return { status: 'FAIL', message: 'The usage log cannot be read' };
  }
}

/**
 * An entry about the person that they may see now, or ENTRY_NOT_FOUND (held back entries too). Its
 * `subjectKey` is the number it was recorded under (an earlier one, after a re-issue).
 */
export async function visibleEntry(ctx: ServiceContext, personalId: string, entryId: string): Promise<StoredAccessEntry> {
  const p = await rulesOf(ctx, personalId);
  const entry = await entryOfPerson(ctx.store.db, p.numbers, entryId);
  if (!entry || (await visibleRows(ctx, p, [entry], ctx.clock.now().toISOString())).length === 0) throw new RegistryError('ENTRY_NOT_FOUND');
  return entry;
}

/** The entry's receipt (C2SP tlog-proof); LEAF_NOT_YET_SEQUENCED while its leaf waits. */
export async function usageReceipt(ctx: ServiceContext, personalId: string, entryId: string): Promise<string> {
  const entry = await visibleEntry(ctx, personalId, entryId);
  return receiptFor(ctx, 'access_entry', entry.subjectKey, entryId);
}
