/**
 * OAuth 2.0 client credentials with private_key_jwt (RFC 7523 §2.2, RFC 7521): the agency system
 * signs a short JWT with a key of its registered JWKS; the registry checks signature, issuer and
 * subject (= client_id = connection ID), audience (this token endpoint), expiry (present, not
 * past, at most 10 minutes ahead) and that its `jti` was never used, then issues an opaque access
 * token valid for 5 minutes, stored as a hash. Only connections in test or active state get one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWK } from 'jose';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { ErrorCode } from '../../domain/errors/codes.js';
import { findExchangeToken, insertExchangeToken, purgeExpired, useAssertionId } from '../../store/repositories/exchange-tokens.js';
import { findConnection } from '../../store/repositories/agencies.js';
import { purgeMinuteUsage } from '../../store/repositories/access-log.js';
import { localMinuteOf } from '../../domain/exchange/rate-limit.js';
import type { ServiceContext } from '../context.js';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const ACCESS_TOKEN_SECONDS = 300;
const MAX_ASSERTION_SECONDS = 600;
const CLOCK_SKEW_SECONDS = 30;
const ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'];

export const hashExchangeToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface TokenRequest {
  grant_type?: string;
  client_assertion_type?: string;
  client_assertion?: string;
  client_id?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

const stateRefusal: Record<string, ErrorCode> = { requested: 'CONNECTION_NOT_ACTIVE', suspended: 'CONNECTION_SUSPENDED', terminated: 'CONNECTION_TERMINATED' };

export async function issueExchangeToken(ctx: ServiceContext, r: TokenRequest, tokenEndpoint: string): Promise<TokenResponse> {
  if (r.grant_type !== 'client_credentials' || r.client_assertion_type !== ASSERTION_TYPE || !r.client_assertion) throw new RegistryError('UNSUPPORTED_GRANT_TYPE');
  let clientId: string;
  try {
    const claims = decodeJwt(r.client_assertion);
    clientId = String(claims.iss ?? '');
  } catch {
    throw new RegistryError('CLIENT_ASSERTION_INVALID');
  }
  if (!clientId || (r.client_id && r.client_id !== clientId)) throw new RegistryError('CLIENT_ASSERTION_INVALID');
  const connection = await findConnection(ctx.store.db, clientId);
  if (!connection) throw new RegistryError('CLIENT_ASSERTION_INVALID');
  const refusal = stateRefusal[connection.state];
  if (refusal) throw new RegistryError(refusal);
  const now = ctx.clock.now();
  let payload;
  try {
    ({ payload } = await jwtVerify(r.client_assertion, createLocalJWKSet({ keys: connection.jwks.keys as JWK[] }), {
      issuer: clientId,
      subject: clientId,
      audience: tokenEndpoint,
      algorithms: ALGORITHMS,
      currentDate: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'jti'],
    }));
  } catch (e) {
    throw new RegistryError(assertionError(e));
  }
  const exp = payload.exp!;
  if (exp - now.getTime() / 1000 > MAX_ASSERTION_SECONDS) throw new RegistryError('ASSERTION_EXPIRED', { detail: `an assertion lives at most ${MAX_ASSERTION_SECONDS} s` });
  const token = `dxt_${randomBytes(32).toString('base64url')}`;
  await ctx.store.transaction(async (tx) => {
    await useAssertionId(tx, clientId, String(payload.jti), new Date((exp + CLOCK_SKEW_SECONDS) * 1000).toISOString());
    await insertExchangeToken(tx, { tokenHash: hashExchangeToken(token), connectionId: clientId, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000).toISOString() });
  });
  return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS };
}

function assertionError(e: unknown): ErrorCode {
  if (e instanceof joseErrors.JWTExpired) return 'ASSERTION_EXPIRED';
  if (e instanceof joseErrors.JWTClaimValidationFailed) return e.claim === 'aud' ? 'ASSERTION_WRONG_AUDIENCE' : e.claim === 'exp' ? 'ASSERTION_EXPIRED' : 'CLIENT_ASSERTION_INVALID';
  if (e instanceof joseErrors.JWKSNoMatchingKey) return 'ASSERTION_UNKNOWN_KEY';
  return 'CLIENT_ASSERTION_INVALID';
}

/** The connection an access token belongs to (for an agency's own usage and statements). */
export async function connectionOfToken(ctx: ServiceContext, token: string | undefined) {
  if (!token) throw new RegistryError('EXCHANGE_TOKEN_INVALID');
  const t = await findExchangeToken(ctx.store.db, hashExchangeToken(token));
  if (!t || t.expiresAt <= ctx.clock.now().toISOString()) throw new RegistryError('EXCHANGE_TOKEN_INVALID');
  const c = await findConnection(ctx.store.db, t.connectionId);
  if (!c) throw new RegistryError('EXCHANGE_TOKEN_INVALID');
  return c;
}

/** The connection of a valid access token, or undefined (recording a refusal: who it was, if anyone). */
export async function findExchangeCaller(ctx: ServiceContext, token: string): Promise<{ connectionId: string; agencyCode: string } | undefined> {
  try {
    const c = await connectionOfToken(ctx, token);
    return { connectionId: c.connectionId, agencyCode: c.agencyCode };
  } catch (e) {
    if (e instanceof RegistryError) return undefined;
    throw e;
  }
}

/**
 * Forgets expired access tokens and assertion IDs (they can no longer be used), and per-minute
 * usage counters older than the previous minute (the rate limit reads no further back).
 */
export async function forgetExpired(ctx: ServiceContext): Promise<void> {
  const now = ctx.clock.now();
  await purgeExpired(ctx.store.db, now.toISOString());
  await purgeMinuteUsage(ctx.store.db, localMinuteOf(new Date(now.getTime() - 60_000).toISOString()));
}
