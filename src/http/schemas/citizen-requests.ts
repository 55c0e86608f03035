/** Request and response schemas of the citizen routes, built from the domain schemas. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CitizenData, PartialDate, PersonalId, Sex } from '../../domain/citizen/citizen.js';
import { ChangeSource, HistoryEntry } from '../../domain/citizen/history.js';
import { PERSONAL_ID_CANCELLATION_REASONS } from '../../domain/identity/personal-id.js';
import { CitizenView } from '../views/citizen-view.js';

const Provenance = {
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  legalBasis: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'Legal basis, e.g. the decision or article applied' })),
  source: Type.Optional(ChangeSource),
};

const BIRTH_OPTIONAL = ['otherNames', 'religion', 'bloodGroup', 'maritalStatus', 'relatives', 'hometown', 'placeOfBirth'] as const;

export const BirthRegistrationBody = Type.Object(
  {
    citizen: Type.Composite([
      Type.Omit(CitizenData, [...BIRTH_OPTIONAL, 'dateOfDeath', 'dateDeclaredMissing']),
      Type.Partial(Type.Pick(CitizenData, [...BIRTH_OPTIONAL])),
    ], { additionalProperties: false }),
    ...Provenance,
  },
  { additionalProperties: false },
);
export type BirthRegistrationBody = Static<typeof BirthRegistrationBody>;

const PATCHABLE = Object.entries(CitizenData.properties).filter(([k]) => k !== 'dateOfDeath' && k !== 'dateDeclaredMissing');
const REQUIRED = new Set<string>(CitizenData.required ?? []);
const OPTIONAL_KEYS = new Set(Object.keys(CitizenData.properties).filter((k) => !REQUIRED.has(k)));

/** Every patchable field optional; optional fields may also be null (= remove). */
export const CitizenPatch = Type.Object(
  Object.fromEntries(
    PATCHABLE.map(([k, schema]) => [
      k,
      Type.Optional(OPTIONAL_KEYS.has(k) ? Type.Union([schema as TSchema, Type.Null()]) : (schema as TSchema)),
    ]),
  ),
  { additionalProperties: false, minProperties: 1 },
);

export const UpdateCitizenBody = Type.Object({ changes: CitizenPatch, ...Provenance }, { additionalProperties: false });
export type UpdateCitizenBody = Static<typeof UpdateCitizenBody>;

export const RecordDeathBody = Type.Object({ dateOfDeath: PartialDate, ...Provenance }, { additionalProperties: false });
export type RecordDeathBody = Static<typeof RecordDeathBody>;

export const DeclareMissingBody = Type.Object({ dateDeclaredMissing: PartialDate, ...Provenance }, { additionalProperties: false });
export type DeclareMissingBody = Static<typeof DeclareMissingBody>;

export const CancelPersonalIdBody = Type.Object(
  {
    reason: Type.Union(PERSONAL_ID_CANCELLATION_REASONS.map((r) => Type.Literal(r))),
    legalBasis: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    corrections: Type.Partial(Type.Pick(CitizenData, ['sex', 'dateOfBirth', 'birthRegistrationPlace']), { minProperties: 1 }),
  },
  { additionalProperties: false },
);
export type CancelPersonalIdBody = Static<typeof CancelPersonalIdBody>;

export const PersonalIdParams = Type.Object({ personalId: PersonalId });

export const SearchQuery = Type.Object(
  {
    personalId: Type.Optional(PersonalId),
    legacyIdNumber: Type.Optional(Type.String({ pattern: '^\\d{9}$' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 150 })),
    dateOfBirth: Type.Optional(PartialDate),
    sex: Type.Optional(Sex),
    province: Type.Optional(Type.String({ pattern: '^\\d{2}$', description: 'Province of birth registration (2-digit code)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const CitizenPageView = Type.Object({ items: Type.Array(CitizenView), nextCursor: Type.Optional(Type.String()) });

export const HistoryView = Type.Object({ personalId: PersonalId, entries: Type.Array(HistoryEntry) });

export const AsOfQuery = Type.Object({ at: Type.String({ description: 'ISO-8601 instant', examples: ['2025-01-01T00:00:00Z'] }) });

export const ReissueView = Type.Object({ cancelledPersonalId: PersonalId, citizen: CitizenView });

export const IfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String()) });
