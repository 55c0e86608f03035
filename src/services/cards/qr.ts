/**
 * The QR printed on a card, and counter verification: an officer submits a scanned payload (text,
 * or a photo / screenshot decoded here) and gets the person and card it refers to, a per-field
 * comparison with the registry now, the card's status today, the old CMND number and the current
 * permanent residence — so no paper is needed for either.
 */
import type { Citizen } from '../../domain/citizen/citizen.js';
import { citizenAsOf, citizenAtVersion } from '../../domain/citizen/history.js';
import { cardStatusAt, type CardStatus } from '../../domain/cards/card.js';
import { generateQrPayload, parseQrPayload, type QrPayload } from '../../domain/cards/qr-payload.js';
import { checkQrConsistency, compareQrWithRecord, type QrFieldComparison, type QrFinding } from '../../domain/cards/qr-check.js';
import { idProvinceCodes } from '../../domain/categories/categories.js';
import { dayOf, earliestDay } from '../../domain/dates/partial-date.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { ErrorCode } from '../../domain/errors/codes.js';
import { findPersonalIdByLegacyId, listHistory } from '../../store/repositories/citizens.js';
import { listCards, type StoredCard } from '../../store/repositories/cards.js';
import type { Db } from '../../store/schema.js';
import type { CategoryCatalogue } from '../categories.js';
import type { ServiceContext } from '../context.js';
import { findCitizenResolved } from '../citizens/read.js';
import { getCurrent } from '../citizens/change.js';

/** The record as it stood at the end of a day, or the first version if it was registered later. */
async function citizenOnDay(db: Db, current: Citizen, day: string): Promise<Citizen> {
  const history = await listHistory(db, current.personalId);
  const instant = `${day}T23:59:59.999Z`;
  // Registered after the card was issued (records migrated into the database): the first version.
  return citizenAsOf(current, history, instant) ?? citizenAtVersion(current, history, 1);
}

/** What a card printed: the holder's data as recorded on its issue date (`then`). */
function printedView(catalogue: CategoryCatalogue, then: Citizen, card: StoredCard) {
  return {
    personalId: then.personalId,
    legacyIdNumber: then.legacyIdNumber,
    fullName: then.fullName,
    dateOfBirth: earliestDay(then.dateOfBirth),
    sex: then.sex,
    permanentAddressText: then.permanentResidence ? catalogue.formatAddress(then.permanentResidence, card.issueDate).text : '',
    issueDate: card.issueDate,
  };
}

export interface CardQr {
  personalId: string;
  seq: number;
  payload: string;
}

/** The 7-field payload of a CCCD / căn cước card (the current valid one unless `seq` is given). */
export async function getCardQr(ctx: ServiceContext, catalogue: CategoryCatalogue, personalId: string, seq?: number): Promise<CardQr> {
  const db = ctx.store.db;
  const citizen = await getCurrent(db, personalId);
  const cards = (await listCards(db, citizen.personalId)).filter((c) => c.generation !== 'CMND');
  const today = dayOf(ctx.clock.now());
  const card = seq === undefined ? [...cards].reverse().find((c) => cardStatusAt(c, today) === 'valid') ?? cards.at(-1) : cards.find((c) => c.seq === seq);
  if (!card) throw new RegistryError('CARD_NOT_FOUND');
  const v = printedView(catalogue, await citizenOnDay(db, citizen, card.issueDate), card);
  const payload = generateQrPayload({
    personalId: v.personalId,
    legacyIdNumber: v.legacyIdNumber,
    fullName: v.fullName,
    dateOfBirth: v.dateOfBirth,
    sex: v.sex,
    permanentAddress: v.permanentAddressText,
    issueDate: v.issueDate,
  });
  return { personalId: citizen.personalId, seq: card.seq, payload };
}

export type CounterVerdict = 'authentic' | 'outdated' | 'altered' | 'unknown_card' | 'unknown_person';

export interface FieldResult extends QrFieldComparison {
  /** For a mismatch: whether the card printed this value when issued (data changed since) — not a forgery. */
  matchesAtIssue?: boolean;
}

export interface CounterVerification {
  verdict: CounterVerdict;
  payload: QrPayload;
  consistency: QrFinding[];
  personalId?: string;
  fullName?: string;
  card?: { seq: number; cardNo: string; generation: string; issueDate: string; expiryDate: string | null; status: CardStatus };
  fields?: FieldResult[];
  legacyIdNumber?: string;
  permanentResidence?: { text: string; historical: boolean };
}

