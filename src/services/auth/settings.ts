/** The settings of signing in (DANCU_SESSION_*, DANCU_SIGN_IN_*, DANCU_TOKEN_*, DANCU_PASSWORD_SCRYPT_LOG_N; decision 0038). */
import { DEFAULT_CHALLENGES, DEFAULT_LOCKOUT, DEFAULT_SESSIONS, DEFAULT_SMS_CODES, DEFAULT_TOKENS, type ChallengePolicy, type LockoutPolicy, type SessionPolicy, type SmsCodePolicy, type TokenPolicy } from '../../domain/auth/limits.js';

export interface AuthSettings {
  lockout: LockoutPolicy;
  sessions: SessionPolicy;
  challenges: ChallengePolicy;
  tokens: TokenPolicy;
  /** One-time codes by SMS: validity, sends per sign-in, wait between them. */
  smsCodes: SmsCodePolicy;
  /** scrypt cost: N = 2^logN (r = 8, p = 1). */
  scryptLogN: number;
  /** The issuer shown by authenticator apps. */
  issuer: string;
}

/** scrypt N = 2^17, r = 8, p = 1: 128 MiB and about a quarter of a second per hash here (decision 0038). */
export const DEFAULT_SCRYPT_LOG_N = 17;

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  lockout: DEFAULT_LOCKOUT,
  sessions: DEFAULT_SESSIONS,
  challenges: DEFAULT_CHALLENGES,
  tokens: DEFAULT_TOKENS,
  smsCodes: DEFAULT_SMS_CODES,
  scryptLogN: DEFAULT_SCRYPT_LOG_N,
  issuer: 'dancu',
};

export function authSettings(partial: Partial<AuthSettings> = {}): AuthSettings {
  return { ...DEFAULT_AUTH_SETTINGS, ...partial };
}
