/**
 * The written requests a signed-in citizen sees (decision 0040, its 2026-12-06 lines), and how each
 * names the people in it. Seeing a person's requests follows the rule for answering them (decision
 * 0044, consentSubject): a request about a person may be awaiting that person's consent, and the
 * list is where it is answered. So: one's own, and those about a child under 14 or a person whose
 * record names one as legal representative; a parent of a child of 14–17 is refused
 * (CONSENT_ANSWERED_BY_SUBJECT), anyone else NOT_REPRESENTED. One's own list also holds every
 * request one made as the requester, whoever it is about. A person is found under every number they
 * have held (numbersOfPerson): a request recorded before a re-issue names the cancelled number.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { dayOf } from '../../domain/dates/partial-date.js';
import { nameSeenBy, type NamedRecord } from '../../domain/written-requests/seen-by.js';
import { findCitizen, findCitizens } from '../../store/repositories/citizens.js';
import { numbersOfPeople, numbersOfPerson } from '../../store/repositories/personal-ids.js';
import type { Principal } from '../../store/repositories/principals.js';
import { consentSubject } from '../consents/answerers.js';
import type { ServiceContext } from '../context.js';
import { getWrittenRequest, listRequests, type ListQuery, type WrittenRequestView } from './requests.js';

/** Who the request is about and who made it, as the viewer sees them. */
export interface AsSeen {
  /** About the viewer (under any number they have held). */
  aboutYou: boolean;
  /** Made by the viewer as a citizen requester. */
  byYou: boolean;
  /** The person it is about, when not the viewer and the viewer may see their name. */
  aboutName?: string;
  /** A citizen requester other than the viewer, when the viewer may see their name. */
  requesterName?: string;
}

export type CitizenRequestView = WrittenRequestView & { asSeen: AsSeen };

export async function citizenRequests(ctx: ServiceContext, principal: Principal | undefined, personalId: string | undefined, page: Pick<ListQuery, 'cursor' | 'limit'>): Promise<{ items: CitizenRequestView[]; nextCursor?: string }> {
  const subject = await consentSubject(ctx, principal, personalId);
  const db = ctx.store.db;
  // consentSubject refused anyone but a citizen principal.
  const viewer = await numbersOfPerson(db, principal?.personalId ?? subject.personalId);
  const numbers = subject.ground === 'self' ? viewer : await numbersOfPerson(db, subject.personalId);
  const listed = await listRequests(ctx, { view: 'all', ...(subject.ground === 'self' ? { party: numbers } : { personalIds: numbers }), ...page });
  return { ...listed, items: await asSeenBy(ctx, viewer, listed.items) };
}

/** Each request with who it is about and who made it, as the viewer (`viewer`: their numbers) sees them. */
async function asSeenBy(ctx: ServiceContext, viewer: readonly string[], items: readonly WrittenRequestView[]): Promise<CitizenRequestView[]> {
  const isViewer = (id: string) => viewer.includes(id);
  const requesterOf = (r: WrittenRequestView) => (r.requester.kind === 'citizen' ? r.requester.personalId : undefined);
  const others = [...new Set(items.flatMap((r) => [r.personalId, requesterOf(r)]).filter((id): id is string => id !== undefined && !isViewer(id)))];
  const nameOf = others.length === 0 ? () => undefined : await namer(ctx, viewer, others);
  return items.map((r) => {
    const requester = requesterOf(r);
    const asSeen: AsSeen = { aboutYou: isViewer(r.personalId), byYou: requester !== undefined && isViewer(requester) };
    const aboutName = asSeen.aboutYou ? undefined : nameOf(r.personalId);
    const requesterName = requester === undefined || asSeen.byYou ? undefined : nameOf(requester);
    return { ...r, asSeen: { ...asSeen, ...(aboutName ? { aboutName } : {}), ...(requesterName ? { requesterName } : {}) } };
  });
}

/** Names the other people of a page as the viewer may see them (domain seen-by.ts): one read of each record. */
async function namer(ctx: ServiceContext, viewer: readonly string[], others: readonly string[]): Promise<(id: string) => string | undefined> {
  const db = ctx.store.db;
  const numbersOf = await numbersOfPeople(db, others);
  const current = (id: string) => numbersOf.get(id)?.[0] ?? id;
  const [record, people] = await Promise.all([findCitizen(db, viewer[0] ?? ''), findCitizens(db, [...new Set(others.map(current))])]);
  if (!record) return () => undefined;
  const me: NamedRecord = { ...record, numbers: viewer };
  const byId = new Map(people.map((p) => [p.personalId, p]));
  const today = dayOf(ctx.clock.now());
  return (id) => nameSeenBy(me, numbersOf.get(id) ?? [id], byId.get(current(id)), today);
}

/**
 * The request a citizen answers the consent question of, when it is about `personalId` under any
 * number that person has held; another person's is not found (whether it exists is not the asker's
 * business).
 */
export async function requestAbout(ctx: ServiceContext, requestId: string, personalId: string): Promise<WrittenRequestView> {
  const [r, numbers] = await Promise.all([getWrittenRequest(ctx, requestId), numbersOfPerson(ctx.store.db, personalId)]);
  if (!numbers.includes(r.personalId)) throw new RegistryError('WRITTEN_REQUEST_NOT_FOUND');
  return r;
}
