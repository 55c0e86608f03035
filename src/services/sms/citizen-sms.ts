/**
 * The citizens' SMS service (issue 14 item 4; decision 0041): the handler the SMS gateway hands each
 * stored incoming message to.
 *
 * - The sender's number is normalised and looked up in the subscriber register NOW. Not linked, or
 *   linked to nobody the registry has (or to a deceased person): exactly "Số điện thoại hoặc công
 *   dân không tồn tại", whatever was asked — nothing else hints whether a person exists.
 * - Otherwise the command (domain/sms/commands.ts) is answered from the existing services, and in
 *   ONE transaction: the use is recorded by the one recording mechanism as the citizen's own access
 *   (channel 'sms', requester the citizen, action 'sms:<command>', no fee — the use scope below; the
 *   entry is written by the recording store just before commit), the reply is queued to the number
 *   that asked (key `sms-reply:<incoming id>`), and the incoming message is marked answered.
 * - Messages are served round-robin per number, one at a time per number (fair-queue.ts), and each
 *   number has a token bucket: past it, one short "too many" reply, then nothing until it refills.
 * - KHÓA (decision 0042) locks the e-ID accounts whose codes go to the sending number, in the
 *   transaction of its reply; it reads no citizen's data, so no use is recorded (the lock is the
 *   account's event).
 * - A message handed twice (redelivery, restart) is answered once: the reply's key is unique, and a
 *   second pass finds the reply already queued and rolls back, record included.
 */
