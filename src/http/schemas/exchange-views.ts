/**
 * Response schemas of the exchange routes, each named after the type it describes. A response
 * schema is also the serialiser: a property not listed here does not leave the server.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Address, LegacyIdNumber, PartialDate, PersonalId, Relative, Sex } from '../../domain/citizen/citizen.js';
import { AgencyInput, AgencyType, Jwks } from '../../domain/exchange/agency.js';
import { CatalogueService, CatalogueVersionStatus, ServiceCode } from '../../domain/exchange/catalogue.js';
import { ConnectionState } from '../../domain/exchange/connection-lifecycle.js';
import { DEMOGRAPHIC_ATTRIBUTES } from '../../domain/exchange/demographic-match.js';
import { Policy } from '../../domain/exchange/policy.js';

const Instant = Type.String({ format: 'date-time' });

export const Agency = Type.Composite([
  AgencyInput,
  Type.Object({ createdAt: Instant, updatedAt: Instant, version: Type.Integer({ minimum: 1 }) }),
]);
export type Agency = Static<typeof Agency>;

export const DirectoryEntry = Type.Object({
  code: Type.String(),
  name: Type.String(),
  type: AgencyType,
  typeName: Type.String(),
  dataOffer: Type.Optional(Type.String()),
  focalPoints: AgencyInput.properties.focalPoints,
  services: Type.Array(ServiceCode, { description: 'Services of its active or testing connections' }),
});
export type DirectoryEntry = Static<typeof DirectoryEntry>;

export const Connection = Type.Object({
  connectionId: Type.String({ description: 'Also the OAuth client_id of the agency system' }),
  agencyCode: Type.String(),
  systemName: Type.String(),
  viaPlatform: Type.Optional(Type.String()),
  state: ConnectionState,
  requested: Type.Object({ services: Type.Array(Type.String()), purposes: Type.Array(Type.String()) }),
  jwks: Jwks,
  policy: Type.Optional(Policy),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Connection = Static<typeof Connection>;

export const ConnectionEvent = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  at: Instant,
  actorId: Type.String(),
  kind: Type.String({ description: 'request, assessment, transition, policy, keys, ...' }),
  fromState: Type.Optional(ConnectionState),
  toState: Type.Optional(ConnectionState),
  reason: Type.Optional(Type.String()),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'What the event changed (policy, key IDs, assessment result)' })),
});
export type ConnectionEvent = Static<typeof ConnectionEvent>;

export const ConnectionWithEvents = Type.Composite([
  Connection,
  Type.Object({
    events: Type.Array(ConnectionEvent),
    credentials: Type.Union([Type.Literal('none'), Type.Literal('synthetic_only'), Type.Literal('full')], { description: 'What the connection\'s credentials reach in its state' }),
  }),
]);
export type ConnectionWithEvents = Static<typeof ConnectionWithEvents>;

export const CatalogueVersion = Type.Object({
  year: Type.Integer(),
  status: CatalogueVersionStatus,
  publishedAt: Type.Optional(Instant),
  services: Type.Array(CatalogueService),
});
export type CatalogueVersion = Static<typeof CatalogueVersion>;

export const MonitoringRow = Type.Object({
  agencyCode: Type.String(),
  service: Type.String(),
  calls: Type.Integer(),
  served: Type.Integer(),
  refused: Type.Integer(),
  p50Ms: Type.Number(),
  p95Ms: Type.Number(),
  p99Ms: Type.Number(),
});
export type MonitoringRow = Static<typeof MonitoringRow>;
export const MonitoringSummary = Type.Object({ since: Instant, rows: Type.Array(MonitoringRow) });
export type MonitoringSummary = Static<typeof MonitoringSummary>;

export const OutboxMessage = Type.Object({
  messageId: Type.String(),
  createdAt: Instant,
  channel: Type.Literal('email'),
  recipient: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('sent')]),
  related: Type.Optional(Type.String()),
});
export type OutboxMessage = Static<typeof OutboxMessage>;

export const AccessLogEntry = Type.Object({
  logId: Type.String(),
  at: Instant,
  agencyCode: Type.Optional(Type.String()),
  connectionId: Type.Optional(Type.String()),
  service: Type.String(),
  requestId: Type.Optional(Type.String()),
  purpose: Type.Optional(Type.String()),
  officerId: Type.Optional(Type.String()),
  personalIds: Type.Array(PersonalId),
  fields: Type.Array(Type.String()),
  outcome: Type.Union([Type.Literal('served'), Type.Literal('refused')]),
  errorCode: Type.Optional(Type.String()),
  httpStatus: Type.Integer(),
  latencyMs: Type.Number(),
  feeVnd: Type.Integer(),
  catalogueYear: Type.Optional(Type.Integer()),
  sourceIp: Type.Optional(Type.String()),
  testStage: Type.Optional(Type.Literal(true, { description: "Served in the connection's test stage (free)" })),
});
export type AccessLogEntry = Static<typeof AccessLogEntry>;
export const AccessLogPage = Type.Object({ items: Type.Array(AccessLogEntry), nextCursor: Type.Optional(Type.String()) });
export type AccessLogPage = Static<typeof AccessLogPage>;

export const StatementView = Type.Object({
  agencyCode: Type.String(),
  agencyName: Type.String(),
  stateBudgetFunded: Type.Boolean(),
  month: Type.String(),
  lines: Type.Array(Type.Object({ service: Type.String(), served: Type.Integer({ description: 'Served outside the test stage (billed)' }), refused: Type.Integer(), testServed: Type.Integer({ description: 'Served in the test stage: free, counted here only' }), unitPriceVnd: Type.Union([Type.Integer(), Type.Null()]), amountVnd: Type.Integer() })),
  totalCalls: Type.Integer(),
  totalServed: Type.Integer(),
  totalTestServed: Type.Integer(),
  totalAmountVnd: Type.Integer(),
});
export type StatementView = Static<typeof StatementView>;

export const Usage = Type.Object({
  connectionId: Type.String(),
  state: ConnectionState,
  policy: Policy,
  month: Type.String(),
  statement: StatementView,
});
export type Usage = Static<typeof Usage>;

// ---------------------------------------------------------------- catalogue service answers
// Every data field is optional: the connection's policy decides which of them leave.

/** An address as exchanged: the stored parts and its text with the unit names valid today. */
const ExchangedAddress = Type.Composite([Address, Type.Object({ text: Type.String() })]);

