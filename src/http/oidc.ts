/**
 * The OpenID Connect provider in the Fastify app (decision 0043). oidc-provider is a Koa app: the
 * requests under /oidc (and discovery at the root) are handed to it raw with reply.hijack(), after
 * dancu's own onRequest hooks (request ID, recording scope, URL limits, abuse limits), with dancu's
 * security headers set on the raw response. The sign-in and consent pages are dancu's own routes
 * (views/oidc-pages.ts) over the existing sign-in service (services/auth/sign-in.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type Provider from 'oidc-provider';
import { isRegistryError, RegistryError } from '../domain/errors/registry-error.js';
import { acrOf, consentItems, consentOutcome, demandedLevel, parseClaimsParameter, requestedClaims } from '../domain/oidc/claims.js';
import type { ServiceContext } from '../services/context.js';
import type { CategoryCatalogue } from '../services/categories.js';
import type { AuthSettings } from '../services/auth/settings.js';
import { resendCode, startSignIn, verifySecondFactor, type AuthDeps, type SignInStep } from '../services/auth/sign-in.js';
import { lookUpOidcClient, type OidcClient } from '../services/oidc/clients.js';
import { endProviderSignInSession, pendingChallenge } from '../services/oidc/interaction.js';
import { citizenStateOf } from '../services/oidc/account-state.js';
import { sweepExpired } from '../services/oidc/adapter.js';
import { loadOidcKeys } from '../services/oidc/keys.js';
import { createProvider, INTERACTION_PATH, OIDC_PREFIX } from '../services/oidc/provider.js';
import { codePage, consentPage, langOf, loggedOutPage, logoutPage, messagePage, oidcErrorPage, signInPage, STYLESHEET, STYLESHEET_PATH, type Lang } from './views/oidc-pages.js';

export interface OidcOptions {
  /** Where the provider keeps its keys (the data directory). */
  dataDir: string;
}

const STEP_COOKIE = 'dancu-oidc-step';
const LANG_COOKIE = 'lang';

/** The policy of dancu's own pages: its style sheet, forms to itself and to the relying party's redirect origins. */
function pageCsp(formTargets: readonly string[]): string {
  return ["default-src 'none'", "style-src 'self'", "img-src 'self'", `form-action 'self' ${formTargets.join(' ')}`.trim(), "frame-ancestors 'none'", "base-uri 'none'"].join('; ');
}
/** oidc-provider's own pages (sign-out, errors, form_post): no script of ours; forms go to relying parties. */
const PROVIDER_CSP = "default-src 'none'; style-src 'self'; form-action 'self' https: http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'; base-uri 'none'";

function cookieOf(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A malformed escape is the client's bad cookie, not our error: treated as absent.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function securityHeaders(res: ServerResponse, req: FastifyRequest): void {
  res.setHeader('x-request-id', req.id);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('content-security-policy', PROVIDER_CSP);
  if (req.protocol === 'https') res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

/** Form bodies: fields as strings, `claim` (the consent page's ticks) always a list. */
function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const claims: string[] = [];
  for (const [k, v] of new URLSearchParams(text)) {
    if (k === 'claim') claims.push(v);
    else if (!(k in out)) out[k] = v;
  }
  if (claims.length > 0) out.claim = claims;
  return out;
}

const FORM = ['application/x-www-form-urlencoded'];
const Csrf = Type.String({ minLength: 1, maxLength: 100 });
const Lang = Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')]));
const UidParams = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 64 }) });

