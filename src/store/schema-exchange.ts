/** Table types of the data exchange (migration 0005); conventions as in schema.ts. */

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
