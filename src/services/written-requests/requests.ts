/**
 * Written requests for citizens' data (issue 14 item 5; decision 0040; docs/written-requests.md):
 * an officer records a request received at the counter or by post with its scanned letter; the
 * decision period (3 working days, residence calendar) runs from receipt, or from the subject's
 * consent when the requester is an organisation outside NĐ 70/2024 Art. 8(1); the subject (or
 * whoever represents them) answers the consent question through the API, or an officer records a
 * consent given on paper. Deciding is in decision.ts.
 */
import { createHash } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { representationGround, type RepresentationGround } from '../../domain/accountability/representation.js';
import { addDays } from '../../domain/dates/day-arithmetic.js';
import { deadlineStatus, localDay, type Deadline, type DeadlineStatus } from '../../domain/residence/working-days.js';
import {
  cleanFields, consentRequired, decisionDeadline, initialStatus, nextStatus, receiptAt, requestIdFor, scanProblem,
  DECIDED_STATUSES, OPEN_STATUSES, SCAN_MAX_BYTES, type Channel, type FieldGroup, type Requester, type RequestStatus, type ScanMediaType,
} from '../../domain/written-requests/rules.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { findCitizenResolved } from '../citizens/read.js';
import { numbersOfPerson } from '../../store/repositories/personal-ids.js';
import {
  countWrittenRequests, eventsOf, findScan, findWrittenRequest, insertWrittenRequest, listWrittenRequests, lockWrittenRequest, updateWrittenRequest,
  type StoredScan, type StoredWrittenRequest, type WrittenRequestEvent,
} from '../../store/repositories/written-requests.js';
import type { Db } from '../../store/schema.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Actor, ServiceContext } from '../context.js';

export type RequesterInput =
  | { kind: 'citizen'; personalId: string }
  | { kind: 'organisation'; name: string; stateBody: boolean; registrationNumber?: string; address?: string };

export interface RecordInput {
  personalId: string;
  channel: Channel;
  /** When the letter came in (default now): from 1 July 2024 to now (domain rules.ts receiptAt). */
  receivedAt?: string;
  requester: RequesterInput;
  fields: string[];
  purpose: string;
  scan: { mediaType: string; content: Buffer };
}

export interface WrittenRequestView extends Omit<StoredWrittenRequest, 'dueOn' | 'dueBy' | 'version'> {
  scan?: { sha256: string; mediaType: ScanMediaType; size: number };
  /** Absent while the subject's consent is awaited: the period has not started. */
  deadline?: Deadline & { status: DeadlineStatus | 'met' | 'missed' };
  events?: WrittenRequestEvent[];
}

export function viewOf(ctx: ServiceContext, r: StoredWrittenRequest, more: Pick<WrittenRequestView, 'scan' | 'events'> = {}): WrittenRequestView {
  const { dueOn, dueBy, version: _v, ...rest } = r;
  const view: WrittenRequestView = { ...rest, ...more };
  if (dueOn) {
    const deadline: Deadline = { day: dueOn, by: dueBy ?? 'end_of_day' };
    // Decided requests say whether the deadline was kept; open ones how close it is now.
    const status = r.decidedAt
      ? deadlineStatus(deadline, r.decidedAt, ctx.calendar) === 'overdue' ? 'missed' : 'met'
      : deadlineStatus(deadline, ctx.clock.now().toISOString(), ctx.calendar);
    view.deadline = { ...deadline, status };
  }
  return view;
}

async function requesterOf(tx: Db, input: RequesterInput, subjectId: string, today: string): Promise<Requester> {
  if (input.kind === 'organisation') {
    return {
      kind: 'organisation',
      name: input.name,
      stateBody: input.stateBody,
      ...(input.registrationNumber ? { registrationNumber: input.registrationNumber } : {}),
      ...(input.address ? { address: input.address } : {}),
    };
  }
  // The requester is named by any number they have held; the subject's record may name an earlier one too.
  const numbers = await numbersOfPerson(tx, input.personalId);
  const [record, subject] = await Promise.all([findCitizen(tx, numbers[0] ?? input.personalId), findCitizen(tx, subjectId)]);
  if (!record) throw new RegistryError('CITIZEN_NOT_FOUND', { detail: 'The requesting citizen is not registered.' });
  const ground = subject ? representationGround({ ...record, numbers }, subject, today) : undefined;
  if (!ground) throw new RegistryError('REQUESTER_NOT_REPRESENTATIVE');
  return { kind: 'citizen', personalId: record.personalId, ground };
}

