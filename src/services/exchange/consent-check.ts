/**
 * The consent check of an exchange call (decision 0044), for the one serving mechanism (serve.ts):
 * read afresh on every call (a withdrawal counts from the next call), per person asked. A call for
 * one person is refused without a consent in force; a batch answers per person. The fields that may
 * leave are those the consent names (within the grant).
 */
import { decideConsent, type ConsentDecision } from '../../domain/exchange/consent.js';
import type { ServiceGrant } from '../../domain/exchange/policy.js';
import { consentsFor, type StoredConsent } from '../../store/repositories/consents.js';
import type { Db } from '../../store/schema.js';
import { HANDLERS, type HandlerContext, type Served } from './handlers.js';

export interface PersonConsent {
  personalId: string;
  decision: ConsentDecision;
}

/**
 * The people a service's request is about, for the consent check: every person whose data the
 * answer depends on (confirmHouseholdHead by a member also tells about the member).
 */
export function consentSubjects(service: string, body: unknown): string[] {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const ids = (xs: unknown[]) => [...new Set(xs.filter((x): x is string => typeof x === 'string'))];
  if (service === 'batchLookupCitizens') return Array.isArray(b.personalIds) ? ids(b.personalIds) : [];
  if (service === 'confirmHouseholdHead') return ids([b.personalId, b.memberPersonalId]);
  return ids([b.personalId]);
}

/** verifyCitizen: the attributes claimed that the policy grants (those it does not are the handler's to refuse). */
function claimedAttributes(service: string, body: unknown, grant: ServiceGrant): string[] | undefined {
  if (service !== 'verifyCitizen') return undefined;
  const attributes = (body as { attributes?: Record<string, unknown> } | undefined)?.attributes ?? {};
  return Object.keys(attributes).filter((a) => grant.fields.includes(a));
}

export async function consentsOfCall(db: Db, q: { connectionId: string; service: string; purpose: string; body: unknown; grant: ServiceGrant; now: string }): Promise<PersonConsent[]> {
  const people = consentSubjects(q.service, q.body);
  const held = await consentsFor(db, people, q.connectionId, q.purpose);
  const needsFields = claimedAttributes(q.service, q.body, q.grant);
  return people.map((personalId) => ({
    personalId,
    decision: decideConsent(
      held.filter((c) => c.personalId === personalId),
      { service: q.service, purpose: q.purpose, now: q.now, ...(needsFields ? { needsFields } : {}) },
    ),
  }));
}

/** The consents `personalIds` gave `connectionId` for `purpose`, whatever their state (the caller decides which are in force). */
export const consentsHeld = (store: { db: Db }, personalIds: readonly string[], connectionId: string, purpose: string): Promise<StoredConsent[]> =>
  consentsFor(store.db, personalIds, connectionId, purpose);

/** The grant narrowed to what a consent allows. */
export function grantWithin(grant: ServiceGrant, consented: readonly string[]): ServiceGrant {
  return { ...grant, fields: grant.fields.filter((f) => consented.includes(f)) };
}

const allowedOf = (consents: readonly PersonConsent[]) => new Map(consents.flatMap((c) => (c.decision.allowed ? [[c.personalId, c.decision] as const] : [])));

/**
 * A batch under consent: only the people with a consent in force are looked up. The others are
 * neither found nor not found — they are answered as refused, so the answer tells nothing about them.
 */
export async function serveBatchWithConsent(h: HandlerContext, body: unknown, consents: readonly PersonConsent[]): Promise<Served> {
  const allowed = [...allowedOf(consents).keys()];
  if (allowed.length === 0) return { personalIds: [], body: { items: [], notFound: [] }, filter: 'items' };
  return HANDLERS.batchLookupCitizens(h, { ...(body as object), personalIds: allowed });
}

/** Each person's item cut to the fields their consent names; the refused listed with their codes. */
export function cutBatchToConsents(filtered: { body: Record<string, unknown>; fields: string[] }, consents: readonly PersonConsent[]): { body: Record<string, unknown>; fields: string[] } {
  const allowed = allowedOf(consents);
  const fields = new Set<string>();
  const items = (filtered.body.items as Record<string, unknown>[]).map((item) => {
    const consented = allowed.get(item.personalId as string)?.fields ?? [];
    const out: Record<string, unknown> = { personalId: item.personalId };
    for (const [k, v] of Object.entries(item)) {
      if (k !== 'personalId' && consented.includes(k)) {
        out[k] = v;
        fields.add(k);
      }
    }
    return out;
  });
  const refused = consents.flatMap((c) => (c.decision.allowed ? [] : [{ personalId: c.personalId, code: c.decision.code }]));
  return { body: { items, notFound: filtered.body.notFound, refused }, fields: [...fields].sort() };
}

/** Which consent allowed each person's item, and the fields it released. */
export function batchConsentUses(body: Record<string, unknown>, consents: readonly PersonConsent[]): { personalId: string; consentId: string; fields: string[] }[] {
  const allowed = allowedOf(consents);
  return (body.items as Record<string, unknown>[]).flatMap((item) => {
    const d = allowed.get(item.personalId as string);
    return d ? [{ personalId: item.personalId as string, consentId: d.consentId, fields: Object.keys(item).filter((k) => k !== 'personalId').sort() }] : [];
  });
}
