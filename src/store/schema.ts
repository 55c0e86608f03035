/**
 * Table types for Kysely. One schema for both dialects (DESIGN §2): timestamps are ISO-8601 text
 * in UTC, dates are YYYY[-MM[-DD]] text, booleans are 0/1 integers, structured values are JSON text.
 * Citizen-owned tables carry personal_id in every key so they can be distributed by it (§5).
 */
import type { Kysely, Transaction } from 'kysely';
import type { HouseholdTable, HouseholdMemberTable, HouseholdHistoryTable, ResidenceRegistrationTable, ResidenceEventTable, StayNoticeTable, ResidenceApplicationTable } from './schema-residence.js';
import type { ResidenceProhibitedPlaceTable } from './schema-residence-places.js';
import type { AgencyTable, ExchangeConnectionTable, ConnectionEventTable, CatalogueVersionTable, ExchangeTokenTable, AssertionJtiTable, ConnectionUsageTable, OutboxTable } from './schema-exchange.js';
import type { AccessEntryTable, TlogLeafRefTable, PrincipalEventTable } from './schema-accountability.js';
import type { TlogStateTable, TlogTileTable, TlogCheckpointTable, TlogCosignatureTable } from './schema-transparency-log.js';
import type { SubscriberImportRejectTable, SubscriberImportTable, SubscriberLinkEventTable, SubscriberNumberTable, SubscriberRecordTable } from './schema-subscribers.js';
import type { SmsOutboxTable, SmsOutboxPartTable, SmsInboxTable, SmsInboxPartTable, SmsLinkTable } from './schema-sms.js';
import type { WrittenRequestTable, WrittenRequestEventTable, WrittenRequestScanTable } from './schema-written-requests.js';
import type { ConsentRequestTable, ConsentEventTable, ConsentUseTable } from './schema-consents.js';
import type { VisibilityDefaultTable, VisibilityHoldTable, VisibilityReleaseTable, GrievanceTable, GrievanceEventTable } from './schema-citizen-usage.js';
import type { OidcModelTable, OidcClientTable } from './schema-oidc.js';
import type { LoginAccountTable, SignInChallengeTable, AuthSessionTable, SignInFailureTable, EidAccountTable, EidChallengeTable, MailOutboxTable } from './schema-auth.js';

export type { HouseholdTable, HouseholdMemberTable, HouseholdHistoryTable, ResidenceRegistrationTable, ResidenceEventTable, StayNoticeTable, ResidenceApplicationTable, AgencyTable, ExchangeConnectionTable, ConnectionEventTable, CatalogueVersionTable, ExchangeTokenTable, AssertionJtiTable, ConnectionUsageTable, OutboxTable, AccessEntryTable, TlogLeafRefTable, PrincipalEventTable };

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
  /** Last word of name_key (the given name), indexed with birth_year and date_of_birth (migration 0010). */
  given_key: string;
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
  unit: string | null;
  personal_id: string | null;
}

export interface PrincipalTokenTable {
  token_hash: string;
  principal_id: string;
  created_at: string;
  revoked_at: string | null;
  /** Public name of the token (first 16 hex digits of its hash), for lists and revocation (migration 0020). */
  token_id: string | null;
  label: string | null;
  expires_at: string | null;
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
  residence_prohibited_place: ResidenceProhibitedPlaceTable;
  agency: AgencyTable;
  exchange_connection: ExchangeConnectionTable;
  connection_event: ConnectionEventTable;
  catalogue_version: CatalogueVersionTable;
  exchange_token: ExchangeTokenTable;
  assertion_jti: AssertionJtiTable;
  access_entry: AccessEntryTable;
  tlog_leaf_ref: TlogLeafRefTable;
  sms_outbox: SmsOutboxTable;
  sms_outbox_part: SmsOutboxPartTable;
  sms_inbox: SmsInboxTable;
  sms_inbox_part: SmsInboxPartTable;
  sms_link: SmsLinkTable;
  subscriber_number: SubscriberNumberTable;
  subscriber_link_event: SubscriberLinkEventTable;
  subscriber_record: SubscriberRecordTable;
  subscriber_import: SubscriberImportTable;
  subscriber_import_reject: SubscriberImportRejectTable;
  principal_event: PrincipalEventTable;
  login_account: LoginAccountTable;
  eid_account: EidAccountTable;
  eid_challenge: EidChallengeTable;
  mail_outbox: MailOutboxTable;
  sign_in_challenge: SignInChallengeTable;
  auth_session: AuthSessionTable;
  sign_in_failure: SignInFailureTable;
  oidc_model: OidcModelTable;
  oidc_client: OidcClientTable;
  tlog_state: TlogStateTable;
  tlog_tile: TlogTileTable;
  tlog_checkpoint: TlogCheckpointTable;
  tlog_cosignature: TlogCosignatureTable;
  visibility_default: VisibilityDefaultTable;
  visibility_hold: VisibilityHoldTable;
  visibility_release: VisibilityReleaseTable;
  grievance: GrievanceTable;
  grievance_event: GrievanceEventTable;
  connection_usage: ConnectionUsageTable;
  outbox: OutboxTable;
  written_request: WrittenRequestTable;
  written_request_event: WrittenRequestEventTable;
  written_request_scan: WrittenRequestScanTable;
  consent_request: ConsentRequestTable;
  consent_event: ConsentEventTable;
  consent_use: ConsentUseTable;
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