/** Checks the letter before anything is opened: a bad upload writes nothing. */
function checkedScan(scan: RecordInput['scan']): StoredScan {
  const problem = scanProblem(scan.mediaType, scan.content, SCAN_MAX_BYTES);
  if (problem) throw new RegistryError(problem);
  return { sha256: createHash('sha256').update(scan.content).digest('hex'), mediaType: scan.mediaType as ScanMediaType, size: scan.content.length, content: scan.content };
}

export async function recordWrittenRequest(ctx: ServiceContext, actor: Actor, input: RecordInput): Promise<WrittenRequestView> {
  const fields = cleanFields(input.fields);
  if (!fields) throw new RegistryError('VALIDATION_FAILED', { fields: [{ field: 'body.fields', code: 'FIELD_GROUPS', message: 'Each field group once: identity, residence, household, card, usage.' }] });
  const scan = checkedScan(input.scan);
  const now = ctx.clock.now().toISOString();
  const receipt = receiptAt(input.receivedAt, now);
  if (!receipt.ok) throw new RegistryError(receipt.code, { fields: [{ field: 'body.receivedAt', code: receipt.code, message: 'A real instant with its offset, from 1 July 2024 to now.' }] });
  const receivedAt = receipt.at;
  const stored = await ctx.store.transaction(async (tx) => {
    // A number a legal re-issue cancelled names the person it now belongs to, as GET /citizens/{personalId}
    // reads it; the request is made about them under their current number.
    const subject = (await findCitizenResolved(tx, input.personalId))?.citizen;
    if (!subject) throw new RegistryError('CITIZEN_NOT_FOUND');
    const requester = await requesterOf(tx, input.requester, subject.personalId, localDay(now));
    const waits = consentRequired(requester);
    const { receivedOn, deadline } = decisionDeadline(receivedAt, ctx.calendar);
    const r: StoredWrittenRequest = {
      requestId: requestIdFor(Number(localDay(now).slice(0, 4)), () => ctx.randomInt(32)),
      personalId: subject.personalId,
      status: initialStatus(requester),
      channel: input.channel,
      receivedAt,
      receivedOn,
      // The period waits for the subject's consent (decision 0040): no deadline until it comes.
      ...(waits ? {} : { dueOn: deadline.day, dueBy: deadline.by }),
      requester,
      fields,
      purpose: input.purpose,
      consentRequired: waits,
      recordedBy: actor.principalId,
      version: 1,
      updatedAt: now,
    };
    const { content: _c, ...letter } = scan;
    await insertWrittenRequest(tx, r, {
      seq: 1,
      at: now,
      actorId: actor.principalId,
      kind: 'received',
      channel: input.channel,
      details: { receivedAt, requester, fields, purpose: input.purpose, consentRequired: waits, scan: letter, ...(r.dueOn ? { dueOn: r.dueOn } : {}) },
    }, scan);
    return r;
  });
  const { content: _c, ...letter } = scan;
  return viewOf(ctx, stored, { scan: letter });
}

export async function getWrittenRequest(ctx: ServiceContext, requestId: string): Promise<WrittenRequestView> {
  const r = await findWrittenRequest(ctx.store.db, requestId);
  if (!r) throw new RegistryError('WRITTEN_REQUEST_NOT_FOUND');
  const [events, scan] = await Promise.all([eventsOf(ctx.store.db, r), findScan(ctx.store.db, requestId)]);
  return viewOf(ctx, r, { events, ...(scan ? { scan: { sha256: scan.sha256, mediaType: scan.mediaType, size: scan.size } } : {}) });
}

export async function getScan(ctx: ServiceContext, requestId: string): Promise<{ request: StoredWrittenRequest; scan: StoredScan }> {
  const request = await findWrittenRequest(ctx.store.db, requestId);
  if (!request) throw new RegistryError('WRITTEN_REQUEST_NOT_FOUND');
  const scan = await findScan(ctx.store.db, requestId);
  if (!scan) throw new RegistryError('SCAN_NOT_FOUND');
  return { request, scan };
}

/**
 * One step of a request, under its row lock: a second step on the same request waits, then finds
 * the state the first left (a decided request refuses every step with 409).
 */
export async function stepRequest(
  ctx: ServiceContext,
  requestId: string,
  action: Parameters<typeof nextStatus>[1],
  change: (tx: Db, r: StoredWrittenRequest, status: RequestStatus, at: string) => Promise<{ after: StoredWrittenRequest; step: Omit<WrittenRequestEvent, 'seq' | 'at'> }>,
): Promise<WrittenRequestView> {
  const at = ctx.clock.now().toISOString();
  const saved = await ctx.store.transaction(async (tx) => {
    await lockWrittenRequest(tx, requestId);
    const r = await findWrittenRequest(tx, requestId);
    if (!r) throw new RegistryError('WRITTEN_REQUEST_NOT_FOUND');
    const t = nextStatus(r.status, action);
    if (!t.ok) throw new RegistryError(t.code, { extra: { requestStatus: r.status } });
    const { after, step } = await change(tx, r, t.status, at);
    return updateWrittenRequest(tx, r, { ...after, status: t.status, updatedAt: at }, { ...step, at });
  });
  return viewOf(ctx, saved);
}

