/**
 * The OpenID Connect provider (oidc-provider 9; decision 0043): authorization code flow only,
 * PKCE (S256) always, client authentication private_key_jwt only, pushed authorization requests,
 * RP-initiated logout, refresh tokens for relying parties registered for them (every refresh asks
 * findAccount again: a lock stops it), pairwise subjects by default, `acr` naming the e-ID level.
 * Sign-in and consent are dancu's own pages (http/routes/oidc-interactions.ts).
 */
import { createHash } from 'node:crypto';
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { ACR_VALUES, SCOPE_CLAIMS } from '../../domain/oidc/claims.js';
import type { CategoryCatalogue } from '../categories.js';
import type { ServiceContext } from '../context.js';
import { adapterFor } from './adapter.js';
import type { OidcKeys } from './keys.js';
import { accountFinder } from './release.js';

/** Where the provider is mounted under the public URL; the issuer is the public URL plus it. */
export const OIDC_PREFIX = '/oidc';
export const INTERACTION_PATH = `${OIDC_PREFIX}/interaction`;

export interface ProviderPages {
  /** An error page for the citizen (the relying party could not be told: bad client, bad redirect URI). */
  error(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): string;
  /** The sign-out confirmation page; `form` is oidc-provider's form (hidden inputs and its action). */
  logout(ctx: KoaContextWithOIDC, form: string): string;
  loggedOut(ctx: KoaContextWithOIDC): string;
}

/**
 * oidc-provider's prompts with one more login check: a session whose account findAccount no longer
 * finds (locked, lapsed, revoked since it signed in) must sign in again. Without it oidc-provider
 * goes on to consent with no account and fails (server_error).
 */
function policy() {
  const p = interactionPolicy.base();
  const { Check } = interactionPolicy;
  p.get('login')!.checks.add(new Check('account_unusable', 'The e-ID account can no longer be used', (ctx) => (ctx.oidc.session?.accountId && !ctx.oidc.account ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT)));
  return p;
}

export function createProvider(ctx: ServiceContext, catalogue: CategoryCatalogue, opts: { issuer: string; keys: OidcKeys; pages: ProviderPages; proxy?: boolean }): Provider {
  // The ID token always says the level the citizen signed in with (acr) and how (amr).
  const claims: Record<string, string[]> = { openid: ['sub', 'acr', 'amr', 'auth_time'] };
  for (const [scope, names] of Object.entries(SCOPE_CLAIMS)) claims[scope] = [...names];
  const configuration: Configuration = {
    adapter: adapterFor(ctx.store),
    findAccount: accountFinder(ctx, catalogue),
    jwks: { keys: opts.keys.signing as never },
    cookies: { keys: opts.keys.cookieKeys, long: { signed: true, httpOnly: true, sameSite: 'lax' }, short: { signed: true, httpOnly: true, sameSite: 'lax' } },
    claims,
    scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS)],
    acrValues: [...ACR_VALUES],
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      createHash('sha256').update(`${client.sectorIdentifier ?? ''}\u0000${accountId}\u0000${opts.keys.pairwiseSalt}`).digest('base64url'),
    clientAuthMethods: ['private_key_jwt'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (koa, form) => {
          koa.type = 'html';
          koa.body = opts.pages.logout(koa, form);
        },
        postLogoutSuccessSource: async (koa) => {
          koa.type = 'html';
          koa.body = opts.pages.loggedOut(koa);
        },
      },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    interactions: { url: (_koa, interaction) => `${INTERACTION_PATH}/${interaction.uid}`, policy: policy() },
    renderError: async (koa, out) => {
      koa.type = 'html';
      koa.body = opts.pages.error(koa, out);
    },
    // Grants (what the citizen allowed a relying party) last a year; sessions a working day.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 1800,
      Session: 8 * 3600,
      Grant: 365 * 24 * 3600,
      RefreshToken: 24 * 3600,
      PushedAuthorizationRequest: 60,
    },
    issueRefreshToken: async (_koa, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    loadExistingGrant: async (koa) => {
      const grantId = koa.oidc.result?.consent?.grantId ?? koa.oidc.session?.grantIdFor(koa.oidc.client!.clientId);
      return grantId ? koa.oidc.provider.Grant.find(grantId) : undefined;
    },
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'], idTokenSigningAlgValues: ['RS256'] },
  };
  const provider = new Provider(opts.issuer, configuration);
  if (opts.proxy) provider.proxy = true;
  return provider;
}
