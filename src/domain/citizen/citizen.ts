/**
 * The citizen record: the fields the Law on Identification 2023 Art. 9 lists for the population
 * database. Each type and its JSON schema share one name (TypeBox), so the HTTP layer validates
 * exactly what the domain means.
 */
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';
import { isValidFullDate } from '../dates/partial-date.js';

export const PartialDate = Type.String({
  pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$',
  description: 'YYYY-MM-DD, YYYY-MM or YYYY: registers hold partial dates; the precision is the shape',
  examples: ['1990-05-12', '1990-05', '1990'],
});
export type PartialDate = Static<typeof PartialDate>;

// A full date is a real calendar day: the shape alone let 2024-02-30 through to the services
// (found by the fuzz test, decision 0021). Ajv knows the format; TypeBox checks learn it here.
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', isValidFullDate);
export const FullDate = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2024-07-01'] });
export type FullDate = Static<typeof FullDate>;

export const PersonalId = Type.String({ pattern: '^\\d{12}$', description: 'Số định danh cá nhân (12 digits)' });
export type PersonalId = Static<typeof PersonalId>;

export const LegacyIdNumber = Type.String({ pattern: '^\\d{9}$', description: 'Old 9-digit CMND number' });
export type LegacyIdNumber = Static<typeof LegacyIdNumber>;

export const Sex = Type.Union([Type.Literal('male'), Type.Literal('female')]);
export type Sex = Static<typeof Sex>;

export const UnitSet = Type.Union([Type.Literal('pre2025'), Type.Literal('2025')], {
  description: 'Which list of administrative units the code belongs to: before or after the 1 July 2025 reform',
});
export type UnitSet = Static<typeof UnitSet>;

/** An address is a unit code (from a named unit list) plus free detail; abroad, a country code. */
export const Address = Type.Object(
  {
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2; VN when absent' })),
    unitSet: Type.Optional(UnitSet),
    unitCode: Type.Optional(Type.String({ pattern: '^\\d{2,5}$', description: 'province (2), district (3) or commune (5 digits)' })),
    detail: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type Address = Static<typeof Address>;

export const RelationKind = Type.Union([
  Type.Literal('father'),
  Type.Literal('mother'),
  Type.Literal('spouse'),
  Type.Literal('child'),
  Type.Literal('legalRepresentative'),
  Type.Literal('representedPerson'),
]);
export type RelationKind = Static<typeof RelationKind>;

/** A related person: linked by personal ID where they have one, else by name and nationality. */
export const Relative = Type.Object(
  {
    relation: RelationKind,
    personalId: Type.Optional(PersonalId),
    fullName: Type.String({ minLength: 1, maxLength: 150 }),
    nationality: Type.String({ pattern: '^[A-Z]{2}$' }),
    legacyIdNumber: Type.Optional(LegacyIdNumber),
  },
  { additionalProperties: false },
);
export type Relative = Static<typeof Relative>;

/** The fields an officer supplies or changes (everything but identity, version and timestamps). */
export const CitizenData = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 150, description: 'Họ, chữ đệm và tên khai sinh' }),
    otherNames: Type.Array(Type.String({ minLength: 1, maxLength: 150 }), { maxItems: 10 }),
    dateOfBirth: PartialDate,
    sex: Sex,
    placeOfBirth: Address,
    birthRegistrationPlace: Address,
    hometown: Address,
    ethnicity: Type.String({ pattern: '^\\d{2}$' }),
    religion: Type.String({ pattern: '^\\d{2}$' }),
    nationality: Type.String({ pattern: '^[A-Z]{2}$' }),
    bloodGroup: Type.String({ pattern: '^\\d{2}$' }),
    maritalStatus: Type.String({ pattern: '^\\d$' }),
    legacyIdNumber: Type.Optional(LegacyIdNumber),
    relatives: Type.Array(Relative, { maxItems: 40 }),
    permanentResidence: Type.Optional(Address),
    temporaryResidence: Type.Optional(Address),
    currentResidence: Type.Optional(Address),
    dateOfDeath: Type.Optional(PartialDate),
    dateDeclaredMissing: Type.Optional(PartialDate),
    phone: Type.Optional(Type.String({ pattern: '^\\+?\\d{9,15}$' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  },
  { additionalProperties: false },
);
export type CitizenData = Static<typeof CitizenData>;

/** The stored record. */
export const Citizen = Type.Composite([
  Type.Object({
    personalId: PersonalId,
    version: Type.Integer({ minimum: 1 }),
  }),
  CitizenData,
  Type.Object({
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  }),
]);
export type Citizen = Static<typeof Citizen>;

export type LifeStatus = 'alive' | 'deceased' | 'missing';

/** Derived, never stored: a recorded date of death wins over a declaration of missing. */
export function lifeStatusOf(c: Pick<CitizenData, 'dateOfDeath' | 'dateDeclaredMissing'>): LifeStatus {
  if (c.dateOfDeath) return 'deceased';
  if (c.dateDeclaredMissing) return 'missing';
  return 'alive';
}
