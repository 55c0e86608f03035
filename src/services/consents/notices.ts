/**
 * The SMS notices of a consent request (decision 0044), queued in the request's transaction through
 * the durable outbox: to the person's current number in the subscriber register, and to the current
 * number of each person who answers for them (a parent of an under-14 or a legal representative:
 * consentRepresentatives). An under-14 rarely has a number of their own, so without the latter
 * nobody would hear of the request. The text (domain/sms/consent-reply.ts) carries the agency's
 * name and the code, nothing about the person.
 */
import { dayOf } from '../../domain/dates/partial-date.js';
import { consentRepresentatives } from '../../domain/exchange/consent-answerer.js';
import { consentNoticeText } from '../../domain/sms/consent-reply.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import type { StoredConsent } from '../../store/repositories/consents.js';
import type { Db } from '../../store/schema.js';
import type { Clock } from '../clock.js';
import type { ServiceContext } from '../context.js';
import { enqueueSms } from '../sms/outbox.js';
import { subscriberNumbersOf } from '../subscribers/register.js';

export interface NoticeRecipient {
  number: string;
  /** A representative's number: the request concerns a person they answer for. */
  onBehalf: boolean;
}

async function currentNumberOf(ctx: ServiceContext, personalId: string): Promise<string | undefined> {
  return (await subscriberNumbersOf(ctx, personalId)).find((n) => n.current)?.number;
}

/** Who is told of a request about `personalId` (read before the request's transaction): one number each, none twice. */
export async function noticeRecipients(ctx: ServiceContext, personalId: string): Promise<NoticeRecipient[]> {
  const out: NoticeRecipient[] = [];
  const own = await currentNumberOf(ctx, personalId);
  if (own) out.push({ number: own, onBehalf: false });
  const person = await findCitizen(ctx.store.db, personalId);
  for (const representative of person ? consentRepresentatives(person, dayOf(ctx.clock.now())) : []) {
    const number = await currentNumberOf(ctx, representative);
    if (number && !out.some((r) => r.number === number)) out.push({ number, onBehalf: true });
  }
  return out;
}

/** The notices, in the request's transaction: at most one per request and number (the outbox's unique key). */
export async function enqueueNotices(tx: Db, clock: Clock, consent: Pick<StoredConsent, 'consentId' | 'code'>, agencyName: string, recipients: readonly NoticeRecipient[]): Promise<void> {
  for (const [i, r] of recipients.entries()) {
    // The person's own notice keeps the key it always had.
    const key = r.onBehalf ? `consent:${consent.consentId}:${i}` : `consent:${consent.consentId}`;
    await enqueueSms(tx, { to: r.number, text: consentNoticeText(agencyName, consent.code, r.onBehalf), key, kind: 'notice' }, clock);
  }
}