/**
 * How the subject's answer came: on paper (an officer records it, with a note), or through the API
 * from the subject or whoever answers for them, on the ground decision 0044's rule gave
 * (services/consents/answerers.ts#consentSubject): the step names it, as a consent request's does.
 */
export type ConsentAnswerChannel = { channel: 'paper'; note?: string | undefined } | { channel: 'api'; ground: RepresentationGround };

/** The step's channel and the details that say who answered how. */
export function answerStep(how: ConsentAnswerChannel): { channel: 'api' | 'paper'; details: Record<string, unknown> } {
  return how.channel === 'api' ? { channel: 'api', details: { ground: how.ground } } : { channel: 'paper', details: how.note ? { note: how.note } : {} };
}

/**
 * The subject's answer to the consent question (NĐ 70/2024 Art. 10(2)): given → the decision
 * period starts now; refused → the request is refused with that reason (decision.ts writes the
 * signed refusal letter).
 */
export async function giveConsent(ctx: ServiceContext, actor: Actor, requestId: string, how: ConsentAnswerChannel): Promise<WrittenRequestView> {
  const { channel, details } = answerStep(how);
  return stepRequest(ctx, requestId, 'consent_given', async (_tx, r, _s, at) => {
    const { deadline } = decisionDeadline(at, ctx.calendar);
    return {
      after: { ...r, dueOn: deadline.day, dueBy: deadline.by },
      step: { actorId: actor.principalId, kind: 'consent_given', channel, details: { dueOn: deadline.day, ...details } },
    };
  });
}

export type ListView = 'open' | 'awaiting_consent' | 'due_today' | 'overdue' | 'decided' | 'all';

export interface ListQuery {
  view?: ListView;
  personalId?: string;
  /** About any of these numbers (services' use: one person's numbers, numbersOfPerson). */
  personalIds?: readonly string[];
  /** About any of these numbers or asked under one of them (services' use: a citizen's own list). */
  party?: readonly string[];
  cursor?: string;
  limit?: number;
}

/** Officers' work lists, ordered by deadline then number, keyset-paginated with an opaque cursor. */
export async function listRequests(ctx: ServiceContext, q: ListQuery): Promise<{ items: WrittenRequestView[]; nextCursor?: string }> {
  const today = localDay(ctx.clock.now().toISOString());
  const view = q.view ?? 'open';
  const limit = Math.min(q.limit ?? 50, 200);
  const after = q.cursor ? decodeCursor(q.cursor, ['dueOn', 'requestId']) : undefined;
  const statuses: readonly RequestStatus[] =
    view === 'decided' ? DECIDED_STATUSES : view === 'all' ? [...OPEN_STATUSES, ...DECIDED_STATUSES] : view === 'awaiting_consent' ? ['awaiting_consent'] : view === 'open' ? OPEN_STATUSES : ['open'];
  // Whole-day periods end at the end of their day: overdue from the day after.
  const days = view === 'due_today' ? { dueOnOrAfter: today, dueOnOrBefore: today } : view === 'overdue' ? { dueOnOrBefore: addDays(today, -1) } : {};
  const rows = await listWrittenRequests(ctx.store.db, { statuses, ...days, ...(q.personalId ? { personalIds: [q.personalId] } : q.personalIds ? { personalIds: q.personalIds } : {}), ...(q.party ? { party: q.party } : {}), ...(after ? { after } : {}), limit });
  const last = rows[rows.length - 1];
  const nextCursor = rows.length === limit && last ? encodeCursor({ dueOn: last.dueOn ?? '', requestId: last.requestId }) : undefined;
  return { items: rows.map((r) => viewOf(ctx, r)), ...(nextCursor ? { nextCursor } : {}) };
}

export interface RequestCounts {
  awaitingConsent: number;
  open: number;
  dueToday: number;
  overdue: number;
  provided: number;
  refused: number;
}

export async function countRequests(ctx: ServiceContext): Promise<RequestCounts> {
  const today = localDay(ctx.clock.now().toISOString());
  const c = await countWrittenRequests(ctx.store.db, today);
  const n = (s: FieldGroup | RequestStatus) => c.byStatus[s] ?? 0;
  return { awaitingConsent: n('awaiting_consent'), open: n('open'), dueToday: c.dueToday, overdue: c.overdue, provided: n('provided'), refused: n('refused') };
}
