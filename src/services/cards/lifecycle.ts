/**
 * Card register operations: issue, replace (data change, renewal age, loss or damage, request),
 * report lost, revoke, and the status of every card of a person at a date. Each write is one
 * transaction with its card-history row, holding the citizen's row lock so that concurrent writers
 * of one person's cards run one after the other (one valid card: decision 0024).
 */
import { cardProblems, cardStatusAt, type Card, type CardGeneration, type CardStatus } from '../../domain/cards/card.js';
import { cardExpiry } from '../../domain/cards/expiry.js';
import { dayOf, earliestDay } from '../../domain/dates/partial-date.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { listCardHistory, listCards, insertCard, updateCard, type CardChangeKind, type CardHistoryEntry, type StoredCard } from '../../store/repositories/cards.js';
import type { Db } from '../../store/schema.js';
import { lockCitizen } from '../../store/locks.js';
import type { Actor, ServiceContext } from '../context.js';
import { getCurrent } from '../citizens/change.js';

/** Issuer printed on each generation (vn-domain §3.3). */
export const DEFAULT_ISSUER: Record<CardGeneration, string> = {
  CMND: 'Công an tỉnh/thành phố',
  CCCD: 'Cục trưởng Cục Cảnh sát quản lý hành chính về trật tự xã hội',
  CAN_CUOC: 'Bộ Công an',
};

export const REPLACEMENT_REASONS = ['DATA_CHANGED', 'RENEWAL_AGE', 'LOST', 'DAMAGED', 'ON_REQUEST'] as const;
export type ReplacementReason = (typeof REPLACEMENT_REASONS)[number];

export interface CardView extends StoredCard {
  status: CardStatus;
}

export interface CardStatusReport {
  personalId: string;
  date: string;
  /** The card in force at the date (valid), if any. */
  current?: CardView;
  cards: CardView[];
}

/** The generation issued on a date: căn cước from 1 July 2024, CCCD before (historical imports). */
export function generationIssuedOn(date: string): CardGeneration {
  return date >= '2024-07-01' ? 'CAN_CUOC' : date >= '2016-01-01' ? 'CCCD' : 'CMND';
}

function view(card: StoredCard, date: string): CardView {
  return { ...card, status: cardStatusAt(card, date) };
}

export async function getCardStatus(ctx: ServiceContext, personalId: string, date?: string): Promise<CardStatusReport> {
  const at = date ?? dayOf(ctx.clock.now());
  const citizen = await getCurrent(ctx.store.db, personalId);
  const cards = (await listCards(ctx.store.db, citizen.personalId)).map((c) => view(c, at));
  const current = [...cards].reverse().find((c) => c.status === 'valid');
  return { personalId: citizen.personalId, date: at, ...(current ? { current } : {}), cards };
}

export async function getCardHistory(ctx: ServiceContext, personalId: string): Promise<CardHistoryEntry[]> {
  const citizen = await getCurrent(ctx.store.db, personalId);
  return listCardHistory(ctx.store.db, citizen.personalId);
}

/** The day an event is recorded for (default today); card events are never in the future. */
function eventDay(ctx: ServiceContext, given: string | undefined): { today: string; day: string } {
  const today = dayOf(ctx.clock.now());
  const day = given ?? today;
  if (day > today) throw new RegistryError('DATE_IN_FUTURE');
  return { today, day };
}

function change(actor: Actor, kind: CardChangeKind, at: string, reason?: string) {
  return { actorId: actor.principalId, source: 'identity_card' as const, kind, at, ...(reason ? { reason } : {}) };
}

function checkCard(card: Card): void {
  const problems = cardProblems(card);
  if (problems.length > 0) {
    throw new RegistryError('CARD_INCONSISTENT', { fields: problems.map((p) => ({ field: 'card', code: p, message: p })) });
  }
}

