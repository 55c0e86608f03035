/** Tables of the OpenID Connect provider (migration 0023; decision 0043). */

export interface OidcModelTable {
  kind: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  account_id: string | null;
  client_id: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

export interface OidcClientTable {
  client_id: string;
  name: string;
  purpose: string;
  jwks: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  claims: string;
  max_level: number;
  subject_type: string;
  require_par: number;
  refresh_tokens: number;
  state: string;
  created_at: string;
  updated_at: string;
}
