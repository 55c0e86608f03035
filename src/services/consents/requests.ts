/**
 * Consent requests (issue 15 item 4; NĐ 70/2024 Art. 10(2); decision 0044): an agency outside the
 * state asks the data subject (through its connection's access token); the citizen approves,
 * refuses or later withdraws; a request unanswered by its deadline, or an approval past its
 * validity, expires. Every decision is a history row with its transparency-log leaf, in the
 * decision's transaction. The citizen — and whoever answers for them (a parent of an under-14, a
 * legal representative) — is told by SMS (notices.ts) when a request arrives.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RepresentationGround } from '../../domain/accountability/representation.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { credentialsWork } from '../../domain/exchange/connection-lifecycle.js';
import {
  answerByOf, consentCodeOf, consentRequestProblems, nextState, stateAt, validUntilOf,
  type ConsentAction, type ConsentRequestInput, type ConsentState,
} from '../../domain/exchange/consent.js';
import { findAgency, type Connection } from '../../store/repositories/agencies.js';
import { registrationSourceOf } from '../../store/repositories/citizens.js';
import {
  consentEvents, consentUses, findConsent, findPendingConsent, insertConsent, lapsedConsents, lastRefusalAt, listConsents, lockConsent, updateConsent,
  type ConsentEvent, type ConsentUse, type StoredConsent,
} from '../../store/repositories/consents.js';
import type { Db } from '../../store/schema.js';
import type { ServiceContext } from '../context.js';
import { enqueueNotices, noticeRecipients } from './notices.js';

/** What the agency sees of its request: only what it sent, and where the request stands. */
export interface AgencyConsentView {
  consentId: string;
  personalId: string;
  purpose: string;
  data: StoredConsent['data'];
  validDays: number;
  state: ConsentState;
  createdAt: string;
  answerBy: string;
  decidedAt?: string;
  validUntil?: string;
  endedAt?: string;
}

/** What the citizen sees: who asks, for what, and which calls the consent allowed. */
export interface CitizenConsentView extends AgencyConsentView {
  code: string;
  agencyCode: string;
  agencyName: string;
  history?: Omit<ConsentEvent, 'actorId'>[];
  uses?: Omit<ConsentUse, 'consentId'>[];
}

function agencyView(c: StoredConsent, now: string): AgencyConsentView {
  const state = stateAt(c, now);
  // An expiry not yet written down still shows when it took effect.
  const endedAt = c.endedAt ?? (state === 'expired' ? (c.state === 'pending' ? c.answerBy : c.validUntil) : undefined);
  return {
    consentId: c.consentId,
    personalId: c.personalId,
    purpose: c.purpose,
    data: c.data,
    validDays: c.validDays,
    state,
    createdAt: c.createdAt,
    answerBy: c.answerBy,
    ...(c.decidedAt ? { decidedAt: c.decidedAt } : {}),
    ...(c.validUntil ? { validUntil: c.validUntil } : {}),
    ...(endedAt ? { endedAt } : {}),
  };
}

async function citizenView(ctx: ServiceContext, c: StoredConsent, full: boolean): Promise<CitizenConsentView> {
  const agency = await findAgency(ctx.store.db, c.agencyCode);
  const view: CitizenConsentView = { ...agencyView(c, ctx.clock.now().toISOString()), code: c.code, agencyCode: c.agencyCode, agencyName: agency?.name ?? c.agencyCode };
  if (!full) return view;
  const history = (await consentEvents(ctx.store.db, c)).map(({ actorId: _a, ...e }) => e);
  const uses = (await consentUses(ctx.store.db, c, 100)).map(({ consentId: _c, ...u }) => u);
  return { ...view, history, uses };
}

/** The expiry of a lapsed request, written down (its event and leaf) in the caller's transaction. */
async function writeExpiry(tx: Db, c: StoredConsent, now: string): Promise<StoredConsent> {
  const endedAt = c.state === 'pending' ? c.answerBy : c.validUntil!;
  return updateConsent(tx, c, { ...c, state: 'expired', endedAt }, { at: now, actorId: 'system:consent-expiry', kind: 'expired', channel: 'system', details: { effectiveAt: endedAt, from: c.state } });
}