/** A new card for the holder as recorded now; the number is the personal ID (CMND: the legacy number). */
async function newCard(tx: Db, ctx: ServiceContext, personalId: string, issueDate: string, issuer: string | undefined, generation?: CardGeneration): Promise<StoredCard> {
  const citizen = await getCurrent(tx, personalId);
  if (citizen.dateOfDeath) throw new RegistryError('CITIZEN_DECEASED');
  if (issueDate < earliestDay(citizen.dateOfBirth)) {
    throw new RegistryError('CARD_INCONSISTENT', { fields: [{ field: 'issueDate', code: 'CARD_ISSUED_BEFORE_BIRTH', message: 'Issue date before the date of birth' }] });
  }
  const gen = generation ?? generationIssuedOn(issueDate);
  if (gen === 'CMND' && !citizen.legacyIdNumber) throw new RegistryError('NO_LEGACY_ID');
  const existing = await listCards(tx, citizen.personalId);
  const at = ctx.clock.now().toISOString();
  const card: StoredCard = {
    personalId: citizen.personalId,
    seq: existing.length === 0 ? 1 : Math.max(...existing.map((c) => c.seq)) + 1,
    cardNo: gen === 'CMND' ? citizen.legacyIdNumber! : citizen.personalId,
    generation: gen,
    issueDate,
    issuingAuthority: issuer ?? DEFAULT_ISSUER[gen],
    expiryDate: cardExpiry(gen, citizen.dateOfBirth, issueDate),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  checkCard(card);
  return card;
}

export async function issueCard(
  ctx: ServiceContext,
  actor: Actor,
  personalId: string,
  req: { issueDate?: string; issuingAuthority?: string; generation?: CardGeneration; reason?: string },
): Promise<CardView> {
  const { today, day: issueDate } = eventDay(ctx, req.issueDate);
  return ctx.store.transaction(async (tx) => {
    await lockCitizen(tx, personalId);
    const cards = await listCards(tx, personalId);
    if (cards.some((c) => cardStatusAt(c, issueDate) === 'valid')) throw new RegistryError('CARD_ALREADY_VALID');
    const card = await newCard(tx, ctx, personalId, issueDate, req.issuingAuthority, req.generation);
    await insertCard(tx, card, change(actor, 'issueCard', card.createdAt, req.reason ?? 'Cấp thẻ / card issued'));
    return view(card, today);
  });
}

/**
 * Replacement (cấp đổi) or re-issue (cấp lại): a new card, and the card it replaces — the latest one
 * not revoked — is marked replaced from the new card's issue date.
 */
export async function replaceCard(
  ctx: ServiceContext,
  actor: Actor,
  personalId: string,
  req: { reason: ReplacementReason; issueDate?: string; issuingAuthority?: string; note?: string },
): Promise<CardView> {
  const { today, day: issueDate } = eventDay(ctx, req.issueDate);
  return ctx.store.transaction(async (tx) => {
    await lockCitizen(tx, personalId);
    const cards = await listCards(tx, personalId);
    const previous = [...cards].reverse().find((c) => !c.revokedOn && !c.replacedOn);
    if (!previous) throw new RegistryError('CARD_NOT_FOUND', { detail: 'no card to replace; issue one' });
    const card = await newCard(tx, ctx, personalId, issueDate, req.issuingAuthority);
    const reason = req.note ? `${req.reason}: ${req.note}` : req.reason;
    await insertCard(tx, card, change(actor, 'replaceCard', card.createdAt, reason));
    const replaced: StoredCard = { ...previous, replacedOn: issueDate, replacedBy: card.cardNo, replacedBySeq: card.seq, version: previous.version + 1, updatedAt: card.createdAt };
    checkCard(replaced);
    await updateCard(tx, previous, replaced, change(actor, 'replaceCard', card.createdAt, reason));
    return view(card, today);
  });
}

async function currentValid(tx: Db, personalId: string, date: string): Promise<StoredCard> {
  const cards = await listCards(tx, personalId);
  const card = [...cards].reverse().find((c) => cardStatusAt(c, date) === 'valid');
  if (!card) throw new RegistryError(cards.length ? 'CARD_NOT_VALID' : 'CARD_NOT_FOUND');
  return card;
}

export async function reportCardLost(ctx: ServiceContext, actor: Actor, personalId: string, req: { lostOn?: string; note?: string }): Promise<CardView> {
  const { today, day: lostOn } = eventDay(ctx, req.lostOn);
  return ctx.store.transaction(async (tx) => {
    await lockCitizen(tx, personalId);
    const before = await currentValid(tx, personalId, lostOn);
    const after: StoredCard = { ...before, lostOn, version: before.version + 1, updatedAt: ctx.clock.now().toISOString() };
    checkCard(after);
    await updateCard(tx, before, after, change(actor, 'reportCardLost', after.updatedAt, req.note ?? 'Báo mất thẻ / card reported lost'));
    return view(after, today);
  });
}

export async function revokeCard(ctx: ServiceContext, actor: Actor, personalId: string, req: { seq?: number; reason: string }): Promise<CardView> {
  const today = dayOf(ctx.clock.now());
  return ctx.store.transaction(async (tx) => {
    await lockCitizen(tx, personalId);
    const cards = await listCards(tx, personalId);
    const before = req.seq === undefined ? [...cards].reverse().find((c) => cardStatusAt(c, today) === 'valid') : cards.find((c) => c.seq === req.seq);
    if (!before) throw new RegistryError('CARD_NOT_FOUND');
    if (before.revokedOn) throw new RegistryError('CARD_NOT_VALID', { detail: 'already revoked' });
    const after: StoredCard = { ...before, revokedOn: today, revocationReason: req.reason, version: before.version + 1, updatedAt: ctx.clock.now().toISOString() };
    checkCard(after);
    await updateCard(tx, before, after, change(actor, 'revokeCard', after.updatedAt, req.reason));
    return view(after, today);
  });
}
