/**
 * The agency-facing API: the OAuth token endpoint (client credentials with private_key_jwt), one
 * route per catalogue service (served by the one mechanism in services/exchange/serve.ts), and the
 * agency's own usage and monthly statements. Public as far as officer tokens go: the exchange
 * access token is checked by the mechanism itself.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SERVICE_CODES } from '../../domain/exchange/catalogue.js';
import { statementCsv } from '../../domain/exchange/fees.js';
import { SERVICE_REQUESTS } from '../../domain/exchange/service-requests.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { monthlyStatement } from '../../services/exchange/reports.js';
import { serveExchange, type ExchangeDeps } from '../../services/exchange/serve.js';
import { connectionOfToken, issueExchangeToken } from '../../services/exchange/tokens.js';
import { Problem } from '../problem.js';
import { SERVICE_ANSWERS, StatementView, Usage } from '../schemas/exchange-views.js';
import { bearerOf } from '../auth.js';
import { peopleInBody } from '../recording.js';

const TAGS = ['exchange: agencies'];
const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};
const Errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem, 503: Problem };
const CallHeaders = Type.Object({
  'x-request-id': Type.Optional(Type.String({ description: 'The agency\'s request ID (MaYeuCau), up to 40 characters; refused with REQUEST_ID_REQUIRED when absent' })),
  'x-purpose': Type.Optional(Type.String({ description: 'Purpose: the administrative procedure code (MaDVC) the policy grants; refused with PURPOSE_REQUIRED when absent' })),
  'x-officer-id': Type.Optional(Type.String({ description: 'ID of the agency officer who asked (MaCanBo), up to 40 characters; refused with OFFICER_ID_REQUIRED when absent' })),
});
/** Checked by the one mechanism that serves every call, so that a refusal is logged like any other. */
const CALL_HEADERS = ['x-request-id', 'x-purpose', 'x-officer-id'] as const;
const TOKEN_NOTE = 'Needs an exchange access token from /exchange/oauth/token (not an officer token).';

export function registerExchangeAgencyRoutes(root: FastifyInstance, deps: ExchangeDeps, tokenEndpoint: () => string): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // OAuth token requests are form-encoded (RFC 6749 §4.4).
  root.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post(
    '/exchange/oauth/token',
    {
      config: { public: true, rateLimit: 'token' },
      schema: {
        operationId: 'issueExchangeToken',
        summary: 'OAuth 2.0 client credentials with a private_key_jwt client assertion (RFC 7523): a 5-minute access token',
        tags: TAGS,
        security: [],
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: Type.Object({
          grant_type: Type.String(),
          client_assertion_type: Type.String(),
          client_assertion: Type.String({ maxLength: 8192 }),
          client_id: Type.Optional(Type.String()),
        }),
        description:
          'The agency system signs a JWT with a key of its connection\'s JWKS (iss = sub = connection ID, aud = this endpoint, a fresh jti) and exchanges it for a bearer token for the catalogue services.',
        response: { 200: Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer({ description: 'Seconds' }) }), 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return issueExchangeToken(deps.ctx, req.body, tokenEndpoint());
    },
  );

  for (const code of SERVICE_CODES) {
    // A file of subscriber links is streamed, not JSON: its route is in routes/subscribers.ts.
    if (code === 'importSubscriberLinks') continue;
    app.post(
      `/exchange/services/${code}`,
      {
        // The people a call names: recorded by serve.ts; by the mechanism when refused before it runs
        // (schema validation) — only for a caller whose token is good.
        config: { public: true, agencyToken: true, requiredHeaders: CALL_HEADERS, action: code, people: peopleInBody('personalId', 'personalIds', 'memberPersonalId') },
        schema: {
          operationId: `exchange_${code}`,
          summary: `Catalogue service ${code}: only the fields of the connection's policy are returned; every call is logged`,
          description: `${TOKEN_NOTE} The call is checked against the connection's state and policy (service, purpose, source network, rate, quota), recorded in the access log before the answer leaves, and charged by the catalogue price unless free.`,
          tags: TAGS,
          headers: CallHeaders,
          body: SERVICE_REQUESTS[code],
          response: { 200: SERVICE_ANSWERS[code], ...Errors },
        },
      },
      async (req, reply) => {
        const answer = await serveExchange(deps, {
          service: code,
          token: bearerOf(req),
          requestId: header(req, 'x-request-id'),
          purpose: header(req, 'x-purpose'),
          officerId: header(req, 'x-officer-id'),
          sourceIp: req.ip,
          body: req.body,
        });
        if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
        if (answer.error) throw answer.error;
        return answer.body as never;
      },
    );
  }

  app.get(
    '/exchange/statements/:month',
    {
      config: { public: true, agencyToken: true },
      schema: {
        operationId: 'getOwnStatement',
        summary: 'The agency\'s monthly statement (JSON, or CSV with Accept: text/csv); totals reconcile with the access log',
        tags: TAGS,
        params: Type.Object({ month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }) }),
        description: TOKEN_NOTE,
        response: {
          200: {
            description: 'The statement',
            content: { 'application/json': { schema: StatementView }, 'text/csv': { schema: Type.String({ description: 'One line per service, then the totals' }) } },
          },
          401: Problem,
          400: Problem,
          404: Problem,
        },
      },
    },
    async (req, reply) => {
      const c = await connectionOfToken(deps.ctx, bearerOf(req));
      const s = await monthlyStatement(deps.ctx, c.agencyCode, req.params.month);
      if ((header(req, 'accept') ?? '').includes('text/csv')) {
        // CSV bypasses the JSON response schema's serialiser (the schema documents the JSON form).
        reply.type('text/csv; charset=utf-8').serializer((payload) => payload as string);
        return statementCsv(s) as never;
      }
      return s;
    },
  );

  app.get(
    '/exchange/usage',
    {
      config: { public: true, agencyToken: true },
      schema: { operationId: 'getOwnUsage', summary: 'The calling connection: its state, policy and this month\'s calls and charges', description: TOKEN_NOTE, tags: TAGS, response: { 200: Usage, 401: Problem, 409: Problem } },
    },
    async (req) => {
      const c = await connectionOfToken(deps.ctx, bearerOf(req));
      const month = new Date(deps.ctx.clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 7);
      const s = await monthlyStatement(deps.ctx, c.agencyCode, month);
      if (!c.policy) throw new RegistryError('POLICY_REQUIRED');
      return { connectionId: c.connectionId, state: c.state, policy: c.policy, month, statement: s };
    },
  );
}
