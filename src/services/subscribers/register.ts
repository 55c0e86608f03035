/**
 * The telecom subscriber register (issue 14; decision 0039): which number belongs to which citizen,
 * as the operators certify it — never the `phone` a citizen or an officer typed. Lines from an
 * operator are applied by the one rule in domain/telecom/subscriber-lines.ts, in batches, each in one
 * transaction with its link events, their transparency-log leaves and (for a file) its progress.
 */
import { ERROR_CATALOGUE } from '../../domain/errors/codes.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { applyLines, validateLine, type BatchResult, type LineCode, type LineOutcome, type SubscriberLine } from '../../domain/telecom/subscriber-lines.js';
import { normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { findAgency } from '../../store/repositories/agencies.js';
import { currentPersonalId, numbersOfPerson } from '../../store/repositories/personal-ids.js';
import { findNumberOwner, firstLinkedNumber, linkEventsOf, readBatchState, recordedPhonesPage, writeBatch, type ImportProgress } from '../../store/repositories/subscribers.js';
import type { Db } from '../../store/schema.js';
import { timeOrderedIds } from '../../store/time-ordered-ids.js';
import type { ServiceContext } from '../context.js';
import { findCitizenResolved } from '../citizens/read.js';

const newLinkId = timeOrderedIds(9);

/**
 * The personal ID of the person the number is linked to now, or undefined (unknown or not a mobile
 * number). A link stays as the operator certified it, naming a number a legal re-issue may since
 * have cancelled: the person is answered for under their current number, as a bearer token is.
 */
export async function findSubscriberOf(ctx: ServiceContext, e164: string): Promise<string | undefined> {
  const number = normalizePhoneNumber(e164);
  if (!number) return undefined;
  const linked = (await findNumberOwner(ctx.store.db, number))?.personalId;
  return linked === undefined ? undefined : currentPersonalId(ctx.store.db, linked);
}

export interface SubscriberNumber {
  number: string;
  operator: string;
  recordId: string;
  confirmedAt: string;
  /** Absent while the link is current. */
  endedAt?: string;
  endReason?: 'operator' | 'new_owner' | 'new_operator';
  current: boolean;
}

/** A citizen's links, current and past, newest confirmation first: under every number the person has held. */
export async function subscriberNumbersOf(ctx: ServiceContext, personalId: string): Promise<SubscriberNumber[]> {
  const numbers = await numbersOfPerson(ctx.store.db, personalId);
  const events = await linkEventsOf(ctx.store.db, numbers);
  const ends = new Map(events.filter((e) => e.kind === 'ended').map((e) => [e.link_id, e]));
  return events
    .filter((e) => e.kind === 'linked')
    .map((e) => {
      const end = ends.get(e.link_id);
      return {
        number: e.number,
        operator: e.operator_code,
        recordId: e.record_id,
        confirmedAt: e.at,
        ...(end ? { endedAt: end.at, endReason: end.reason as SubscriberNumber['endReason'] } : {}),
        current: end === undefined,
      };
    })
    .sort((a, b) => (a.confirmedAt === b.confirmedAt ? 0 : a.confirmedAt < b.confirmedAt ? 1 : -1));
}

/**
 * A registered citizen's links (404 CITIZEN_NOT_FOUND for a personal ID no citizen has). A number a
 * legal re-issue cancelled names the person it now belongs to, as GET /citizens/{personalId} reads it.
 */
export async function getSubscriberNumbers(ctx: ServiceContext, personalId: string): Promise<SubscriberNumber[]> {
  const found = await findCitizenResolved(ctx.store.db, personalId);
  if (!found) throw new RegistryError('CITIZEN_NOT_FOUND');
  return subscriberNumbersOf(ctx, found.citizen.personalId);
}

/** The operator named must be a registered agency of type telecom operator. */
export async function requireOperator(ctx: ServiceContext, code: string): Promise<void> {
  const agency = await findAgency(ctx.store.db, code);
  if (!agency) throw new RegistryError('AGENCY_NOT_FOUND');
  if (agency.type !== 'telecom_operator') throw new RegistryError('AGENCY_NOT_TELECOM_OPERATOR');
}

/** A lost race (two writers of one number at once) is retried this many times before it is a 409. */
const RACE_RETRIES = 8;

/**
 * Applies a batch of valid lines in one transaction (with the file's progress marker, when given).
 * A batch that lost a race to another writer of the same numbers is read and applied again.
 */
export async function applyBatch(
  ctx: ServiceContext,
  operator: string,
  lines: readonly { lineNo: number; line: SubscriberLine }[],
  progress?: (result: BatchResult) => ImportProgress,
): Promise<BatchResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.store.transaction(async (tx: Db) => {
        const at = ctx.clock.now().toISOString();
        const state = await readBatchState(tx, operator, {
          numbers: lines.map((l) => l.line.number),
          personalIds: lines.map((l) => l.line.personalId),
          recordIds: lines.map((l) => l.line.recordId),
        });
        const before = new Map(state.owners);
        const result = applyLines(state, operator, lines, () => newLinkId(at));
        await writeBatch(tx, operator, before, state, result, at, progress?.(result));
        return result;
      });
    } catch (e) {
      if (!(e instanceof RegistryError && e.code === 'CONCURRENT_UPDATE') || attempt >= RACE_RETRIES) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20 * (attempt + 1))));
    }
  }
}

/** One link (or end of one) from an operator: the outcome, or the line's problem as a RegistryError. */
export async function submitSubscriberLink(ctx: ServiceContext, operator: string, fields: Readonly<Record<string, unknown>>): Promise<{ outcome: LineOutcome; number: string; personalId: string }> {
  await requireOperator(ctx, operator);
  const parsed = validateLine(fields, ctx.clock.now().toISOString());
  if (!parsed.ok) throw lineError(parsed.problem.code, parsed.problem.field);
  const result = await applyBatch(ctx, operator, [{ lineNo: 1, line: parsed.line }]);
  const o = result.outcomes[0]!;
  if ('problem' in o) throw lineError(o.problem.code, o.problem.field);
  return { outcome: o.outcome, number: parsed.line.number, personalId: parsed.line.personalId };
}

/** A line's problem as the error a single submission answers with (the field named, both languages). */
export function lineError(code: LineCode, field?: string): RegistryError {
  const e = ERROR_CATALOGUE[code];
  return new RegistryError(code, field ? { fields: [{ field, code, message: e.en, messages: { vi: e.vi, en: e.en } }] } : {});
}

/** One number `operator` has linked now (the demo's hint), if any. */
export const someLinkedNumber = (store: ServiceContext['store'], operator: string): Promise<string | undefined> => firstLinkedNumber(store.db, operator);

/** A page of the mobile numbers citizens' records carry, in number order after `afterPhone`: the demo operator's list. */
export const recordedPhones = (store: ServiceContext['store'], afterPhone: string, limit: number): Promise<{ phone: string; personalId: string }[]> =>
  recordedPhonesPage(store.db, afterPhone, limit);