/** Text as given, or decoded from a PNG/JPEG photo or screenshot. */
export async function payloadFromInput(ctx: ServiceContext, input: { payload?: string; image?: Buffer }): Promise<string> {
  if (input.payload !== undefined) return input.payload;
  if (!input.image) throw new RegistryError('QR_INPUT_REQUIRED');
  // Seconds of CPU on a large noisy photo: decoded in the worker pool, never on the event loop.
  const decoded = await ctx.cpu.decodeQr(input.image);
  if (!decoded.ok) throw new RegistryError(decoded.reason as ErrorCode);
  return decoded.text;
}

/** Parsing alone: the payload's fields and its internal consistency; malformed input is refused with its reason. */
export function parseCardQr(catalogue: CategoryCatalogue, text: string): { payload: QrPayload; consistency: QrFinding[] } {
  const parsed = parseQrPayload(text);
  if (!parsed.ok) {
    throw new RegistryError(parsed.reason as ErrorCode, { ...(parsed.detail ? { detail: parsed.detail } : {}), fields: parsed.field ? [{ field: parsed.field, code: parsed.reason, message: parsed.detail ?? parsed.reason }] : [] });
  }
  return { payload: parsed.payload, consistency: checkQrConsistency(parsed.payload, idProvinceCodes(catalogue.categories)) };
}

export async function verifyCardQr(ctx: ServiceContext, catalogue: CategoryCatalogue, input: { payload?: string; image?: Buffer }): Promise<CounterVerification> {
  const { payload, consistency } = parseCardQr(catalogue, await payloadFromInput(ctx, input));
  const db = ctx.store.db;
  const found = await findCitizenResolved(db, payload.personalId);
  if (!found) return { verdict: 'unknown_person', payload, consistency };
  const citizen = found.citizen;
  const today = dayOf(ctx.clock.now());
  const base = {
    payload,
    consistency,
    personalId: citizen.personalId,
    fullName: citizen.fullName,
    ...(citizen.legacyIdNumber ? { legacyIdNumber: citizen.legacyIdNumber } : {}),
    ...(citizen.permanentResidence ? { permanentResidence: catalogue.formatAddress(citizen.permanentResidence, today) } : {}),
  };
  const card = (await listCards(db, citizen.personalId)).find((c) => c.generation !== 'CMND' && c.issueDate === payload.issueDate);
  const then = card ? await citizenOnDay(db, citizen, card.issueDate) : undefined;
  // Units renamed by a reorganisation do not make a card wrong (NQ 190/2025 Art. 10): while the
  // residence itself is unchanged, its names are read as at the card's issue date.
  const sameResidence = then !== undefined && JSON.stringify(then.permanentResidence ?? null) === JSON.stringify(citizen.permanentResidence ?? null);
  const addressDate = sameResidence && card ? card.issueDate : today;
  const now = {
    personalId: citizen.personalId,
    legacyIdNumber: citizen.legacyIdNumber,
    fullName: citizen.fullName,
    dateOfBirth: earliestDay(citizen.dateOfBirth),
    sex: citizen.sex,
    permanentAddressText: citizen.permanentResidence ? catalogue.formatAddress(citizen.permanentResidence, addressDate).text : '',
    issueDate: card?.issueDate ?? payload.issueDate,
  };
  const fields: FieldResult[] = compareQrWithRecord(payload, now);
  if (!card || !then) return { ...base, verdict: 'unknown_card', fields };
  const atIssue = compareQrWithRecord(payload, printedView(catalogue, then, card));
  for (const f of fields) {
    if (!f.matches) f.matchesAtIssue = atIssue.find((a) => a.field === f.field)?.matches ?? false;
  }
  const mismatches = fields.filter((f) => !f.matches);
  const verdict: CounterVerdict =
    consistency.length > 0 || mismatches.some((f) => !f.matchesAtIssue) ? 'altered' : mismatches.length > 0 ? 'outdated' : 'authentic';
  return {
    ...base,
    verdict,
    fields,
    card: { seq: card.seq, cardNo: card.cardNo, generation: card.generation, issueDate: card.issueDate, expiryDate: card.expiryDate, status: cardStatusAt(card, today) },
  };
}

export type LegacyIdAnswer = 'yes' | 'no' | 'unknown';

/**
 * verifyLegacyId: do this personal ID and this 9-digit CMND number belong to the same person?
 * Nothing else is returned. 'unknown' when the registry cannot tell: no such person, or the person
 * has no CMND recorded and the number is not linked to anyone.
 */
export async function verifyLegacyId(ctx: ServiceContext, personalId: string, legacyIdNumber: string): Promise<LegacyIdAnswer> {
  const db = ctx.store.db;
  const found = await findCitizenResolved(db, personalId);
  if (!found) return 'unknown';
  if (found.citizen.legacyIdNumber) return found.citizen.legacyIdNumber === legacyIdNumber ? 'yes' : 'no';
  return (await findPersonalIdByLegacyId(db, legacyIdNumber)) ? 'no' : 'unknown';
}