export const CitizenRecordAnswer = Type.Object({
  personalId: PersonalId,
  fullName: Type.Optional(Type.String()),
  otherNames: Type.Optional(Type.Array(Type.String())),
  dateOfBirth: Type.Optional(PartialDate),
  sex: Type.Optional(Sex),
  placeOfBirth: Type.Optional(ExchangedAddress),
  birthRegistrationPlace: Type.Optional(ExchangedAddress),
  hometown: Type.Optional(ExchangedAddress),
  ethnicity: Type.Optional(Type.String()),
  religion: Type.Optional(Type.String()),
  nationality: Type.Optional(Type.String()),
  bloodGroup: Type.Optional(Type.String()),
  legacyIdNumber: Type.Optional(LegacyIdNumber),
  maritalStatus: Type.Optional(Type.String()),
  lifeStatus: Type.Optional(Type.Union([Type.Literal('alive'), Type.Literal('deceased'), Type.Literal('missing')])),
  dateOfDeath: Type.Optional(PartialDate),
  relatives: Type.Optional(Type.Array(Relative)),
  permanentResidence: Type.Optional(ExchangedAddress),
  temporaryResidence: Type.Optional(ExchangedAddress),
  currentResidence: Type.Optional(ExchangedAddress),
  phone: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
});
export type CitizenRecordAnswer = Static<typeof CitizenRecordAnswer>;

export const BatchLookupAnswer = Type.Object({
  items: Type.Array(CitizenRecordAnswer),
  notFound: Type.Array(PersonalId, { description: 'Personal IDs asked for that the registry does not hold (among those the call may ask about)' }),
  refused: Type.Optional(
    Type.Array(
      Type.Object({
        personalId: PersonalId,
        code: Type.String({ description: 'Why nothing is answered for this person: SUBJECT_CONSENT_REQUIRED, _PENDING, _REFUSED, _WITHDRAWN or _EXPIRED (decision 0044)' }),
      }),
      { description: "When the connection's policy needs the data subject's consent: the people asked for without a consent in force (neither found nor not found)" },
    ),
  ),
});
export type BatchLookupAnswer = Static<typeof BatchLookupAnswer>;

