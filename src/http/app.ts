/**
 * The Fastify application: schemas on every route, OpenAPI 3.1 generated from them, problem+json
 * for every error, text normalised before validation, and logs that carry request and principal
 * IDs but never URLs, bodies or tokens (URLs hold personal IDs).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { dayOf } from '../domain/dates/partial-date.js';
import { RegistryError } from '../domain/errors/registry-error.js';
import type { ServiceContext } from '../services/context.js';
import type { CategoryCatalogue } from '../services/categories.js';
import { registerAuth } from './auth.js';
import { registerRecording } from './recording.js';
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimits } from './rate-limits.js';
import { registerSecurityHeaders } from './security-headers.js';
import { clientErrorHandler, frameworkErrors, MAX_HEADER_SIZE, registerInputHygiene } from './input-hygiene.js';
import { registerUnreadBodyClose } from './unread-body.js';
import { registerOpenApi } from './openapi.js';
import { sendProblem, toRegistryError } from './problem.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerCategoryRoutes } from './routes/categories.js';
import { registerCitizenRoutes } from './routes/citizens.js';
import { registerPrincipalRoutes } from './routes/principals.js';
import { registerSignInRoutes } from './routes/sign-in.js';
import { registerAccountRoutes } from './routes/accounts.js';
import { registerEidRoutes } from './routes/eid.js';
import { authSettings, type AuthSettings } from '../services/auth/settings.js';
import { registerCardRoutes } from './routes/cards.js';
import { registerWrittenRequestRoutes } from './routes/written-requests.js';
import { registerCertificateRoutes } from './routes/certificates.js';
import { registerMeRecordRoutes } from './routes/me-records.js';
import { registerResidenceRoutes } from './routes/residence.js';
import { registerResidencePlaceRoutes } from './routes/residence-places.js';
import { registerExchangeAgencyRoutes } from './routes/exchange-agency.js';
import { registerExchangeAdminRoutes } from './routes/exchange-admin.js';
import { registerAgencyAdminRoutes } from './routes/agency-admin.js';
import { registerSubscriberRoutes } from './routes/subscribers.js';
import type { SubscriberUploadLimits } from '../services/subscribers/index.js';
import { registerCitizenUsageRoutes } from './routes/citizen-usage.js';
import { registerConsentRoutes } from './routes/consents.js';
import { registerInspectionUsageRoutes } from './routes/inspection-usage.js';
import { registerTransparencyRoutes } from './routes/transparency.js';
import { registerInspectionRoutes } from './routes/inspection.js';
import { registerSmsHelpRoutes } from './routes/sms-help.js';
import { registerOidc, type OidcOptions } from './oidc.js';
import { registerOidcClientRoutes } from './routes/oidc-clients.js';
import { registerRelyingPartyRoutes } from './routes/relying-parties.js';
import { registerWebPortal } from './web-portal.js';
import { createExchangeDeps } from '../services/exchange/deps.js';
import { forgetExpired } from '../services/exchange/tokens.js';
import type { AnomalyRule } from '../domain/exchange/anomaly.js';
import type { SigningKeys } from '../services/signing-keys.js';
import type { ExchangeMetrics, MetricsSnapshot } from '../services/exchange/metrics.js';

export interface AppOptions {
  ctx: ServiceContext;
  catalogue: CategoryCatalogue;
  keys: SigningKeys;
  version: string;
  /** Base URL printed on certificates for online verification. */
  publicUrl: string;
  logLevel?: string;
  /** The exchange's anomaly rule (DANCU_ANOMALY_*); the default when absent. */
  anomalyRule?: AnomalyRule;
  /**
   * When the server runs as several processes: this process's exchange metrics (its peers ask for
   * snapshots of them) and a way to fetch the peers' snapshots, so /metrics reports the server.
   */
  metrics?: ExchangeMetrics;
  peerMetrics?: () => Promise<MetricsSnapshot[]>;
  /** Extra routes mounted on the same server (benchmarks mount their baseline route here). */
  extraRoutes?: (app: FastifyInstance) => void;
  /** Per-address abuse limits for the whole server (DANCU_RATE_*); the defaults when absent. */
  rateLimits?: Partial<RateLimits>;
  /** Server processes sharing the port: each enforces its share of the abuse limits. */
  processes?: number;
  /** Wall-clock milliseconds for the abuse limits (tests inject it). */
  rateLimitNowMs?: () => number;
  /** TLS terminated by dancu itself (DANCU_TLS_CERT_FILE / DANCU_TLS_KEY_FILE): PEM certificate chain and key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Proxies whose X-Forwarded-For names the client (DANCU_TRUST_PROXY): addresses or CIDRs. */
  trustProxy?: string[];
  /** Signing in: sessions, delays, tokens, password hashing (DANCU_SESSION_*, DANCU_SIGN_IN_*, DANCU_TOKEN_*); the defaults when absent. */
  auth?: Partial<AuthSettings>;
  /** The largest upload of subscriber links (DANCU_SUBSCRIBER_UPLOAD_MAX_*); the defaults when absent. */
  subscriberUpload?: SubscriberUploadLimits;
  /** The OpenID Connect provider under /oidc (decision 0043): mounted when given (its keys live in the data directory). */
  oidc?: OidcOptions;
  /** The built web portal (DANCU_WEB_DIR); dist/web when absent. */
  webDir?: string;
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], remove: true },
    serializers: {
      req: (req: { id?: string; method?: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        route: req.routeOptions?.url ?? 'unmatched',
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logLevel ?? 'info'),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // No type coercion (DESIGN §3.9): query and path numbers are parsed per schema in input-hygiene.ts.
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false, verbose: true } }, // verbose: each error carries its schema (http/validation-errors.ts)
    bodyLimit: 1_048_576,
    // The per-address limits and logs see the client behind a trusted proxy, not the proxy.
    ...(opts.trustProxy?.length ? { trustProxy: opts.trustProxy } : {}),
    // For deployments without a proxy in front; Fastify then serves HTTPS instead of HTTP (typed as
    // the HTTP overload: the instance is used the same way).
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key, maxHeaderSize: MAX_HEADER_SIZE } as unknown as null } : {}),
    http: { maxHeaderSize: MAX_HEADER_SIZE },
    clientErrorHandler,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // First of all: every request runs in its use scope, so that any refusal from here on, and every
  // use of citizens' data, is recorded by the one mechanism (decision 0027).
  registerRecording(app, opts.ctx);

  // Before any route and hook: body parsing, closed body schemas, the character rule, URL length.
  registerInputHygiene(app);

  // Security headers on every response, and abuse limits per source address before any work
  // (authentication included); both before the docs' scope so that it inherits them.
  registerSecurityHeaders(app);
  // An answer sent while the body is still arriving closes the connection (http/unread-body.ts).
  registerUnreadBodyClose(app);
  registerRateLimits(app, { limits: { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits }, processes: opts.processes ?? 1, ...(opts.rateLimitNowMs ? { nowMs: opts.rateLimitNowMs } : {}) });

  // The document is generated from the route schemas, completed for every route (http/openapi.ts).
  await registerOpenApi(app, { version: opts.version, publicUrl: opts.publicUrl });
  // The browsable docs are public: mark every route the UI plugin adds.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
    });
    await scope.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  });

  const auth = authSettings(opts.auth);
  registerAuth(app, opts.ctx.store, opts.ctx.clock, auth.sessions);

  app.setErrorHandler((error, request, reply) => {
    const err = toRegistryError(error as Parameters<typeof toRegistryError>[0]);
    if (err.status >= 500) request.log.error({ err: { message: (error as Error).message, code: (error as { code?: string }).code } }, 'request failed');
    return sendProblem(reply, request, err);
  });
  // The web portal: a browser asking for a page path that is no API route gets the application.
  const portal = registerWebPortal(app, opts.webDir);
  app.setNotFoundHandler(async (request, reply) => {
    if (await portal.servePage(request, reply)) return reply;
    return sendProblem(reply, request, new RegistryError('NOT_FOUND'));
  });

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  registerHealthRoutes(app, opts);
  registerCategoryRoutes(app, opts.catalogue, () => dayOf(opts.ctx.clock.now()));
  registerCitizenRoutes(app, opts.ctx, opts.catalogue);
  registerPrincipalRoutes(app, opts.ctx, auth);
  registerSignInRoutes(app, opts.ctx, auth);
  registerAccountRoutes(app, opts.ctx, auth);
  registerEidRoutes(app, opts.ctx, opts.catalogue, auth);
  registerCardRoutes(app, opts.ctx, opts.catalogue);
  registerCertificateRoutes(app, opts.ctx, opts.catalogue, opts.keys, () => opts.publicUrl);
  registerMeRecordRoutes(app, opts.ctx, opts.catalogue, opts.keys, () => opts.publicUrl);
  registerWrittenRequestRoutes(app, opts.ctx, opts.catalogue, opts.keys, () => opts.publicUrl);
  registerResidenceRoutes(app, opts.ctx, opts.catalogue, opts.keys);
  registerResidencePlaceRoutes(app, opts.ctx, opts.catalogue);
  const exchange = createExchangeDeps(opts.ctx, opts.catalogue, opts.anomalyRule, opts.metrics);
  // Expired access tokens and assertion IDs can no longer be used: forget them now and then.
  const purge = setInterval(() => void forgetExpired(opts.ctx).catch(() => undefined), 10 * 60_000);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
  registerExchangeAgencyRoutes(app, exchange, () => `${opts.publicUrl}/exchange/oauth/token`);
  registerExchangeAdminRoutes(app, exchange, opts.peerMetrics);
  registerAgencyAdminRoutes(app, opts.ctx);
  registerSubscriberRoutes(app, opts.ctx, exchange, opts.subscriberUpload);
  registerCitizenUsageRoutes(app, opts.ctx);
  registerConsentRoutes(app, opts.ctx);
  registerInspectionUsageRoutes(app, opts.ctx);
  registerTransparencyRoutes(app, opts.ctx);
  registerInspectionRoutes(app, opts.ctx);
  registerSmsHelpRoutes(app);
  registerOidcClientRoutes(app, opts.ctx);
  registerRelyingPartyRoutes(app, opts.ctx);
  if (opts.oidc) registerOidc(app, { ctx: opts.ctx, catalogue: opts.catalogue, publicUrl: opts.publicUrl, oidc: opts.oidc, auth, trustProxy: (opts.trustProxy?.length ?? 0) > 0 });
  opts.extraRoutes?.(app);
  await app.ready();
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
