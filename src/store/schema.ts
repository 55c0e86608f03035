/**
 * Table types for Kysely. One schema for both dialects (DESIGN §2): timestamps are ISO-8601 text
 * in UTC, dates are YYYY[-MM[-DD]] text, booleans are 0/1 integers, structured values are JSON text.
 * Citizen-owned tables carry personal_id in every key so they can be distributed by it (§5).
 */
import type { Kysely, Transaction } from 'kysely';

export interface AdminUnitTable {
  unit_set: string;
  code: string;
  valid_from: string; // '0001-01-01' when valid since before the records
  valid_to: string | null;
  level: string;
  name: string;
  full_name: string;
  parent_code: string | null;
  province_code: string;
}

export interface CategoryTable {
  code: string;
  name_vi: string;
  name_en: string;
  aliases: string | null; // JSON array
}

export interface CitizenTable {
  personal_id: string;
  version: number;
  full_name: string;
  other_names: string; // JSON array
  date_of_birth: string;
  sex: string;
  place_of_birth: string; // JSON Address
  birth_registration_place: string;
  hometown: string;
  ethnicity: string;
  religion: string;
  nationality: string;
  blood_group: string;
  marital_status: string;
  legacy_id_number: string | null;
  relatives: string; // JSON Relative[]
  permanent_residence: string | null;
  temporary_residence: string | null;
  current_residence: string | null;
  date_of_death: string | null;
  date_declared_missing: string | null;
  phone: string | null;
  email: string | null;
  created_at: string;
  updated_at: string;
}

export interface CitizenHistoryTable {
  personal_id: string;
  version: number;
  recorded_at: string;
  actor_id: string;
  source: string;
  change_kind: string;
  reason: string | null;
  legal_basis: string | null;
  changes: string; // JSON { field: [before, after] }
}

export interface PersonalIdIssuedTable {
  personal_id: string;
  issued_at: string;
  status: string; // 'active' | 'cancelled'
  cancelled_at: string | null;
  cancel_reason: string | null;
  replaced_by: string | null;
}

export interface LegacyIdLookupTable {
  legacy_id_number: string;
  personal_id: string;
}

export interface PhoneLookupTable {
  phone: string;
  personal_id: string;
}

export interface CitizenNameKeyTable {
  name_key: string;
  birth_year: number;
  personal_id: string;
  date_of_birth: string;
  sex: string;
  birth_province: string;
}

export interface PrincipalTable {
  id: string;
  name: string;
  role: string;
  created_at: string;
  revoked_at: string | null;
}

export interface PrincipalTokenTable {
  token_hash: string;
  principal_id: string;
  created_at: string;
  revoked_at: string | null;
}

export interface SeedRunTable {
  seed: number;
  target: number;
  done: number;
  started_at: string;
  finished_at: string | null;
}

