/** The folded-name search keys kept beside a citizen (DESIGN §3.7, §5 lookup tables). */
import { foldKey } from '../text/normalize.js';
import { yearOf } from '../dates/partial-date.js';
import { givenKeyOf } from './name-match.js';
import type { Citizen } from './citizen.js';

export interface NameKey {
  nameKey: string;
  /** The last word of the folded name: counters search by it (name-match.ts). */
  givenKey: string;
  birthYear: number;
  personalId: string;
  dateOfBirth: string;
  sex: string;
  /** 2-digit province code of birth registration, read from the personal ID ("0" + code). */
  birthProvince: string;
}

/** One key for the birth name and one for each other name, without duplicates. */
export function nameKeysOf(c: Pick<Citizen, 'personalId' | 'fullName' | 'otherNames' | 'dateOfBirth' | 'sex'>): NameKey[] {
  const keys = new Set([c.fullName, ...c.otherNames].map(foldKey).filter((k) => k.length > 0));
  const birthYear = yearOf(c.dateOfBirth);
  const birthProvince = c.personalId.slice(1, 3);
  return [...keys].map((nameKey) => ({
    nameKey,
    givenKey: givenKeyOf(nameKey),
    birthYear,
    personalId: c.personalId,
    dateOfBirth: c.dateOfBirth,
    sex: c.sex,
    birthProvince,
  }));
}

/** Whether a change between two versions requires the search keys to be rewritten. */
export function searchKeysChanged(a: Citizen, b: Citizen): boolean {
  return (
    a.personalId !== b.personalId ||
    a.fullName !== b.fullName ||
    a.dateOfBirth !== b.dateOfBirth ||
    a.sex !== b.sex ||
    JSON.stringify(a.otherNames) !== JSON.stringify(b.otherNames)
  );
}