export const LegacyIdAnswer = Type.Object({
  personalId: PersonalId,
  match: Type.Optional(Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('unknown')])),
});
export type LegacyIdAnswer = Static<typeof LegacyIdAnswer>;

export const HouseholdHeadAnswer = Type.Object({ personalId: PersonalId, isHead: Type.Optional(Type.Boolean()) });
export type HouseholdHeadAnswer = Static<typeof HouseholdHeadAnswer>;

export const ResidenceAnswer = Type.Object({
  personalId: PersonalId,
  permanentResidence: Type.Optional(Type.String()),
  temporaryResidence: Type.Optional(Type.Object({ text: Type.Optional(Type.String()), validUntil: Type.Optional(Type.String()) })),
  livesAt: Type.Optional(Type.String()),
  householdId: Type.Optional(Type.String()),
  relationshipToHead: Type.Optional(Type.String()),
});
export type ResidenceAnswer = Static<typeof ResidenceAnswer>;

export const CardStatusAnswer = Type.Object({
  personalId: PersonalId,
  generation: Type.Optional(Type.String()),
  cardNumber: Type.Optional(Type.String()),
  issueDate: Type.Optional(Type.String()),
  expiryDate: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  status: Type.Optional(Type.String({ description: 'The card in force\'s status, or none' })),
});
export type CardStatusAnswer = Static<typeof CardStatusAnswer>;

const MATCH_RESULTS = ['match', 'partial', 'no_match'] as const;
export const VerificationAnswer = Type.Object({
  personalId: PersonalId,
  result: Type.Union(MATCH_RESULTS.map((r) => Type.Literal(r)), { description: 'match only when every claimed attribute agrees exactly; partial when some only nearly agree; else no_match' }),
  results: Type.Array(
    Type.Object({
      attribute: Type.Union(DEMOGRAPHIC_ATTRIBUTES.map((a) => Type.Literal(a))),
      result: Type.Union([...MATCH_RESULTS, 'no_data'].map((r) => Type.Literal(r))),
      kind: Type.Optional(Type.Union([Type.Literal('exact'), Type.Literal('partial')])),
      score: Type.Integer({ minimum: 0, maximum: 100 }),
    }),
  ),
});
export type VerificationAnswer = Static<typeof VerificationAnswer>;

/** Provider services of the subscriber register (decision 0039). */
export const SubscriberLinkAnswer = Type.Object({
  outcome: Type.Union([Type.Literal('applied'), Type.Literal('unchanged'), Type.Literal('duplicate')], { description: 'applied: the register changed; unchanged: it already said so; duplicate: this record ID was accepted before' }),
  number: Type.String({ description: 'E.164' }),
  personalId: Type.String(),
});
export const SubscriberImportReport = Type.Object({
  operator: Type.String(),
  importKey: Type.String(),
  format: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done')]),
  linesDone: Type.Integer(),
  applied: Type.Integer(),
  unchanged: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  rejects: Type.Array(Type.Object({ lineNo: Type.Integer(), code: Type.String(), field: Type.Union([Type.String(), Type.Null()]) }), { description: 'The first rejected lines (up to 1,000), in line order' }),
});

/** The answer of each catalogue service. */
export const SERVICE_ANSWERS: Readonly<Record<ServiceCode, TSchema>> = {
  lookupCitizen: CitizenRecordAnswer,
  batchLookupCitizens: BatchLookupAnswer,
  authenticateLegacyId: LegacyIdAnswer,
  confirmHouseholdHead: HouseholdHeadAnswer,
  getResidenceInformation: ResidenceAnswer,
  getCardStatus: CardStatusAnswer,
  verifyCitizen: VerificationAnswer,
  submitSubscriberLink: SubscriberLinkAnswer,
  importSubscriberLinks: SubscriberImportReport,
};
