/**
 * What each residence application carries (form CT01 and its attachments, reduced to data). One
 * schema per procedure; the type shares its name. Validated at the HTTP boundary and stored as filed.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Address, PersonalId } from '../citizen/citizen.js';
import { HouseholdId, Relationship } from './household.js';
import { AbsenceException, AbsenceGround, CloseRelative, Consent, DeregistrationReason, LawfulResidence, type Procedure } from './procedures.js';

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Consents = Type.Array(Consent, { maxItems: 10, default: [] });
const Note = Type.Optional(Type.String({ maxLength: 1000 }));
/** Where the citizen filed: in person, on the national or MPS portal, or in VNeID. */
export const Channel = Type.Union([Type.Literal('counter'), Type.Literal('national_portal'), Type.Literal('mps_portal'), Type.Literal('vneid')]);
export type Channel = Static<typeof Channel>;
const common = { channel: Type.Optional(Channel), note: Note };

export const PermanentRegistrationRequest = Type.Object(
  {
    personalId: PersonalId,
    /** Either join an existing household… */
    household: Type.Optional(Type.Object({ householdId: HouseholdId, relationship: Relationship }, { additionalProperties: false })),
    /** …or found a new one at this address. */
    address: Type.Optional(Address),
    lawfulResidence: LawfulResidence,
    consents: Consents,
    newHeadOfCurrentHousehold: Type.Optional(PersonalId),
    ...common,
  },
  { additionalProperties: false },
);
export type PermanentRegistrationRequest = Static<typeof PermanentRegistrationRequest>;

export const TemporaryRegistrationRequest = Type.Object(
  { personalId: PersonalId, address: Address, validUntil: Day, lawfulResidence: LawfulResidence, consents: Consents, ...common },
  { additionalProperties: false },
);
export type TemporaryRegistrationRequest = Static<typeof TemporaryRegistrationRequest>;

export const ExtensionRequest = Type.Object(
  { personalId: PersonalId, validUntil: Day, consents: Consents, ...common },
  { additionalProperties: false },
);
export type ExtensionRequest = Static<typeof ExtensionRequest>;

export const SplitRequest = Type.Object(
  {
    householdId: HouseholdId,
    members: Type.Array(Type.Object({ personalId: PersonalId, relationship: Relationship }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
    newHeadPersonalId: PersonalId,
    lawfulResidence: LawfulResidence,
    consents: Consents,
    divorcedSpouseKeepsDwelling: Type.Optional(Type.Boolean({ default: false })),
    divorceDecision: Type.Optional(Type.String({ maxLength: 300, description: 'The court decision, when the divorced spouse exemption is claimed' })),
    /** When the head leaves with the split-off group: who heads the members who stay. */
    newHeadOfRemainingHousehold: Type.Optional(PersonalId),
    ...common,
  },
  { additionalProperties: false },
);
export type SplitRequest = Static<typeof SplitRequest>;

export const DeregistrationRequest = Type.Object(
  {
    personalId: PersonalId,
    kind: Type.Union([Type.Literal('permanent'), Type.Literal('temporary')]),
    reason: DeregistrationReason,
    absentSince: Type.Optional(Day),
    absenceException: Type.Optional(AbsenceException),
    tenancyEndedOn: Type.Optional(Type.String({ format: 'date', description: 'The day the rent, loan or lodging ended (rental_ended, rental_ended_no_consent)' })),
    ownershipTransferredOn: Type.Optional(Type.String({ format: 'date', description: 'The day ownership passed to someone else (ownership_transferred, ownership_transferred_no_consent)' })),
    ownerAgreesToKeepRegistration: Type.Optional(Type.Boolean({ description: 'The lessor or new owner agreed that the registration stays (Art. 24(1)(g), (h))' })),
    dwellingDecision: Type.Optional(Type.String({ maxLength: 300, description: 'The decision to demolish or confiscate the dwelling, or the vehicle\'s deregistration (Art. 24(1)(i))' })),
    newHeadPersonalId: Type.Optional(PersonalId),
    ...common,
  },
  { additionalProperties: false },
);
export type DeregistrationRequest = Static<typeof DeregistrationRequest>;

const MemberRelationship = Type.Object({ personalId: PersonalId, relationship: Relationship }, { additionalProperties: false });
export const AdjustmentRequest = Type.Object(
  {
    householdId: HouseholdId,
    adjustment: Type.Union([
      Type.Object({ kind: Type.Literal('change_head'), newHeadPersonalId: PersonalId, relationships: Type.Array(MemberRelationship, { maxItems: 50, description: 'Every other member\'s relationship to the new head, the outgoing head included' }) }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('change_relationship'), personalId: PersonalId, relationship: Relationship }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('identity_data'), personalId: PersonalId, fields: Type.Array(Type.String({ maxLength: 50 }), { minItems: 1, maxItems: 30 }) }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('rename_address'), address: Address }, { additionalProperties: false }),
    ]),
    consents: Consents,
    ...common,
  },
  { additionalProperties: false },
);
export type AdjustmentRequest = Static<typeof AdjustmentRequest>;

