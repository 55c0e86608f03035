/**
 * Citizens see who used their data (issue 13 item 3; decision 0032): the usage view of dancu's own
 * channels, the Estonia Data Tracker–compatible answer, and receipts. Every entry keyed by the
 * person's ID is theirs to see once the visibility decisions let it through; an entry is readable
 * as soon as its transaction committed (the entries are read from the store itself, no batching).
 */
import { RegistryError, isRegistryError } from '../../domain/errors/registry-error.js';
import { isUniqueViolation } from '../../store/failures.js';
import { dayOf } from '../../domain/dates/partial-date.js';
import { representationGround, type RepresentationGround } from '../../domain/accountability/representation.js';
import { visibilityOf, type VisibilityRules } from '../../domain/accountability/visibility.js';
import { trackerAction, usageKindOf, type UsageKind } from '../../domain/accountability/usage.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { earliestEntryAt, entriesOfPerson, entryOfPerson, receiversOf, visibilityRulesOf, type PersonEntry } from '../../store/repositories/citizen-usage.js';
import type { StoredAccessEntry } from '../../store/repositories/access-log.js';
import type { Principal } from '../../store/repositories/principals.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { receiptFor } from '../transparency/receipts.js';
import type { ServiceContext } from '../context.js';

/** A unique key already taken: the store reports it as a lost race (CONCURRENT_UPDATE) or raw. */
export function lostOnKey(e: unknown): boolean {
  return isUniqueViolation(e) || (isRegistryError(e) && e.code === 'CONCURRENT_UPDATE');
}

/** The system name shown for the registry's own channels (officers, inspectors, jobs). */
export const REGISTRY_SYSTEM = 'dancu';

/**
 * Whose usage the signed-in citizen asks for (their own when `personalId` is absent), and on what
 * ground; NOT_REPRESENTED otherwise — also when the person does not exist (nothing is revealed).
 */
export async function personInView(ctx: ServiceContext, principal: Principal | undefined, personalId: string | undefined): Promise<{ personalId: string; ground: RepresentationGround }> {
  const self = principal?.role === 'citizen' ? principal.personalId : undefined;
  if (!self) throw new RegistryError('FORBIDDEN');
  const asked = personalId ?? self;
  if (asked === self) return { personalId: self, ground: 'self' };
  const [actor, person] = await Promise.all([findCitizen(ctx.store.db, self), findCitizen(ctx.store.db, asked)]);
  const ground = actor && person ? representationGround(actor, person, dayOf(ctx.clock.now())) : undefined;
  if (!ground) throw new RegistryError('NOT_REPRESENTED');
  return { personalId: asked, ground };
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

function visible(rules: VisibilityRules, e: StoredAccessEntry, now: string): boolean {
  return visibilityOf(e, rules, now).visible;
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
  const rules = await visibilityRulesOf(ctx.store.db, personalId);
  let before = q.cursor ? (({ at, id }) => ({ at, entryId: id }))(decodeCursor(q.cursor, ['at', 'id'] as const)) : undefined;
  const kept: PersonEntry[] = [];
  // Entries held back are skipped in the store's order: read on until the page is full.
  const batch = Math.min(Math.max(q.limit * 2, 50), 2000);
  for (;;) {
    const rows = await entriesOfPerson(ctx.store.db, personalId, { from: q.from, to: q.to, agency: q.agency, before, limit: batch });
    for (const r of rows) {
      if (kept.length > q.limit) break;
      if ((q.kind && usageKindOf(r) !== q.kind) || !visible(rules, r, now)) continue;
      kept.push(r);
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
  const rules = await visibilityRulesOf(ctx.store.db, personalId);
  const chunk = 5000;
  let after: { at: string; entryId: string } | undefined;
  let total = 0;
  const kept: PersonEntry[] = [];
  for (;;) {
    // periodEnd is inclusive in the Data Tracker ("until the time shown"): [start, end] → [start, end + 1 ms).
    const to = q.periodEnd ? new Date(Date.parse(q.periodEnd) + 1).toISOString() : undefined;
    const rows = await entriesOfPerson(ctx.store.db, personalId, { from: q.periodStart ? new Date(Date.parse(q.periodStart)).toISOString() : undefined, to, servedOnly: true, oldestFirst: true, before: after, limit: chunk });
    for (const r of rows) {
      if (!visible(rules, r, now)) continue;
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

/** An entry about the person that they may see now, or ENTRY_NOT_FOUND (held back entries too). */
export async function visibleEntry(ctx: ServiceContext, personalId: string, entryId: string): Promise<StoredAccessEntry> {
  const entry = await entryOfPerson(ctx.store.db, personalId, entryId);
  if (!entry) throw new RegistryError('ENTRY_NOT_FOUND');
  const rules = await visibilityRulesOf(ctx.store.db, personalId);
  if (!visible(rules, entry, ctx.clock.now().toISOString())) throw new RegistryError('ENTRY_NOT_FOUND');
  return entry;
}

/** The entry's receipt (C2SP tlog-proof); LEAF_NOT_YET_SEQUENCED while its leaf waits. */
export async function usageReceipt(ctx: ServiceContext, personalId: string, entryId: string): Promise<string> {
  await visibleEntry(ctx, personalId, entryId);
  return receiptFor(ctx, 'access_entry', personalId, entryId);
}
