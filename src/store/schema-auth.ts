/** Tables of signing in (migration 0020; decision 0038). */

export interface LoginAccountTable {
  principal_id: string;
  login: string;
  password_hash: string;
  password_changed_at: string;
  must_change_password: number; // 0/1
  second_factor: string | null; // 'totp' once enrolled, or 'sms' (set by the administrator with the phone)
  totp_secret: string | null; // base32
  totp_last_step: number | null;
  phone: string | null; // E.164, for one-time codes by SMS
  locked_at: string | null;
  lock_reason: string | null;
  created_at: string;
}

export interface SignInChallengeTable {
  challenge_hash: string;
  principal_id: string;
  stage: string; // set-password | enrol-totp | totp | sms
  created_at: string;
  expires_at: string;
  attempts: number;
  pending_secret: string | null;
  code_hash: string | null;
  code_expires_at: string | null;
  sends: number;
  last_sent_at: string | null;
  spent_at: string | null;
}

export interface AuthSessionTable {
  session_hash: string;
  session_id: string;
  principal_id: string;
  created_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  source_ip: string | null;
  user_agent: string | null;
}

export interface SignInFailureTable {
  failure_key: string;
  failures: number;
  last_failure_at: string;
}

/** Citizens' e-ID accounts (migration 0022; decision 0042). */
export interface EidAccountTable {
  principal_id: string;
  personal_id: string;
  level: number; // 1 | 2
  state: string; // pending-activation | active | lapsed
  created_at: string;
  notice_at: string;
  activation_deadline: string;
  activated_at: string | null;
  level2_at: string | null;
  level2_by: string | null;
  representative_id: string | null;
  email: string | null;
  lock_kind: string | null; // self | authority
}

/** One-time codes of e-ID steps other than signing in (migration 0022; decision 0042). */
export interface EidChallengeTable {
  challenge_hash: string;
  purpose: string; // register | activate | unlock | phone | email
  personal_id: string;
  principal_id: string | null;
  contact: string | null;
  password_hash: string | null;
  code_hash: string | null;
  created_at: string;
  expires_at: string;
  attempts: number;
  sends: number;
  last_sent_at: string | null;
  spent_at: string | null;
}

/** E-mails waiting for a transport (migration 0022; decision 0042). */
export interface MailOutboxTable {
  message_id: string;
  key: string;
  kind: string; // otp
  to_address: string;
  subject: string;
  body: string;
  created_at: string;
  expires_at: string | null;
  delivered_at: string | null;
}