/** A connection whose credentials no longer work (suspended, terminated, not yet approved) may neither ask nor read. */
export function assertConnectionWorks(connection: Connection): void {
  if (credentialsWork(connection.state) === 'none') throw new RegistryError(connection.state === 'suspended' ? 'CONNECTION_SUSPENDED' : connection.state === 'terminated' ? 'CONNECTION_TERMINATED' : 'CONNECTION_NOT_ACTIVE');
}

/** After a refusal, the same connection may not ask the same person for the same purpose for 30 days (decision 0044). */
const REFUSAL_COOL_DOWN_MS = 30 * 86_400_000;

/** An agency's system asks the data subject's consent. */
export async function requestConsent(ctx: ServiceContext, connection: Connection, input: ConsentRequestInput): Promise<AgencyConsentView> {
  assertConnectionWorks(connection);
  if (!connection.policy) throw new RegistryError('POLICY_REQUIRED');
  const problems = consentRequestProblems(input, connection.policy);
  if (problems.length > 0) throw new RegistryError('CONSENT_REQUEST_INVALID', { fields: problems.map((m) => ({ field: m.slice(0, m.indexOf(':')), code: 'CONSENT_REQUEST_INVALID', message: m })) });
  // A connection in its test stage reaches synthetic people only (as its exchange calls do): no
  // request, no SMS to a real citizen. An unknown ID is refused alike, so nothing is told by it.
  if (credentialsWork(connection.state) === 'synthetic_only' && (await registrationSourceOf(ctx.store.db, input.personalId)) !== 'generator') throw new RegistryError('TEST_CONNECTION_REAL_DATA');
  const agency = await findAgency(ctx.store.db, connection.agencyCode);
  const now = ctx.clock.now().toISOString();
  const consent: StoredConsent = {
    personalId: input.personalId,
    consentId: randomUUID(),
    code: consentCodeOf(randomBytes(8)),
    connectionId: connection.connectionId,
    agencyCode: connection.agencyCode,
    purpose: input.purpose,
    data: input.data,
    validDays: input.validDays,
    state: 'pending',
    createdAt: now,
    answerBy: answerByOf(now),
    version: 1,
  };
  // Whether the person exists is not told (it would be an answer without consent): an unknown ID
  // gets a request nobody answers, which expires. Notices go only to registered numbers.
  const recipients = await noticeRecipients(ctx, input.personalId);
  await ctx.store.transaction(async (tx) => {
    const pending = await findPendingConsent(tx, input.personalId, connection.connectionId, input.purpose);
    if (pending) {
      if (stateAt(pending, now) === 'pending') throw new RegistryError('CONSENT_REQUEST_OPEN', { extra: { consentId: pending.consentId } });
      await lockConsent(tx, pending.personalId, pending.consentId);
      await writeExpiry(tx, pending, now);
    }
    // A refusal stands for a while: no new request (and SMS) for the same purpose within the cool-down.
    const refused = await lastRefusalAt(tx, input.personalId, connection.connectionId, input.purpose);
    if (refused && Date.parse(now) - Date.parse(refused) < REFUSAL_COOL_DOWN_MS) throw new RegistryError('CONSENT_REQUEST_REFUSED_RECENTLY');
    await insertConsent(tx, consent, { at: now, actorId: `connection:${connection.connectionId}`, channel: 'exchange', details: { purpose: input.purpose, data: input.data, validDays: input.validDays } });
    await enqueueNotices(tx, ctx.clock, consent, agency?.name ?? connection.agencyCode, recipients);
  });
  return agencyView(consent, now);
}

/** Where the actor may take a request (the citizen's actions; `expire` is the system's). */
export type CitizenAction = Exclude<ConsentAction, 'expire'>;

/**
 * A decision on a request about `personalId`, in the caller's transaction, by the person or by
 * whoever answers for them (`ground`, checked by the caller: answerers.ts), recorded with the actor
 * and the ground — no default: a caller that forgot it would record a representative's decision as
 * the person's own. A request about someone else is "not found" (never "forbidden": whether a
 * request exists for someone else is not told). A lapse found on the way is written down, then the
 * action refused (`refused`: the state in force).
 */
