/**
 * Identity cards: the three generations a citizen may hold, the card record, and its status on a
 * given day. Pure: the day is always a parameter (DESIGN §3.1, §3.6). Dates are ISO days
 * (YYYY-MM-DD), so they compare correctly as strings.
 */
import { Type, type Static } from '@sinclair/typebox';
import { FullDate, PersonalId } from '../citizen/citizen.js';

/**
 * - CMND: the old 9-digit chứng minh nhân dân; every one lost validity after 31/12/2024
 *   (Luật Căn cước 2023 Art. 46(2)).
 * - CCCD: the căn cước công dân card (Luật CCCD 2014), issued 2016 – 30/06/2024; its number is the
 *   personal ID; valid until the printed expiry (Art. 46(1)).
 * - CAN_CUOC: the thẻ căn cước of Luật Căn cước 2023, issued from 01/07/2024; number = personal ID.
 */
export const CardGeneration = Type.Union([Type.Literal('CMND'), Type.Literal('CCCD'), Type.Literal('CAN_CUOC')]);
export type CardGeneration = Static<typeof CardGeneration>;

/** Last day on which any CMND is valid, "hết ngày 31/12/2024" (Luật Căn cước Art. 46(2)). */
export const CMND_LAST_VALID_DAY = '2024-12-31';
/** A CMND was valid 15 years from its issue (NĐ 05/1999). */
export const CMND_VALIDITY_YEARS = 15;
/** Luật CCCD 2014 took effect 01/01/2016 (first CCCD); Luật Căn cước 2023 on 01/07/2024 (first thẻ căn cước). */
export const CCCD_FIRST_DAY = '2016-01-01';
export const CAN_CUOC_FIRST_DAY = '2024-07-01';

export const CardNo = Type.String({ pattern: '^(\\d{9}|\\d{12})$', description: '9 digits (CMND) or the 12-digit personal ID' });
export type CardNo = Static<typeof CardNo>;

/**
 * One physical card. A renewed CCCD / căn cước carries the same number as the card it replaces
 * (both are the personal ID), so a card is identified by (personalId, cardNo, issueDate), not by its
 * number alone. `replacedBy` names the successor's number (for a renewal, usually the same number:
 * the successor is the holder's card with that number issued on or after `replacedOn`).
 * `expiryDate` is the last day of validity ("có giá trị đến", inclusive); null = does not expire.
 */
export const Card = Type.Object(
  {
    personalId: PersonalId,
    cardNo: CardNo,
    generation: CardGeneration,
    issueDate: FullDate,
    issuingAuthority: Type.String({ minLength: 1, maxLength: 200 }),
    expiryDate: Type.Union([FullDate, Type.Null()]),
    lostOn: Type.Optional(FullDate),
    revokedOn: Type.Optional(FullDate),
    replacedOn: Type.Optional(FullDate),
    replacedBy: Type.Optional(CardNo),
    revocationReason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type Card = Static<typeof Card>;

export const CardStatus = Type.Union([
  Type.Literal('valid'),
  Type.Literal('expired'),
  Type.Literal('replaced'),
  Type.Literal('revoked'),
  Type.Literal('lost'),
  Type.Literal('not_yet_issued'),
]);
export type CardStatus = Static<typeof CardStatus>;

/**
 * The last day a card is valid, whatever else happened to it: its printed expiry, and for a CMND
 * never later than 31/12/2024 (a CMND record with a later or missing expiry is still cut off).
 */
export function lastValidDay(card: Pick<Card, 'generation' | 'expiryDate'>): string | null {
  if (card.generation !== 'CMND') return card.expiryDate;
  return card.expiryDate !== null && card.expiryDate < CMND_LAST_VALID_DAY ? card.expiryDate : CMND_LAST_VALID_DAY;
}

/**
 * Status of a card on `date` (YYYY-MM-DD). Events count from their own day on, so a card reported
 * lost on 2025-03-10 is still valid on 2025-03-09. When several apply, the most serious wins:
 * revoked > lost > replaced > expired > valid — a revoked card must never be shown as merely
 * "expired", and a lost card must be reported lost even after its printed expiry (fraud checks).
 */
export function cardStatusAt(card: Card, date: string): CardStatus {
  if (date < card.issueDate) return 'not_yet_issued';
  const from = (event: string | undefined): boolean => event !== undefined && event <= date;
  if (from(card.revokedOn)) return 'revoked';
  if (from(card.lostOn)) return 'lost';
  if (from(card.replacedOn)) return 'replaced';
  const last = lastValidDay(card);
  if (last !== null && date > last) return 'expired';
  return 'valid';
}

export type CardProblem =
  | 'CARD_NUMBER_FORMAT' // CMND: 9 digits; CCCD / căn cước: the holder's personal ID
  | 'CARD_GENERATION_DATE' // issue date outside the period in which that generation was issued
  | 'CARD_EXPIRY_BEFORE_ISSUE'
  | 'CARD_EVENT_BEFORE_ISSUE' // lost / revoked / replaced before the card existed
  | 'CARD_REPLACEMENT_INCOMPLETE' // replacedBy without replacedOn
  | 'CARD_REVOCATION_REASON_WITHOUT_REVOCATION';

/** Internal consistency of a card record (what a schema cannot say). Empty list = consistent. */
export function cardProblems(card: Card): CardProblem[] {
  const problems: CardProblem[] = [];
  const numberOk = card.generation === 'CMND' ? /^\d{9}$/.test(card.cardNo) : card.cardNo === card.personalId;
  if (!numberOk) problems.push('CARD_NUMBER_FORMAT');
  const d = card.issueDate;
  const periodOk =
    card.generation === 'CAN_CUOC'
      ? d >= CAN_CUOC_FIRST_DAY
      : card.generation === 'CCCD'
        ? d >= CCCD_FIRST_DAY && d < CAN_CUOC_FIRST_DAY
        : d < CAN_CUOC_FIRST_DAY; // no CMND was issued under Luật Căn cước 2023
  if (!periodOk) problems.push('CARD_GENERATION_DATE');
  if (card.expiryDate !== null && card.expiryDate < d) problems.push('CARD_EXPIRY_BEFORE_ISSUE');
  if ([card.lostOn, card.revokedOn, card.replacedOn].some((e) => e !== undefined && e < d)) problems.push('CARD_EVENT_BEFORE_ISSUE');
  if (card.replacedBy !== undefined && card.replacedOn === undefined) problems.push('CARD_REPLACEMENT_INCOMPLETE');
  if (card.revocationReason !== undefined && card.revokedOn === undefined) problems.push('CARD_REVOCATION_REASON_WITHOUT_REVOCATION');
  return problems;
}
