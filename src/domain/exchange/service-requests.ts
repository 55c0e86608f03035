/** What an agency system sends to each catalogue service (the body of its call). */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PersonalId } from '../citizen/citizen.js';
import { HouseholdId } from '../residence/household.js';
import type { ServiceCode } from './catalogue.js';
import { DemographicClaims } from './demographic-match.js';

export const BATCH_LIMIT = 1000;

export const ByPersonalId = Type.Object({ personalId: PersonalId }, { additionalProperties: false });
export const LegacyIdCheck = Type.Object({ personalId: PersonalId, legacyIdNumber: Type.String({ pattern: '^\\d{9}$' }) }, { additionalProperties: false });
export const HeadCheck = Type.Object(
  { personalId: PersonalId, householdId: Type.Optional(HouseholdId), memberPersonalId: Type.Optional(PersonalId) },
  { additionalProperties: false },
);
export const BatchLookup = Type.Object({ personalIds: Type.Array(PersonalId, { minItems: 1, maxItems: BATCH_LIMIT }) }, { additionalProperties: false });
export const VerifyRequest = Type.Object({ personalId: PersonalId, attributes: DemographicClaims }, { additionalProperties: false });
export type VerifyRequest = Static<typeof VerifyRequest>;

/** A subscriber link as an operator sends it; each field's own rule is checked by the register (line codes). */
export const SubscriberLinkRequest = Type.Object(
  {
    recordId: Type.String({ maxLength: 64, description: "The operator's own ID of this record (idempotency)" }),
    action: Type.String({ maxLength: 10, description: 'link | end' }),
    number: Type.String({ maxLength: 40, description: 'Vietnamese mobile number, any usual spelling (stored as E.164 +84…)' }),
    personalId: Type.String({ maxLength: 12 }),
    confirmedAt: Type.Optional(Type.String({ maxLength: 40, description: 'link: when the operator confirmed the subscriber (ISO 8601; a day alone is Vietnam\'s midnight)' })),
    endedAt: Type.Optional(Type.String({ maxLength: 40, description: 'end: when the subscription ended' })),
  },
  { additionalProperties: false },
);
/** The import's body is NDJSON or CSV, streamed (not JSON): described by the route itself. */
export const SubscriberImportRequest = Type.Unknown({ description: 'NDJSON or CSV lines' });

export const SERVICE_REQUESTS: Readonly<Record<ServiceCode, TSchema>> = {
  lookupCitizen: ByPersonalId,
  authenticateLegacyId: LegacyIdCheck,
  confirmHouseholdHead: HeadCheck,
  getResidenceInformation: ByPersonalId,
  getCardStatus: ByPersonalId,
  batchLookupCitizens: BatchLookup,
  verifyCitizen: VerifyRequest,
  submitSubscriberLink: SubscriberLinkRequest,
  importSubscriberLinks: SubscriberImportRequest,
};