export async function decideInTransaction(
  tx: Db, now: string, personalId: string, actorId: string, consentId: string, action: CitizenAction, channel: 'api' | 'sms' | 'demo', ground: RepresentationGround,
): Promise<{ consent: StoredConsent } | { refused: ConsentState; consent: StoredConsent }> {
  const found = await findConsent(tx, consentId);
  if (!found || found.personalId !== personalId) throw new RegistryError('CONSENT_REQUEST_NOT_FOUND');
  await lockConsent(tx, found.personalId, found.consentId);
  const before = await findConsent(tx, consentId);
  if (!before) throw new RegistryError('CONSENT_REQUEST_NOT_FOUND');
  const inForce = stateAt(before, now);
  const t = nextState(inForce, action);
  if (!t.ok) {
    if (inForce === 'expired' && before.state !== 'expired') await writeExpiry(tx, before, now);
    return { refused: inForce, consent: before };
  }
  const next: StoredConsent =
    action === 'approve'
      ? { ...before, state: t.to, decidedAt: now, validUntil: validUntilOf(now, before.validDays) }
      : action === 'refuse'
        ? { ...before, state: t.to, decidedAt: now }
        : { ...before, state: t.to, endedAt: now };
  const kind = action === 'approve' ? 'approved' : action === 'refuse' ? 'refused' : 'withdrawn';
  const details = { ground, ...(next.validUntil && action === 'approve' ? { validUntil: next.validUntil } : {}) };
  return { consent: await updateConsent(tx, before, next, { at: now, actorId, kind, channel, details }) };
}

export async function decideConsent(
  ctx: ServiceContext, personalId: string, actorId: string, consentId: string, action: CitizenAction, channel: 'api' | 'sms' | 'demo', ground: RepresentationGround,
): Promise<CitizenConsentView> {
  const now = ctx.clock.now().toISOString();
  const after = await ctx.store.transaction((tx) => decideInTransaction(tx, now, personalId, actorId, consentId, action, channel, ground));
  if ('refused' in after) throw new RegistryError('CONSENT_REQUEST_DECIDED', { extra: { state: after.refused } });
  return citizenView(ctx, after.consent, true);
}

/** The name of the agency that made a request (the SMS reply names it). */
export async function agencyNameOf(ctx: ServiceContext, c: Pick<StoredConsent, 'agencyCode'>): Promise<string> {
  return (await findAgency(ctx.store.db, c.agencyCode))?.name ?? c.agencyCode;
}

export interface ConsentPage<T> {
  items: T[];
  /** Pass as `before` for the next (older) page. */
  next?: string;
}

const cursorOf = (c: StoredConsent) => Buffer.from(`${c.createdAt}|${c.consentId}`).toString('base64url');
function parseCursor(cursor: string | undefined): { createdAt: string; consentId: string } | undefined {
  if (!cursor) return undefined;
  const [createdAt, consentId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !consentId) throw new RegistryError('VALIDATION_FAILED', { detail: 'before: not a cursor this API gave' });
  return { createdAt, consentId };
}

const STORED_FOR: Readonly<Record<ConsentState, readonly ConsentState[]>> = {
  pending: ['pending'],
  approved: ['approved'],
  refused: ['refused'],
  withdrawn: ['withdrawn'],
  // An expiry may not be written down yet: the row still says pending or approved.
  expired: ['expired', 'pending', 'approved'],
};

async function page(ctx: ServiceContext, filter: { personalId?: string; connectionId?: string }, q: { state?: ConsentState; before?: string; limit: number }): Promise<{ rows: StoredConsent[]; next?: string; now: string }> {
  const now = ctx.clock.now().toISOString();
  const before = parseCursor(q.before);
  const out: StoredConsent[] = [];
  let cursor = before;
  // A state asked for is the state in force: rows whose stored state differs are skipped.
  for (;;) {
    const rows = await listConsents(ctx.store.db, { ...filter, ...(q.state ? { states: STORED_FOR[q.state] } : {}), limit: q.limit + 1, ...(cursor ? { before: cursor } : {}) });
    for (const r of rows.slice(0, q.limit)) if (!q.state || stateAt(r, now) === q.state) out.push(r);
    if (out.length >= q.limit || rows.length <= q.limit) {
      const more = out.length > q.limit || rows.length > q.limit;
      const shown = out.slice(0, q.limit);
      return { rows: shown, ...(more && shown.length > 0 ? { next: cursorOf(shown[shown.length - 1]!) } : {}), now };
    }
    cursor = { createdAt: rows[q.limit - 1]!.createdAt, consentId: rows[q.limit - 1]!.consentId };
  }
}

