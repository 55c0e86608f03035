/**
 * The household register's vocabulary: relationship to the household head (no official code list
 * is known — vn-domain §4.4 — so these codes carry the free-text words form CT01 uses) and the
 * shape of a household as the rules see it.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Address } from '../citizen/citizen.js';

export const RELATIONSHIPS = {
  head: { vi: 'Chủ hộ', en: 'Head of household' },
  wife: { vi: 'Vợ', en: 'Wife' },
  husband: { vi: 'Chồng', en: 'Husband' },
  child: { vi: 'Con', en: 'Child' },
  father: { vi: 'Cha', en: 'Father' },
  mother: { vi: 'Mẹ', en: 'Mother' },
  grandparent: { vi: 'Ông, bà', en: 'Grandparent' },
  grandchild: { vi: 'Cháu', en: 'Grandchild' },
  sibling: { vi: 'Anh, chị, em', en: 'Sibling' },
  other_relative: { vi: 'Người thân khác', en: 'Other relative' },
  not_related: { vi: 'Không có quan hệ gia đình', en: 'Not related' },
} as const;
export type Relationship = keyof typeof RELATIONSHIPS;
export const RELATIONSHIP_CODES = Object.keys(RELATIONSHIPS) as Relationship[];

export const Relationship = Type.Union(
  RELATIONSHIP_CODES.map((c) => Type.Literal(c)),
  { description: 'Relationship to the household head: ' + RELATIONSHIP_CODES.map((c) => `${c} (${RELATIONSHIPS[c].vi})`).join(', ') },
);

/** A member of a household as the rules need to know them. */
export interface MemberFacts {
  personalId: string;
  relationship: Relationship;
  dateOfBirth: string;
  alive: boolean;
}

export interface HouseholdFacts {
  householdId: string;
  address: Address;
  /** Null when the head died or left and no new head has been named yet (adjustment procedure). */
  headPersonalId: string | null;
  members: MemberFacts[];
  dissolved: boolean;
}

/** The residence file number (số hồ sơ cư trú) is the household's key: HS + commune code + 8 characters. */
export const HouseholdId = Type.String({ pattern: '^HS\\d{5}[0-9A-Z]{8}$', description: 'Residence file number (số hồ sơ cư trú)' });
export type HouseholdId = Static<typeof HouseholdId>;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** `n` Crockford base32 characters from a source of random 5-bit values. */
export function randomCode(n: number, random5bit: () => number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[random5bit() & 31];
  return s;
}

/** A new residence file number for a household in `communeCode`, from 8 random 5-bit values. */
export function householdIdFor(communeCode: string, random5bit: () => number): string {
  return `HS${communeCode}${randomCode(8, random5bit)}`;
}

/** Residence application numbers: HSCT-<year>-<10 characters> (50 random bits: not enumerable). */
export const ApplicationId = Type.String({ pattern: '^HSCT-\\d{4}-[0-9A-Z]{10}$', description: 'Residence application number' });

export function applicationIdFor(year: number, random5bit: () => number): string {
  return `HSCT-${year}-${randomCode(10, random5bit)}`;
}