export interface IdCardTable {
  personal_id: string;
  seq: number;
  card_no: string;
  generation: string;
  issue_date: string;
  issuing_authority: string;
  expiry_date: string | null;
  lost_on: string | null;
  revoked_on: string | null;
  revocation_reason: string | null;
  replaced_on: string | null;
  replaced_by: string | null;
  replaced_by_seq: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface IdCardHistoryTable {
  personal_id: string;
  seq: number;
  version: number;
  recorded_at: string;
  actor_id: string;
  source: string;
  change_kind: string;
  reason: string | null;
  changes: string;
}

export interface CertificateTable {
  personal_id: string;
  number: string;
  kind: string;
  issued_at: string;
  issued_by: string;
  content: string; // JSON: the labelled lines printed on the certificate
  statement: string; // the signed statement printed as QR
  key_id: string;
  revoked_at: string | null;
}

export interface CertificateLookupTable {
  number: string;
  personal_id: string;
}

export interface SigningKeyTable {
  kid: string;
  public_key_pem: string;
  created_at: string;
  retired_at: string | null;
}

export interface HouseholdTable {
  household_id: string; // the residence file number (số hồ sơ cư trú)
  address: string; // JSON Address
  head_personal_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  dissolved_at: string | null;
}

export interface HouseholdMemberTable {
  household_id: string;
  personal_id: string;
  relationship: string;
  joined_on: string;
}

export interface HouseholdHistoryTable {
  household_id: string;
  version: number;
  recorded_at: string;
  actor_id: string;
  source: string;
  change_kind: string;
  reason: string | null;
  application_id: string | null;
  changes: string; // JSON {field: [before, after]}
}

export interface ResidenceRegistrationTable {
  personal_id: string;
  seq: number;
  kind: string; // permanent | temporary | absence
  address: string; // JSON Address, as registered (never rewritten)
  household_id: string | null;
  relationship: string | null;
  start_on: string;
  valid_until: string | null;
  ended_on: string | null;
  end_reason: string | null;
  application_id: string | null;
  details: string | null; // JSON
  recorded_at: string;
}

export interface ResidenceEventTable {
  personal_id: string;
  revision: number;
  recorded_at: string;
  actor_id: string;
  kind: string;
  application_id: string | null;
  details: string; // JSON
}

export interface StayNoticeTable {
  personal_id: string;
  seq: number;
  address: string; // JSON Address
  host: string; // JSON {fullName, personalId?, phone?}
  arrival_at: string;
  departure_on: string;
  notified_at: string;
  on_time: number;
  application_id: string | null;
}

export interface ResidenceApplicationTable {
  application_id: string;
  procedure: string;
  status: string;
  personal_id: string; // the person the application is about (the applicant, or the new head in a split)
  household_id: string | null;
  unit_code: string | null; // the commune that handles it
  submitted_at: string;
  submitted_by: string;
  received_on: string;
  due_on: string | null;
  due_half: string | null;
  request: string; // JSON: the application as filed
  forms: string; // JSON: CT05 / CT06 issued, and the lifecycle steps
  decided_at: string | null;
  decided_by: string | null;
  outcome: string | null; // JSON: what approval did
  version: number;
  updated_at: string;
}

export interface AgencyTable {
  code: string;
  name: string;
  type: string;
  state_budget_funded: number;
  data_offer: string | null;
  focal_points: string; // JSON FocalPoint[]
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ExchangeConnectionTable {
  connection_id: string; // also the OAuth client_id
  agency_code: string;
  system_name: string;
  via_platform: string | null;
  state: string;
  requested: string; // JSON {services, purposes}
  jwks: string; // JSON public JWKS
  policy: string | null; // JSON Policy
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ConnectionEventTable {
  connection_id: string;
  seq: number;
  at: string;
  actor_id: string;
  kind: string; // a transition, an assessment, a policy or key change
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  details: string | null; // JSON
}

export interface CatalogueVersionTable {
  year: number;
  status: string;
  services: string; // JSON CatalogueService[]
  published_at: string | null;
  updated_at: string;
}

export interface ExchangeTokenTable {
  token_hash: string;
  connection_id: string;
  issued_at: string;
  expires_at: string;
}

export interface AssertionJtiTable {
  connection_id: string;
  jti: string;
  expires_at: string;
}

export interface AccessLogTable {
  log_id: string;
  at: string;
  agency_code: string | null;
  connection_id: string | null;
  service: string;
  request_id: string | null;
  purpose: string | null;
  officer_id: string | null;
  personal_ids: string; // JSON string[]
  fields: string; // JSON string[]: the fields returned
  outcome: string; // served | refused
  error_code: string | null;
  http_status: number;
  latency_ms: number;
  fee_vnd: number;
  catalogue_year: number | null;
  source_ip: string | null;
  entry_hash: string; // SHA-256 of the entry's canonical content (a chain can link these later)
}

export interface AccessLogSubjectTable {
  personal_id: string;
  log_id: string;
  at: string;
}

export interface ConnectionUsageTable {
  connection_id: string;
  period: string; // YYYY-MM-DD (local day) or YYYY-MM-DDTHH (local hour)
  calls: number;
}

export interface OutboxTable {
  message_id: string;
  created_at: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  status: string;
  related: string | null;
}

export interface Database {
  admin_unit: AdminUnitTable;
  ethnicity: CategoryTable;
  religion: CategoryTable;
  nationality: CategoryTable;
  blood_group: CategoryTable;
  marital_status: CategoryTable;
  citizen: CitizenTable;
  citizen_history: CitizenHistoryTable;
  personal_id_issued: PersonalIdIssuedTable;
  legacy_id_lookup: LegacyIdLookupTable;
  phone_lookup: PhoneLookupTable;
  citizen_name_key: CitizenNameKeyTable;
  principal: PrincipalTable;
  principal_token: PrincipalTokenTable;
  seed_run: SeedRunTable;
  id_card: IdCardTable;
  id_card_history: IdCardHistoryTable;
  certificate: CertificateTable;
  certificate_lookup: CertificateLookupTable;
  signing_key: SigningKeyTable;
  household: HouseholdTable;
  household_member: HouseholdMemberTable;
  household_history: HouseholdHistoryTable;
  residence_registration: ResidenceRegistrationTable;
  residence_event: ResidenceEventTable;
  stay_notice: StayNoticeTable;
  residence_application: ResidenceApplicationTable;
  agency: AgencyTable;
  exchange_connection: ExchangeConnectionTable;
  connection_event: ConnectionEventTable;
  catalogue_version: CatalogueVersionTable;
  exchange_token: ExchangeTokenTable;
  assertion_jti: AssertionJtiTable;
  access_log: AccessLogTable;
  access_log_subject: AccessLogSubjectTable;
  connection_usage: ConnectionUsageTable;
  outbox: OutboxTable;
}

export type CategoryTableName = 'ethnicity' | 'religion' | 'nationality' | 'blood_group' | 'marital_status';
export const CATEGORY_TABLES: readonly CategoryTableName[] = [
  'ethnicity',
  'religion',
  'nationality',
  'blood_group',
  'marital_status',
];

/** A connection or an open transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;
