/**
 * The ID cards a synthetic citizen holds, in rough real-world proportions: old CMND cards (all
 * expired since 2025), CCCD from the 2016–2024 campaigns (most issued 2021–2023), căn cước cards
 * since July 2024 (new, renewed or replacing CCCD), and a few lost or revoked cards. Drawn from a
 * stream of its own per person, so adding cards does not change the people generated.
 */
import { cardExpiry } from '../domain/cards/expiry.js';
import type { Card, CardGeneration } from '../domain/cards/card.js';
import { earliestDay } from '../domain/dates/partial-date.js';
import { addDays } from '../domain/dates/day-arithmetic.js';
import { createRandom, hash32, type Random } from './random.js';
import type { GeneratedCitizen } from './person.js';

export type GeneratedCard = Card & { seq: number; replacedBySeq?: number };

const ISSUER: Record<CardGeneration, string> = {
  CMND: 'Công an tỉnh/thành phố',
  CCCD: 'Cục trưởng Cục Cảnh sát quản lý hành chính về trật tự xã hội',
  CAN_CUOC: 'Bộ Công an',
};

/** A day in [from, to] (ISO), uniformly. */
function dayBetween(rng: Random, from: string, to: string): string {
  const span = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return span <= 0 ? from : addDays(from, rng.int(span + 1));
}

function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}

export function cardsFor(c: GeneratedCitizen, seed: number, today: string): GeneratedCard[] {
  const rng = createRandom(hash32(seed, `cards:${c.personalId}`));
  const born = earliestDay(c.dateOfBirth);
  const end = c.dateOfDeath ? earliestDay(c.dateOfDeath) : today;
  const cards: GeneratedCard[] = [];
  const add = (generation: CardGeneration, issueDate: string): GeneratedCard | undefined => {
    if (issueDate > end || issueDate < born) return undefined;
    const card: GeneratedCard = {
      personalId: c.personalId,
      seq: cards.length + 1,
      cardNo: generation === 'CMND' ? c.legacyIdNumber! : c.personalId,
      generation,
      issueDate,
      issuingAuthority: ISSUER[generation],
      expiryDate: cardExpiry(generation, c.dateOfBirth, issueDate),
    };
    const previous = cards[cards.length - 1];
    if (previous && !previous.revokedOn) {
      previous.replacedOn = issueDate;
      previous.replacedBy = card.cardNo;
      previous.replacedBySeq = card.seq;
    }
    cards.push(card);
    return card;
  };
  const age14 = addDays(born, Math.ceil(14 * 365.25));
  if (c.legacyIdNumber) add('CMND', maxDay(addDays(age14, rng.int(3650)), '1980-01-01'));
  // CCCD: most adults, mostly during the 2021–2023 campaign.
  const cccdFrom = maxDay('2016-01-01', age14);
  if (cccdFrom <= '2024-06-30' && rng.chance(0.9)) {
    const when = rng.chance(0.8) ? dayBetween(rng, maxDay('2021-01-01', cccdFrom), '2023-12-31') : dayBetween(rng, cccdFrom, '2024-06-30');
    add('CCCD', when);
  }
  // Căn cước since 1 July 2024: children on request, first cards at 14, renewals and replacements.
  const canCuocFrom = maxDay('2024-07-01', born);
  if (canCuocFrom <= end) {
    const last = cards[cards.length - 1];
    const due = last?.expiryDate !== undefined && last.expiryDate !== null && last.expiryDate < end;
    const wants = cards.length === 0 ? (today >= age14 ? 0.85 : 0.15) : due ? 0.8 : 0.12;
    if (rng.chance(wants)) add('CAN_CUOC', dayBetween(rng, maxDay(canCuocFrom, due ? last!.expiryDate! : canCuocFrom), end));
  }
  const current = cards[cards.length - 1];
  if (current && current.generation !== 'CMND') {
    if (rng.chance(0.02)) current.lostOn = dayBetween(rng, current.issueDate, end);
    else if (rng.chance(0.003)) {
      current.revokedOn = dayBetween(rng, current.issueDate, end);
      current.revocationReason = 'Thu hồi do cấp sai thông tin';
    }
  }
  return cards;
}