export const StayNoticeRequest = Type.Object(
  {
    personalId: PersonalId,
    host: Type.Object(
      { fullName: Type.String({ minLength: 1, maxLength: 200 }), personalId: Type.Optional(PersonalId), phone: Type.Optional(Type.String({ pattern: '^\\+?\\d{8,15}$' })) },
      { additionalProperties: false },
    ),
    address: Address,
    arrivalAt: Type.String({ format: 'date-time' }),
    departureOn: Day,
    /** What the stayer is to the host (Art. 30: grandparent, parent, spouse, child, grandchild, sibling). */
    closeRelative: Type.Optional(CloseRelative),
    repeated: Type.Optional(Type.Boolean({ description: 'A close relative who stays repeatedly: this one notice covers the later stays at this host\'s place (Art. 30)' })),
    ...common,
  },
  { additionalProperties: false },
);
export type StayNoticeRequest = Static<typeof StayNoticeRequest>;

export const AbsenceRequest = Type.Object(
  {
    personalId: PersonalId,
    ground: AbsenceGround,
    from: Day,
    until: Day,
    destination: Type.Optional(Address),
    authorityConsent: Type.Optional(Type.String({ maxLength: 300, description: 'The written consent of the supervising authority (number and date)' })),
    complex: Type.Optional(Type.Boolean({ description: 'A complex case: 2 working days instead of 1' })),
    ...common,
  },
  { additionalProperties: false },
);
export type AbsenceRequest = Static<typeof AbsenceRequest>;

export type ResidenceRequest =
  | ({ procedure: 'permanent_registration' } & PermanentRegistrationRequest)
  | ({ procedure: 'temporary_registration' } & TemporaryRegistrationRequest)
  | ({ procedure: 'temporary_extension' } & ExtensionRequest)
  | ({ procedure: 'household_split' } & SplitRequest)
  | ({ procedure: 'deregistration' } & DeregistrationRequest)
  | ({ procedure: 'information_adjustment' } & AdjustmentRequest)
  | ({ procedure: 'stay_notice' } & StayNoticeRequest)
  | ({ procedure: 'absence_declaration' } & AbsenceRequest);

/** The schema each procedure's application is checked against (API body, CLI file). */
export const REQUEST_SCHEMAS: Readonly<Record<Procedure, TSchema>> = {
  permanent_registration: PermanentRegistrationRequest,
  temporary_registration: TemporaryRegistrationRequest,
  temporary_extension: ExtensionRequest,
  household_split: SplitRequest,
  deregistration: DeregistrationRequest,
  information_adjustment: AdjustmentRequest,
  stay_notice: StayNoticeRequest,
  absence_declaration: AbsenceRequest,
};

/**
 * The people whose registrations or records an approval of `r` changes, as the request names them
 * (the approval locks them; a household procedure also changes members the request leaves unnamed,
 * which only the register knows). Once each, in key order: the order every writer locks them in.
 */
export function peopleChangedBy(r: ResidenceRequest): string[] {
  const ids: (string | undefined)[] = [];
  switch (r.procedure) {
    case 'permanent_registration':
      ids.push(r.personalId, r.newHeadOfCurrentHousehold);
      break;
    case 'deregistration':
      ids.push(r.personalId, r.newHeadPersonalId);
      break;
    case 'household_split':
      ids.push(...r.members.map((m) => m.personalId), r.newHeadPersonalId, r.newHeadOfRemainingHousehold);
      break;
    case 'information_adjustment': {
      const a = r.adjustment;
      if (a.kind === 'change_head') ids.push(a.newHeadPersonalId, ...a.relationships.map((m) => m.personalId));
      else if (a.kind !== 'rename_address') ids.push(a.personalId);
      break;
    }
    default:
      ids.push(r.personalId);
  }
  return [...new Set(ids.filter((id): id is string => id !== undefined))].sort();
}

/** The properties, at any depth, in which a request names a person (consenting heads and owners too). */
const PERSON_KEYS = new Set(['personalId', 'newHeadPersonalId', 'newHeadOfCurrentHousehold', 'newHeadOfRemainingHousehold']);

function mapPeople(v: unknown, f: (id: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => mapPeople(x, f));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, PERSON_KEYS.has(k) && typeof x === 'string' ? f(x) : mapPeople(x, f)]));
}

/** Every personal ID `r` names, in any role, once each. */
export function peopleNamedIn(r: ResidenceRequest): string[] {
  const ids = new Set<string>();
  mapPeople(r, (id) => (ids.add(id), id));
  return [...ids];
}

/** `r` with each personal ID that `current` maps replaced (a number re-issued since filing). */
export function renumberPeople(r: ResidenceRequest, current: ReadonlyMap<string, string>): ResidenceRequest {
  return mapPeople(r, (id) => current.get(id) ?? id) as ResidenceRequest;
}
