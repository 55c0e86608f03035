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

export const SERVICE_REQUESTS: Readonly<Record<ServiceCode, TSchema>> = {
  lookupCitizen: ByPersonalId,
  authenticateLegacyId: LegacyIdCheck,
  confirmHouseholdHead: HeadCheck,
  getResidenceInformation: ByPersonalId,
  getCardStatus: ByPersonalId,
  batchLookupCitizens: BatchLookup,
  verifyCitizen: VerifyRequest,
};