export function registerOidc(root: FastifyInstance, opts: { ctx: ServiceContext; catalogue: CategoryCatalogue; publicUrl: string; oidc: OidcOptions; auth: AuthSettings; trustProxy: boolean }): Provider {
  const { ctx } = opts;
  const keys = loadOidcKeys(opts.oidc.dataDir);
  const provider = createProvider(ctx, opts.catalogue, {
    issuer: `${opts.publicUrl}${OIDC_PREFIX}`,
    keys,
    proxy: opts.trustProxy,
    pages: {
      error: (koa, out) => oidcErrorPage(langOf(koa.cookies.get(LANG_COOKIE, { signed: false })), out),
      logout: (koa, form) => logoutPage(langOf(koa.cookies.get(LANG_COOKIE, { signed: false })), form),
      loggedOut: (koa) => loggedOutPage(langOf(koa.cookies.get(LANG_COOKIE, { signed: false }))),
    },
  });
  const stopSweep = sweepExpired(ctx.store);
  root.addHook('onClose', async () => stopSweep());
  const callback = provider.callback();
  const csrfKey = keys.cookieKeys[0] ?? '';
  const csrfOf = (uid: string) => createHmac('sha256', csrfKey).update(`dancu-oidc-csrf\u0000${uid}`).digest('base64url');
  const deps: AuthDeps = { store: ctx.store, clock: ctx.clock, settings: opts.auth };

  /** Hands the request to oidc-provider as mounted at /oidc (`path`: the path it sees). */
  async function toProvider(req: FastifyRequest, reply: FastifyReply, path: string): Promise<void> {
    reply.hijack();
    const raw = req.raw as typeof req.raw & { originalUrl?: string };
    securityHeaders(reply.raw, req);
    const url = raw.url ?? '/';
    raw.originalUrl = `${OIDC_PREFIX}${path}${url.slice(url.indexOf('?') >= 0 ? url.indexOf('?') : url.length)}`;
    raw.url = `${path}${url.slice(url.indexOf('?') >= 0 ? url.indexOf('?') : url.length)}`;
    await callback(raw, reply.raw);
  }

  root.route({
    method: ['GET', 'POST', 'HEAD', 'OPTIONS', 'DELETE'],
    url: `${OIDC_PREFIX}/*`,
    config: { public: true },
    schema: { hide: true },
    onRequest: async (req, reply) => {
      const path = (req.raw.url ?? '/').split('?')[0]!.slice(OIDC_PREFIX.length) || '/';
      await toProvider(req, reply, path);
    },
    handler: async () => undefined,
  });
  // OpenID Connect Discovery at the issuer (/oidc/.well-known/…) and, the same document, at the root.
  root.route({
    method: ['GET', 'HEAD'],
    url: '/.well-known/openid-configuration',
    config: { public: true },
    schema: { hide: true },
    onRequest: async (req, reply) => toProvider(req, reply, '/.well-known/openid-configuration'),
    handler: async () => undefined,
  });
  root.get(STYLESHEET_PATH, { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8');
    return STYLESHEET;
  });

  root.register(async (scope) => {
    // The consent form repeats `claim`: this scope reads forms its own way (the exchange's parser keeps one value per name).
    if (scope.hasContentTypeParser('application/x-www-form-urlencoded')) scope.removeContentTypeParser('application/x-www-form-urlencoded');
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parseForm(body as string)));
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();

    const details = async (req: FastifyRequest, reply: FastifyReply) => provider.interactionDetails(req.raw, reply.raw);
    type Details = Awaited<ReturnType<typeof details>>;

    function langFor(req: FastifyRequest, reply: FastifyReply, asked?: string): Lang {
      const q = (req.query as { lang?: string } | undefined)?.lang ?? asked;
      if (q === 'vi' || q === 'en') {
        reply.header('set-cookie', `${LANG_COOKIE}=${q}; Path=/; SameSite=Lax; Max-Age=31536000`);
        return q;
      }
      return langOf(cookieOf(req, LANG_COOKIE));
    }

    function html(reply: FastifyReply, client: OidcClient | undefined, body: string, status = 200) {
      reply.code(status).type('text/html; charset=utf-8').header('content-security-policy', pageCsp(client ? [...new Set(client.redirectUris.map((u) => new URL(u).origin))] : []));
      return body;
    }

    function stepCookie(req: FastifyRequest, uid: string, value: string | undefined): string {
      const secure = req.protocol === 'https' ? '; Secure' : '';
      const path = `${INTERACTION_PATH}/${uid}`;
      return value === undefined ? `${STEP_COOKIE}=; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=0${secure}` : `${STEP_COOKIE}=${encodeURIComponent(value)}; Path=${path}; HttpOnly; SameSite=Lax${secure}`;
    }

    /** Ends the interaction with a result; the browser goes on to oidc-provider (and on to the relying party). */
    async function finish(req: FastifyRequest, reply: FastifyReply, result: Parameters<Provider['interactionResult']>[2], merge = false) {
      const to = await provider.interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission: merge });
      reply.code(303).header('location', to).header('set-cookie', stepCookie(req, (req.params as { uid: string }).uid, undefined));
      return '';
    }

    /** The interaction named by the path, its relying party, and a check of the form's CSRF token. */
    async function open(req: FastifyRequest, reply: FastifyReply, csrf?: string, chosen?: Lang): Promise<{ d: Details; client: OidcClient } | { page: string }> {
      const uid = (req.params as { uid: string }).uid;
      const lang = chosen ?? langOf(cookieOf(req, LANG_COOKIE));
      let d: Details;
      try {
        d = await details(req, reply);
      } catch {
        return { page: html(reply, undefined, messagePage(lang, lang === 'vi' ? 'Phiên đăng nhập đã hết hạn. Hãy quay lại dịch vụ và đăng nhập lại.' : 'This sign-in has expired. Go back to the service and sign in again.'), 400) };
      }
      const client = d.uid === uid ? await lookUpOidcClient(ctx.store, String(d.params.client_id)) : undefined;
      if (!client || client.state !== 'active') return { page: html(reply, undefined, messagePage(lang, lang === 'vi' ? 'Dịch vụ này hiện không được phép đăng nhập bằng tài khoản định danh điện tử.' : 'This service may not sign citizens in at present.'), 400) };
      if (csrf !== undefined) {
        const want = Buffer.from(csrfOf(uid));
        const got = Buffer.from(csrf);
        if (want.length !== got.length || !timingSafeEqual(want, got)) return { page: html(reply, client, messagePage(lang, lang === 'vi' ? 'Biểu mẫu không hợp lệ. Hãy tải lại trang.' : 'The form is not valid. Reload the page.'), 403) };
      }
      return { d, client };
    }

    const form = (req: FastifyRequest, client: OidcClient, lang: Lang, error?: string) => ({ lang, path: `${INTERACTION_PATH}/${(req.params as { uid: string }).uid}`, csrf: csrfOf((req.params as { uid: string }).uid), clientName: client.name, error });
    const messageOf = (e: RegistryError, lang: Lang) => (lang === 'vi' ? e.messageVi : e.message);

    /** The consent page's claims for the signed-in citizen, or the error that ends the request. */
    async function consentFor(d: Details, client: OidcClient) {
      const state = d.session?.accountId ? await citizenStateOf(ctx.store.db, d.session.accountId, ctx.clock.now().getTime()) : undefined;
      if (!state || !state.usable) return { error: 'login_required' as const };
      const asked = requestedClaims(String(d.params.scope ?? ''), parseClaimsParameter(d.params.claims));
      const { items, missingRequired } = consentItems(asked, client.claims, state.level);
      if (missingRequired.length > 0) return { error: 'unmet_authentication_requirements' as const };
      return { items, state };
    }

    app.get(`${INTERACTION_PATH}/:uid`, { config: { public: true }, schema: { hide: true, params: UidParams, querystring: Type.Object({ lang: Lang }) } }, async (req, reply) => {
      // The language link is the citizen's choice whatever becomes of the interaction.
      const lang = langFor(req, reply);
      const o = await open(req, reply, undefined, lang);
      if ('page' in o) return o.page;
      if (o.d.prompt.name === 'login') {
        const step = cookieOf(req, STEP_COOKIE);
        if (step) {
          const [, sentTo] = step.split('|');
          return html(reply, o.client, codePage({ ...form(req, o.client, lang), sentTo: sentTo || undefined }));
        }
        return html(reply, o.client, signInPage(form(req, o.client, lang)));
      }
      const c = await consentFor(o.d, o.client);
      if ('error' in c) return finish(req, reply, { error: c.error, error_description: c.error === 'login_required' ? 'The e-ID account cannot be used' : 'This service needs data of a level-2 e-ID account' });
      return html(reply, o.client, consentPage({ ...form(req, o.client, lang), items: c.items, purpose: o.client.purpose }));
    });

    const client = (req: FastifyRequest) => ({ sourceIp: req.ip, userAgent: req.headers['user-agent'] });

    /** After the password: the code page (SMS or TOTP), or the sign-in page again. */
    function afterPassword(req: FastifyRequest, reply: FastifyReply, c: OidcClient, lang: Lang, step: SignInStep) {
      if (step.next === 'sms' || step.next === 'totp') {
        const sentTo = step.next === 'sms' ? step.sentTo : undefined;
        reply.header('set-cookie', stepCookie(req, (req.params as { uid: string }).uid, `${step.challenge}|${sentTo ?? ''}`));
        return html(reply, c, codePage({ ...form(req, c, lang), sentTo }));
      }
      // An account that must first set its password or enrol TOTP does that in dancu's own sign-in.
      return html(reply, c, signInPage(form(req, c, lang, lang === 'vi' ? 'Hãy hoàn tất việc thiết lập tài khoản trước khi đăng nhập vào dịch vụ.' : 'Finish setting up your account before signing in to a service.')), 403);
    }

    app.post(
      `${INTERACTION_PATH}/:uid/sign-in`,
      { config: { public: true }, schema: { hide: true, consumes: FORM, params: UidParams, body: Type.Object({ csrf: Csrf, lang: Lang, personalId: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 256 }) }) } },
      async (req, reply) => {
        const o = await open(req, reply, req.body.csrf);
        if ('page' in o) return o.page;
        const lang = langOf(req.body.lang);
        try {
          return afterPassword(req, reply, o.client, lang, await startSignIn(deps, { login: req.body.personalId, password: req.body.password }, client(req)));
        } catch (e) {
          if (!isRegistryError(e) || e.status >= 500) throw e;
          if (e.extra?.retryAfter !== undefined) reply.header('retry-after', String(e.extra.retryAfter));
          return html(reply, o.client, signInPage(form(req, o.client, lang, messageOf(e, lang))), e.status);
        }
      },
    );

    app.post(
      `${INTERACTION_PATH}/:uid/resend`,
      { config: { public: true }, schema: { hide: true, consumes: FORM, params: UidParams, body: Type.Object({ csrf: Csrf, lang: Lang }) } },
      async (req, reply) => {
        const o = await open(req, reply, req.body.csrf);
        if ('page' in o) return o.page;
        const lang = langOf(req.body.lang);
        const [challenge = '', sentTo] = (cookieOf(req, STEP_COOKIE) ?? '').split('|');
        try {
          await resendCode(deps, { challenge });
          return html(reply, o.client, codePage({ ...form(req, o.client, lang), sentTo }));
        } catch (e) {
          if (!isRegistryError(e) || e.status >= 500) throw e;
          return html(reply, o.client, codePage({ ...form(req, o.client, lang, messageOf(e, lang)), sentTo }), e.status);
        }
      },
    );

    app.post(
      `${INTERACTION_PATH}/:uid/code`,
      { config: { public: true }, schema: { hide: true, consumes: FORM, params: UidParams, body: Type.Object({ csrf: Csrf, lang: Lang, code: Type.String({ maxLength: 20 }) }) } },
      async (req, reply) => {
        const o = await open(req, reply, req.body.csrf);
        if ('page' in o) return o.page;
        const lang = langOf(req.body.lang);
        const [challenge = '', sentTo] = (cookieOf(req, STEP_COOKIE) ?? '').split('|');
        const pending = challenge ? await pendingChallenge(ctx.store, challenge) : undefined;
        let step: SignInStep;
        try {
          step = await verifySecondFactor(deps, { challenge, code: req.body.code.trim() }, client(req));
        } catch (e) {
          if (!isRegistryError(e) || e.status >= 500) throw e;
          if (e.code === 'SECOND_FACTOR_INVALID') return html(reply, o.client, codePage({ ...form(req, o.client, lang, messageOf(e, lang)), sentTo }), e.status);
          reply.header('set-cookie', stepCookie(req, req.params.uid, undefined));
          return html(reply, o.client, signInPage(form(req, o.client, lang, messageOf(e, lang))), e.status);
        }
        if (step.next !== 'done' || !pending) return afterPassword(req, reply, o.client, lang, step);
        const principalId = pending.principalId;
        // The sign-in opened a dancu session; the browser never gets it (the provider keeps its
        // own): it ends at once rather than idling in the citizen's list of sessions.
        await endProviderSignInSession(ctx.store, ctx.clock, principalId, step.session.sessionId);
        const state = await citizenStateOf(ctx.store.db, principalId, ctx.clock.now().getTime());
        if (!state || !state.usable) {
          // Not an e-ID account that may be used (an officer's, or pending, lapsed, locked): as a wrong password.
          reply.header('set-cookie', stepCookie(req, req.params.uid, undefined));
          return html(reply, o.client, signInPage(form(req, o.client, lang, messageOf(new RegistryError('SIGN_IN_FAILED'), lang))), 401);
        }
        const demanded = demandedLevel(o.d.params.acr_values, parseClaimsParameter(o.d.params.claims));
        if (state.level < demanded || demanded > o.client.maxLevel) {
          return finish(req, reply, { error: 'unmet_authentication_requirements', error_description: 'A level-2 e-ID account is required; the citizen signed in with a level-1 account' });
        }
        return finish(req, reply, { login: { accountId: principalId, acr: acrOf(state.level), amr: ['pwd', pending.stage === 'totp' ? 'otp' : 'sms'] } });
      },
    );

    app.post(
      `${INTERACTION_PATH}/:uid/consent`,
      { config: { public: true }, schema: { hide: true, consumes: FORM, params: UidParams, body: Type.Object({ csrf: Csrf, lang: Lang, decision: Type.String({ maxLength: 20 }), claim: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })) }) } },
      async (req, reply) => {
        const o = await open(req, reply, req.body.csrf);
        if ('page' in o) return o.page;
        if (o.d.prompt.name !== 'consent') return html(reply, o.client, messagePage(langOf(req.body.lang), 'Không có yêu cầu chia sẻ thông tin nào đang chờ. / No consent is pending.'), 400);
        const c = await consentFor(o.d, o.client);
        if ('error' in c) return finish(req, reply, { error: c.error });
        const outcome = consentOutcome(c.items, req.body.decision, req.body.claim ?? []);
        if (outcome.denied) {
          return finish(req, reply, { error: 'access_denied', error_description: outcome.reason === 'cancelled' ? 'The citizen refused' : 'The citizen declined a required claim' });
        }
        const accountId = o.d.session!.accountId;
        const existing = o.d.grantId ? await provider.Grant.find(o.d.grantId) : undefined;
        const grant = existing ?? new provider.Grant({ accountId, clientId: o.client.clientId });
        const details = o.d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope.join(' '));
        const declined = new Set<string>(outcome.declined);
        if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims.filter((n) => !declined.has(n)));
        if (declined.size > 0) grant.rejectOIDCClaims([...declined]);
        const grantId = await grant.save();
        return finish(req, reply, { consent: { grantId } }, true);
      },
    );

    app.post(
      `${INTERACTION_PATH}/:uid/abort`,
      { config: { public: true }, schema: { hide: true, consumes: FORM, params: UidParams, body: Type.Object({ csrf: Csrf }) } },
      async (req, reply) => {
        const o = await open(req, reply, req.body.csrf);
        if ('page' in o) return o.page;
        return finish(req, reply, { error: 'access_denied', error_description: 'The citizen cancelled the sign-in' });
      },
    );
  });
  return provider;
}