import { performance } from 'node:perf_hooks';
import { take, type Bucket } from '../../domain/abuse/token-bucket.js';
import { lifeStatusOf } from '../../domain/citizen/citizen.js';
import { parseSmsCommand, type SmsCommand } from '../../domain/sms/commands.js';
import { fitToParts, lockReply, NOT_FOUND_REPLY, RATE_LIMITED_REPLY, variant } from '../../domain/sms/replies.js';
import { normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import type { Db } from '../../store/schema.js';
import type { CategoryCatalogue } from '../categories.js';
import type { ServiceContext } from '../context.js';
import { findCitizenResolved } from '../citizens/read.js';
import { runInScope, type UseScope } from '../accountability/scope.js';
import { answerCommand, type SmsAnswer } from './citizen-answers.js';
import { createFairQueue } from './fair-queue.js';
import { findSubscriberOf } from '../subscribers/index.js';
import { enqueueSms, MAX_SMS_PARTS } from './outbox.js';
import { markSmsAnswered, type IncomingSms } from './inbox.js';
import { consentReplyText, parseConsentReply, type ConsentReply } from '../../domain/sms/consent-reply.js';
import { agencyNameOf, decideInTransaction } from '../consents/requests.js';
import { consentForSmsAnswer } from '../consents/answerers.js';
import { REPRESENTATION_PURPOSE } from '../../domain/accountability/representation.js';
import type { ConsentRefusal } from '../../domain/exchange/consent-answerer.js';
import { ERROR_CATALOGUE } from '../../domain/errors/codes.js';
import { lockBySms } from '../eid/locks.js';

/** The purpose recorded with a citizen's own SMS request (shown to them in /me/usage). */
export const OWN_REQUEST_PURPOSE = 'Yêu cầu của chính công dân';

export interface CitizenSmsOptions {
  /** Requests one number may make per minute, all at once or spread (0: no limit). */
  perNumberPerMinute: number;
  /** Messages answered at once (each of a different number). */
  concurrency?: number;
  /** Told when a message could not be answered (it stays unanswered; the gateway hands it again). */
  onError?: (e: unknown) => void;
}

export interface CitizenSms {
  /** Queues a stored incoming message; it is answered in its turn. */
  handle(message: IncomingSms): void;
  /** Resolves when every message handed so far is answered (tests, the bench). */
  idle(): Promise<void>;
  readonly pending: number;
}

export type Outcome = 'answered' | 'not-found' | 'rate-limited' | 'dropped' | 'already-answered';

/** A reply: to the number that asked, the text in the variant asked for (an unaccented one goes as GSM-7). */
interface Reply {
  to: string;
  text: string;
}

/** A second pass over an answered message: rolled back, record included. */
class AlreadyAnswered extends Error {}

export function createCitizenSms(ctx: ServiceContext, catalogue: CategoryCatalogue, options: CitizenSmsOptions): CitizenSms {
  const buckets = new Map<string, { bucket: Bucket | undefined; told: boolean }>();

  /** Takes the number's token; over the limit, the first excess is told once, the rest dropped. */
  function admit(number: string): 'ok' | 'tell' | 'drop' {
    const nowMs = ctx.clock.now().getTime();
    const state = buckets.get(number) ?? { bucket: undefined, told: false };
    const r = take(state.bucket, options.perNumberPerMinute, nowMs);
    state.bucket = r.bucket;
    const verdict = r.allowed ? 'ok' : state.told ? 'drop' : 'tell';
    state.told = !r.allowed;
    buckets.set(number, state);
    if (buckets.size > 100_000) sweep(nowMs);
    return verdict;
  }

  /** Buckets full again are the same as none. */
  function sweep(nowMs: number): void {
    for (const [k, s] of buckets) if (!s.told && s.bucket && nowMs - s.bucket.atMs > 60_000) buckets.delete(k);
  }

  const queue = createFairQueue<IncomingSms>(async (message, number) => {
    try {
      await answerSms(ctx, catalogue, message, admit(number));
    } catch (e) {
      options.onError?.(e);
    }
  }, options.concurrency ?? 4);

  return {
    handle(message) {
      queue.push(normalizePhoneNumber(message.from) ?? message.from, message.id, message);
    },
    idle: () => queue.idle(),
    get pending() {
      return queue.size;
    },
  };
}

/**
 * Answers one stored message: the reply queued, the use recorded and the message marked answered,
 * in one transaction. `admitted` is the rate limiter's verdict for its number.
 */
export async function answerSms(ctx: ServiceContext, catalogue: CategoryCatalogue, message: IncomingSms, admitted: 'ok' | 'tell' | 'drop' = 'ok'): Promise<Outcome> {
  const startedMs = performance.now();
  const to = normalizePhoneNumber(message.from);
  const command = parseSmsCommand(message.text);
  // A sender that is no Vietnamese mobile number has nobody to answer to; an excess is dropped.
  if (to === undefined || admitted === 'drop') return commit(ctx, message, undefined, undefined, 'dropped');
  if (admitted === 'tell') return commit(ctx, message, { to, text: variant(RATE_LIMITED_REPLY, command.unaccented) }, undefined, 'rate-limited');
  // DONGY / TUCHOI <code> (decision 0044): the answer to a consent request, from the person's registered number.
  const consentReply = parseConsentReply(message.text);
  if (consentReply) return commitConsentReply(ctx, message, to, consentReply);

  // KHÓA locks by the number on the account, not by the register: asked by a number, answered to it.
  if (command.command === 'lock') return commitLock(ctx, message, to, command.unaccented);

  const citizen = await citizenOf(ctx, to);
  if (!citizen) return commit(ctx, message, { to, text: variant(NOT_FOUND_REPLY, command.unaccented) }, undefined, 'not-found');

  const answer = await answerCommand(ctx, catalogue, citizen, command.command);
  const reply = { to, text: variant(answer.text, command.unaccented) };
  if (answer.people.length === 0) return commit(ctx, message, reply, undefined, 'answered');
  return commit(ctx, message, reply, scopeOf(ctx, command, answer, startedMs), 'answered');
}

/** The person the number is linked to now, if the registry has them alive. */
async function citizenOf(ctx: ServiceContext, e164: string) {
  const personalId = await findSubscriberOf(ctx, e164);
  if (personalId === undefined) return undefined;
  const found = await findCitizenResolved(ctx.store.db, personalId);
  if (!found || lifeStatusOf(found.citizen) === 'deceased') return undefined;
  return found.citizen;
}

/** The citizen's own use: requester the citizen, channel sms, no fee, recorded in the reply's transaction. */
function scopeOf(ctx: ServiceContext, command: SmsCommand, answer: SmsAnswer, startedMs: number): UseScope {
  const self = answer.people[0]!;
  return {
    draft: {
      at: ctx.clock.now().toISOString(),
      callerKind: 'principal',
      principalId: self,
      role: 'citizen',
      channel: 'sms',
      action: `sms:${command.command}`,
      purpose: OWN_REQUEST_PURPOSE,
      personalIds: answer.people,
      fields: answer.fields,
    },
    recordInChange: true,
    recorded: false,
    startedMs,
  };
}

async function commit(ctx: ServiceContext, message: IncomingSms, reply: Reply | undefined, scope: UseScope | undefined, outcome: Outcome): Promise<Outcome> {
  const work = (trx: Db) => replyInTransaction(ctx, trx, message, reply);
  try {
    if (scope) await runInScope(scope, () => ctx.store.transaction(work));
    else await ctx.store.transaction(work);
  } catch (e) {
    if (e instanceof AlreadyAnswered) return 'already-answered';
    throw e;
  }
  return outcome;
}

/** The lock, the reply and the message marked answered: one transaction (a second pass rolls back, lock included). */
async function commitLock(ctx: ServiceContext, message: IncomingSms, to: string, unaccented: boolean): Promise<Outcome> {
  try {
    await ctx.store.transaction(async (trx) => {
      const locked = await lockBySms({ store: ctx.store, clock: ctx.clock }, to, trx);
      await replyInTransaction(ctx, trx, message, { to, text: variant(lockReply(locked), unaccented) });
    });
  } catch (e) {
    if (e instanceof AlreadyAnswered) return 'already-answered';
    throw e;
  }
  return 'answered';
}

/**
 * A consent answer by SMS: the request is found by its code among the requests to the person the
 * register links the number to, or to a person they answer for (a child under 14, a person they
 * legally represent: consentForSmsAnswer); the decision (with its history row and leaf, the ground
 * in it), the reply and the message marked answered are one transaction. Answering one's own
 * request reads nobody's data; answering for another is a use of theirs, recorded in it. A request
 * with the code about a person the sender does not answer for is a refused use, recorded under
 * that person in the reply's transaction; the reply is the one for an unknown code (it tells nothing).
 */
async function commitConsentReply(ctx: ServiceContext, message: IncomingSms, to: string, r: ConsentReply): Promise<Outcome> {
  const startedMs = performance.now();
  const sender = await findSubscriberOf(ctx, to);
  const found = sender ? await consentForSmsAnswer(ctx, sender, r.code) : undefined;
  const unknown = { to, text: consentReplyText('unknown') };
  if (!sender || !found) return commit(ctx, message, unknown, undefined, 'not-found');
  if ('refused' in found) return commit(ctx, message, unknown, representativeScope(ctx, sender, found.consent.personalId, startedMs, found.refused), 'not-found');
  const { consent, ground } = found;
  const agency = await agencyNameOf(ctx, consent);
  const now = ctx.clock.now().toISOString();
  const work = () =>
    ctx.store.transaction(async (trx) => {
      const d = await decideInTransaction(trx, now, consent.personalId, `sms:${to}`, consent.consentId, r.answer, 'sms', ground);
      const outcome = 'refused' in d ? 'closed' : r.answer === 'approve' ? 'approved' : 'refused';
      await replyInTransaction(ctx, trx, message, { to, text: consentReplyText(outcome, agency, ground !== 'self') });
    });
  try {
    if (ground === 'self') await work();
    else await runInScope(representativeScope(ctx, sender, consent.personalId, startedMs), work);
  } catch (e) {
    if (e instanceof AlreadyAnswered) return 'already-answered';
    throw e;
  }
  return 'answered';
}

/**
 * A representative's SMS answer: their use of the person's consent request, recorded in its
 * transaction like the portal's; `refused` when the sender does not answer for the person (the
 * status and code the portal refuses with).
 */
function representativeScope(ctx: ServiceContext, representative: string, personalId: string, startedMs: number, refused?: ConsentRefusal): UseScope {
  return {
    ...(refused ? { refusal: { httpStatus: ERROR_CATALOGUE[refused].status, errorCode: refused } } : {}),
    draft: {
      at: ctx.clock.now().toISOString(),
      callerKind: 'principal',
      principalId: representative,
      role: 'citizen',
      channel: 'sms',
      action: 'sms:consent',
      purpose: REPRESENTATION_PURPOSE,
      personalIds: [personalId],
      fields: ['consentRequest'],
    },
    recordInChange: true,
    recorded: false,
    startedMs,
  };
}

async function replyInTransaction(ctx: ServiceContext, trx: Db, message: IncomingSms, reply: Reply | undefined): Promise<void> {
  if (!(await markSmsAnswered(trx, message.id, ctx.clock))) throw new AlreadyAnswered();
  if (!reply) return;
  const { created } = await enqueueSms(trx, { to: reply.to, text: fitToParts(reply.text, MAX_SMS_PARTS), key: `sms-reply:${message.id}`, kind: 'sms-reply' }, ctx.clock);
  if (!created) throw new AlreadyAnswered();
}