export async function agencyConsents(ctx: ServiceContext, connectionId: string, q: { state?: ConsentState; personalId?: string; before?: string; limit: number }): Promise<ConsentPage<AgencyConsentView>> {
  const { rows, next, now } = await page(ctx, { connectionId, ...(q.personalId ? { personalId: q.personalId } : {}) }, q);
  return { items: rows.map((r) => agencyView(r, now)), ...(next ? { next } : {}) };
}

/** One of the calling connection's requests; another's is "not found". */
export async function agencyConsent(ctx: ServiceContext, connectionId: string, consentId: string): Promise<AgencyConsentView> {
  const c = await findConsent(ctx.store.db, consentId);
  if (!c || c.connectionId !== connectionId) throw new RegistryError('CONSENT_REQUEST_NOT_FOUND');
  return agencyView(c, ctx.clock.now().toISOString());
}

export async function citizenConsents(ctx: ServiceContext, personalId: string, q: { state?: ConsentState; before?: string; limit: number }): Promise<ConsentPage<CitizenConsentView>> {
  const { rows, next } = await page(ctx, { personalId }, q);
  const items: CitizenConsentView[] = [];
  for (const r of rows) items.push(await citizenView(ctx, r, false));
  return { items, ...(next ? { next } : {}) };
}

export async function citizenConsent(ctx: ServiceContext, personalId: string, consentId: string): Promise<CitizenConsentView> {
  const c = await findConsent(ctx.store.db, consentId);
  if (!c || c.personalId !== personalId) throw new RegistryError('CONSENT_REQUEST_NOT_FOUND');
  return citizenView(ctx, c, true);
}

/**
 * Writes down the expiries that took effect (each with its event and leaf). The state in force never
 * waits for this: calls and views work it out with the time. Returns how many were written.
 */
export async function expireLapsedConsents(ctx: ServiceContext, limit = 500): Promise<number> {
  const now = ctx.clock.now().toISOString();
  let n = 0;
  for (const c of await lapsedConsents(ctx.store.db, now, limit)) {
    await ctx.store.transaction(async (tx) => {
      await lockConsent(tx, c.personalId, c.consentId);
      const before = await findConsent(tx, c.consentId);
      if (before && before.state === c.state && stateAt(before, now) === 'expired') {
        await writeExpiry(tx, before, now);
        n++;
      }
    });
  }
  return n;
}

/** What officers and inspectors see (the CLI): as the citizen does, but never the SMS code. */
export type OfficerConsentView = Omit<CitizenConsentView, 'code'>;

const withoutCode = ({ code: _c, ...v }: CitizenConsentView): OfficerConsentView => v;

export async function officerConsents(ctx: ServiceContext, q: { personalId?: string; connectionId?: string; state?: ConsentState; before?: string; limit: number }): Promise<ConsentPage<OfficerConsentView>> {
  const { rows, next } = await page(ctx, { ...(q.personalId ? { personalId: q.personalId } : {}), ...(q.connectionId ? { connectionId: q.connectionId } : {}) }, q);
  const items: OfficerConsentView[] = [];
  for (const r of rows) items.push(withoutCode(await citizenView(ctx, r, false)));
  return { items, ...(next ? { next } : {}) };
}

export async function officerConsent(ctx: ServiceContext, consentId: string): Promise<OfficerConsentView> {
  const c = await findConsent(ctx.store.db, consentId);
  if (!c) throw new RegistryError('CONSENT_REQUEST_NOT_FOUND');
  return withoutCode(await citizenView(ctx, c, true));
}
