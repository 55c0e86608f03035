/**
 * The ministry's exchange API: agencies and focal points, connections through their lifecycle
 * (assessments, transitions with reasons, policies, keys), catalogue versions, statements,
 * monitoring (JSON and Prometheus text), the outbox; the inspectors' access-log query; and the
 * public catalogue and directory.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AgencyCode, AgencyInput, Jwks } from '../../domain/exchange/agency.js';
import { CatalogueService, ServiceCode } from '../../domain/exchange/catalogue.js';
import { ConnectionAction, ConnectionState } from '../../domain/exchange/connection-lifecycle.js';
import { statementCsv } from '../../domain/exchange/fees.js';
import { Policy, PurposeCode } from '../../domain/exchange/policy.js';
import { PersonalId } from '../../domain/citizen/citizen.js';
import {
  agencyDirectory, changeAgency, connectionWithEvents, findConnections, getAgency, listAllAgencies, recordAssessment, registerAgency,
  requestConnection, rotateKeys, setPolicy, transitionConnection,
} from '../../services/exchange/agencies.js';
import { getCatalogue, listCatalogue, prepareCatalogue, publishCatalogue, publishedCatalogue, updateCatalogue } from '../../services/exchange/catalogue.js';
import { inspectAccessLog, monitoringSummary, monthlyStatement, outboxMessages } from '../../services/exchange/reports.js';
import type { ExchangeDeps } from '../../services/exchange/serve.js';
import type { MetricsSnapshot } from '../../services/exchange/metrics.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { actorOf, ADMINS } from '../auth.js';
import { Problem, problemResponses } from '../problem.js';
import { StatementView } from './exchange-agency.js';

const ADMIN_TAGS = ['exchange: ministry'];
const Free = Type.Record(Type.String(), Type.Unknown());
const ByCode = Type.Object({ code: AgencyCode });
const ByConnection = Type.Object({ connectionId: Type.String({ pattern: '^[a-z0-9._-]{3,60}$' }) });
const ByYear = Type.Object({ year: Type.Integer({ minimum: 2020, maximum: 2100 }) });
const INSPECTORS = ['inspector', 'admin'] as const;

export function registerExchangeAdminRoutes(root: FastifyInstance, deps: ExchangeDeps, peerMetrics?: () => Promise<MetricsSnapshot[]>): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = deps;

  // ---------------------------------------------------------------- agencies
  app.post('/admin/agencies', { config: { roles: ADMINS }, schema: { operationId: 'registerAgency', tags: ADMIN_TAGS, body: AgencyInput, response: { 201: Free, ...problemResponses(409) } } }, async (req, reply) => {
    reply.code(201);
    return registerAgency(ctx, req.body) as unknown as Record<string, unknown>;
  });
  app.get('/admin/agencies', { config: { roles: ADMINS }, schema: { operationId: 'listAgencies', tags: ADMIN_TAGS, response: { 200: Type.Array(Free), ...problemResponses() } } }, async () => (await listAllAgencies(ctx)) as unknown as Record<string, unknown>[]);
  app.get('/admin/agencies/:code', { config: { roles: ADMINS }, schema: { operationId: 'getAgency', tags: ADMIN_TAGS, params: ByCode, response: { 200: Free, ...problemResponses(404) } } }, async (req) => (await getAgency(ctx.store.db, req.params.code)) as unknown as Record<string, unknown>);
  app.put(
    '/admin/agencies/:code',
    { config: { roles: ADMINS }, schema: { operationId: 'updateAgency', summary: 'Name, type, funding, data offer and focal points', tags: ADMIN_TAGS, params: ByCode, body: Type.Omit(AgencyInput, ['code']), response: { 200: Free, ...problemResponses(404, 412) } } },
    async (req) => (await changeAgency(ctx, req.params.code, req.body)) as unknown as Record<string, unknown>,
  );

  // ---------------------------------------------------------------- connections
  app.post(
    '/admin/connections',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'requestConnection',
        summary: 'An agency system asks to connect: services, purposes, its public keys; state "requested"',
        tags: ADMIN_TAGS,
        body: Type.Object(
          {
            agencyCode: AgencyCode,
            systemName: Type.String({ minLength: 1, maxLength: 200 }),
            viaPlatform: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The platform the system connects through (e.g. NDXP), if any' })),
            services: Type.Array(ServiceCode, { minItems: 1 }),
            purposes: Type.Array(PurposeCode, { minItems: 1, maxItems: 200 }),
            jwks: Jwks,
          },
          { additionalProperties: false },
        ),
        response: { 201: Free, ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return (await requestConnection(ctx, actorOf(req), req.body)) as unknown as Record<string, unknown>;
    },
  );
  app.get(
    '/admin/connections',
    { config: { roles: ADMINS }, schema: { operationId: 'listConnections', tags: ADMIN_TAGS, querystring: Type.Object({ agencyCode: Type.Optional(AgencyCode), state: Type.Optional(ConnectionState) }), response: { 200: Type.Array(Free), ...problemResponses() } } },
    async (req) => (await findConnections(ctx, req.query)) as unknown as Record<string, unknown>[],
  );
  app.get(
    '/admin/connections/:connectionId',
    { config: { roles: ADMINS }, schema: { operationId: 'getConnection', summary: 'A connection with its policy and every transition, assessment and change', tags: ADMIN_TAGS, params: ByConnection, response: { 200: Free, ...problemResponses(404) } } },
    async (req) => (await connectionWithEvents(ctx, req.params.connectionId)) as unknown as Record<string, unknown>,
  );
  app.post(
    '/admin/connections/:connectionId/assessments',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'recordSecurityAssessment',
        tags: ADMIN_TAGS,
        params: ByConnection,
        body: Type.Object({ result: Type.Union([Type.Literal('passed'), Type.Literal('failed')]), summary: Type.String({ minLength: 1, maxLength: 2000 }), assessor: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: Type.Array(Free), ...problemResponses(404, 403) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return (await recordAssessment(ctx, actorOf(req), req.params.connectionId, req.body)) as unknown as Record<string, unknown>[];
    },
  );
  app.post(
    '/admin/connections/:connectionId/transitions',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'transitionConnection',
        summary: 'approve_for_test, activate, suspend, resume, terminate or reject — with a reason; effective on the next request',
        tags: ADMIN_TAGS,
        params: ByConnection,
        body: Type.Object({ action: ConnectionAction, reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: Free, ...problemResponses(404, 409, 412) },
      },
    },
    async (req) => (await transitionConnection(ctx, actorOf(req), req.params.connectionId, req.body.action, req.body.reason)) as unknown as Record<string, unknown>,
  );
  app.put(
    '/admin/connections/:connectionId/policy',
    { config: { roles: ADMINS }, schema: { operationId: 'setConnectionPolicy', tags: ADMIN_TAGS, params: ByConnection, body: Policy, response: { 200: Free, ...problemResponses(404, 409) } } },
    async (req) => (await setPolicy(ctx, actorOf(req), req.params.connectionId, req.body)) as unknown as Record<string, unknown>,
  );
  app.put(
    '/admin/connections/:connectionId/keys',
    { config: { roles: ADMINS }, schema: { operationId: 'rotateConnectionKeys', summary: 'Replace the public JWKS the agency signs its assertions with', tags: ADMIN_TAGS, params: ByConnection, body: Jwks, response: { 200: Free, ...problemResponses(404, 403) } } },
    async (req) => (await rotateKeys(ctx, actorOf(req), req.params.connectionId, req.body)) as unknown as Record<string, unknown>,
  );

  // ---------------------------------------------------------------- catalogue
  app.get('/admin/catalogue', { config: { roles: ADMINS }, schema: { operationId: 'listCatalogueVersions', tags: ADMIN_TAGS, response: { 200: Type.Array(Free), ...problemResponses() } } }, async () => (await listCatalogue(ctx)) as unknown as Record<string, unknown>[]);
  app.post('/admin/catalogue/:year', { config: { roles: ADMINS }, schema: { operationId: 'prepareCatalogueVersion', summary: 'A draft for the year, from the latest version (or the defaults)', tags: ADMIN_TAGS, params: ByYear, response: { 201: Free, ...problemResponses(409) } } }, async (req, reply) => {
    reply.code(201);
    return (await prepareCatalogue(ctx, req.params.year)) as unknown as Record<string, unknown>;
  });
  app.put(
    '/admin/catalogue/:year',
    { config: { roles: ADMINS }, schema: { operationId: 'updateCatalogueDraft', tags: ADMIN_TAGS, params: ByYear, body: Type.Object({ services: Type.Array(CatalogueService, { minItems: 1 }) }, { additionalProperties: false }), response: { 200: Free, ...problemResponses(404, 409) } } },
    async (req) => (await updateCatalogue(ctx, req.params.year, req.body.services)) as unknown as Record<string, unknown>,
  );
  app.post('/admin/catalogue/:year/publication', { config: { roles: ADMINS }, schema: { operationId: 'publishCatalogueVersion', tags: ADMIN_TAGS, params: ByYear, body: Type.Optional(Type.Object({})), response: { 200: Free, ...problemResponses(404, 409) } } }, async (req) => (await publishCatalogue(ctx, req.params.year)) as unknown as Record<string, unknown>);

  // ---------------------------------------------------------------- statements, monitoring, outbox
  app.get(
    '/admin/agencies/:code/statements/:month',
    { config: { roles: ADMINS }, schema: { operationId: 'getAgencyStatement', summary: 'Monthly statement (JSON, or CSV with Accept: text/csv)', tags: ADMIN_TAGS, params: Type.Object({ code: AgencyCode, month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }) }), produces: ['application/json', 'text/csv'], response: { 200: StatementView, ...problemResponses(404) } } },
    async (req, reply) => {
      const s = await monthlyStatement(ctx, req.params.code, req.params.month);
      if ((req.headers.accept ?? '').includes('text/csv')) {
        reply.type('text/csv; charset=utf-8').serializer((payload) => payload as string);
        return statementCsv(s) as never;
      }
      return s;
    },
  );
  app.get(
    '/admin/monitoring',
    { config: { roles: ADMINS }, schema: { operationId: 'getExchangeMonitoring', summary: 'Calls, refusals and latency percentiles per agency and service, from the access log', tags: ADMIN_TAGS, querystring: Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 31 })) }), response: { 200: Free, ...problemResponses() } } },
    async (req) => (await monitoringSummary(ctx, req.query.hours ?? 24)) as unknown as Record<string, unknown>,
  );
  app.get('/metrics', { config: { roles: ADMINS }, schema: { operationId: 'getMetrics', summary: 'Prometheus text: exchange calls and latency, summed over the server\'s processes', tags: ADMIN_TAGS, produces: ['text/plain'] } }, async (_req, reply) =>
    reply.type('text/plain; version=0.0.4').send(deps.metrics.prometheus(peerMetrics ? await peerMetrics() : [])),
  );
  app.get('/admin/outbox', { config: { roles: ADMINS }, schema: { operationId: 'listOutbox', summary: 'Notifications queued for focal points (no mail server needed)', tags: ADMIN_TAGS, response: { 200: Type.Array(Free), ...problemResponses() } } }, async () => (await outboxMessages(ctx)) as unknown as Record<string, unknown>[]);

  // ---------------------------------------------------------------- inspection
  app.get(
    '/inspection/access-log',
    {
      config: { roles: INSPECTORS },
      schema: {
        operationId: 'queryAccessLog',
        summary: 'The access log by agency, citizen, service and period, newest first',
        tags: ['inspection'],
        querystring: Type.Object(
          {
            agencyCode: Type.Optional(AgencyCode),
            personalId: Type.Optional(PersonalId),
            service: Type.Optional(Type.String({ maxLength: 60 })),
            outcome: Type.Optional(Type.Union([Type.Literal('served'), Type.Literal('refused')])),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Free), nextCursor: Type.Optional(Type.String()) }), ...problemResponses() },
      },
    },
    async (req) => (await inspectAccessLog(ctx, req.query)) as unknown as { items: Record<string, unknown>[]; nextCursor?: string },
  );

  // ---------------------------------------------------------------- public
  app.get(
    '/exchange/catalogue',
    { config: { public: true }, schema: { operationId: 'getPublishedCatalogue', summary: 'The service catalogue in force (public)', tags: ['exchange: public'], security: [], response: { 200: Free, 409: Problem } } },
    async () => (await publishedCatalogue(ctx)) as unknown as Record<string, unknown>,
  );
  app.get(
    '/exchange/catalogue/:year',
    { config: { public: true }, schema: { operationId: 'getCatalogueVersion', summary: 'A published catalogue version (public)', tags: ['exchange: public'], security: [], params: ByYear, response: { 200: Free, 404: Problem } } },
    async (req) => {
      const v = await getCatalogue(ctx, req.params.year);
      // Drafts are the ministry's work in progress: not public.
      if (v.status !== 'published') throw new RegistryError('CATALOGUE_NOT_FOUND');
      return v as unknown as Record<string, unknown>;
    },
  );
  app.get(
    '/exchange/directory',
    { config: { public: true }, schema: { operationId: 'getAgencyDirectory', summary: 'Connected agencies, their focal points and what data they are ready to share (public)', tags: ['exchange: public'], security: [], response: { 200: Type.Array(Free) } } },
    async () => (await agencyDirectory(ctx)) as unknown as Record<string, unknown>[],
  );
}
