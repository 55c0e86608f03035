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
import { smsPrometheus, smsStatus } from '../../services/sms/status.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { actorOf, ADMINS } from '../auth.js';
import { Problem, problemResponses } from '../problem.js';
import { peopleInAnswer } from '../recording.js';
import { peopleInRequest } from '../people.js';
import {
  AccessLogPage, Agency, CatalogueVersion, Connection, ConnectionEvent, ConnectionWithEvents, DirectoryEntry, MonitoringSummary, OutboxMessage, StatementView,
} from '../schemas/exchange-views.js';

const ADMIN_TAGS = ['exchange: ministry'];
const ByCode = Type.Object({ code: AgencyCode });
const ByConnection = Type.Object({ connectionId: Type.String({ pattern: '^[a-z0-9._-]{3,60}$' }) });
const ByYear = Type.Object({ year: Type.Integer({ minimum: 2020, maximum: 2100 }) });
const INSPECTORS = ['inspector', 'admin'] as const;

export function registerExchangeAdminRoutes(root: FastifyInstance, deps: ExchangeDeps, peerMetrics?: () => Promise<MetricsSnapshot[]>): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = deps;

  // ---------------------------------------------------------------- agencies
  app.post('/admin/agencies', { config: { roles: ADMINS }, schema: { operationId: 'registerAgency', summary: 'Register an agency with its focal points', tags: ADMIN_TAGS, body: AgencyInput, response: { 201: Agency, ...problemResponses(409) } } }, async (req, reply) => {
    reply.code(201);
    return registerAgency(ctx, req.body);
  });
  app.get('/admin/agencies', { config: { roles: ADMINS }, schema: { operationId: 'listAgencies', summary: 'Every registered agency', tags: ADMIN_TAGS, response: { 200: Type.Array(Agency), ...problemResponses() } } }, async () => listAllAgencies(ctx));
  app.get('/admin/agencies/:code', { config: { roles: ADMINS }, schema: { operationId: 'getAgency', summary: 'One agency with its focal points', tags: ADMIN_TAGS, params: ByCode, response: { 200: Agency, ...problemResponses(404) } } }, async (req) => getAgency(ctx.store.db, req.params.code));
  app.put(
    '/admin/agencies/:code',
    { config: { roles: ADMINS }, schema: { operationId: 'updateAgency', summary: 'Name, type, funding, data offer and focal points', tags: ADMIN_TAGS, params: ByCode, body: Type.Omit(AgencyInput, ['code']), response: { 200: Agency, ...problemResponses(404, 412) } } },
    async (req) => changeAgency(ctx, req.params.code, req.body, actorOf(req).principalId),
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
        response: { 201: Connection, ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return requestConnection(ctx, actorOf(req), req.body);
    },
  );
  app.get(
    '/admin/connections',
    { config: { roles: ADMINS }, schema: { operationId: 'listConnections', summary: 'Connections, by agency and state', tags: ADMIN_TAGS, querystring: Type.Object({ agencyCode: Type.Optional(AgencyCode), state: Type.Optional(ConnectionState) }), response: { 200: Type.Array(Connection), ...problemResponses() } } },
    async (req) => findConnections(ctx, req.query),
  );
  app.get(
    '/admin/connections/:connectionId',
    { config: { roles: ADMINS }, schema: { operationId: 'getConnection', summary: 'A connection with its policy and every transition, assessment and change', tags: ADMIN_TAGS, params: ByConnection, response: { 200: ConnectionWithEvents, ...problemResponses(404) } } },
    async (req) => connectionWithEvents(ctx, req.params.connectionId),
  );
  app.post(
    '/admin/connections/:connectionId/assessments',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'recordSecurityAssessment',
        summary: 'Record a security assessment (passed or failed) of the agency system; answers the connection\'s events',
        tags: ADMIN_TAGS,
        params: ByConnection,
        body: Type.Object({ result: Type.Union([Type.Literal('passed'), Type.Literal('failed')]), summary: Type.String({ minLength: 1, maxLength: 2000 }), assessor: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: Type.Array(ConnectionEvent), ...problemResponses(404, 403) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return recordAssessment(ctx, actorOf(req), req.params.connectionId, req.body);
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
        response: { 200: Connection, ...problemResponses(404, 409, 412) },
      },
    },
    async (req) => transitionConnection(ctx, actorOf(req), req.params.connectionId, req.body.action, req.body.reason),
  );
  app.put(
    '/admin/connections/:connectionId/policy',
    { config: { roles: ADMINS }, schema: { operationId: 'setConnectionPolicy', summary: 'Set the policy: services with their fields and purposes, rate, quota, networks, matching', tags: ADMIN_TAGS, params: ByConnection, body: Policy, response: { 200: Connection, ...problemResponses(404, 409) } } },
    async (req) => setPolicy(ctx, actorOf(req), req.params.connectionId, req.body),
  );
  app.put(
    '/admin/connections/:connectionId/keys',
    { config: { roles: ADMINS }, schema: { operationId: 'rotateConnectionKeys', summary: 'Replace the public JWKS the agency signs its assertions with', tags: ADMIN_TAGS, params: ByConnection, body: Jwks, response: { 200: Connection, ...problemResponses(404, 403) } } },
    async (req) => rotateKeys(ctx, actorOf(req), req.params.connectionId, req.body),
  );

  // ---------------------------------------------------------------- catalogue
  app.get('/admin/catalogue', { config: { roles: ADMINS }, schema: { operationId: 'listCatalogueVersions', summary: 'Every catalogue version, drafts and published', tags: ADMIN_TAGS, response: { 200: Type.Array(CatalogueVersion), ...problemResponses() } } }, async () => listCatalogue(ctx));
  app.post('/admin/catalogue/:year', { config: { roles: ADMINS }, schema: { operationId: 'prepareCatalogueVersion', summary: 'A draft for the year, from the latest version (or the defaults)', tags: ADMIN_TAGS, params: ByYear, response: { 201: CatalogueVersion, ...problemResponses(409) } } }, async (req, reply) => {
    reply.code(201);
    return prepareCatalogue(ctx, req.params.year);
  });
  app.put(
    '/admin/catalogue/:year',
    { config: { roles: ADMINS }, schema: { operationId: 'updateCatalogueDraft', summary: 'Replace the services of a draft catalogue', tags: ADMIN_TAGS, params: ByYear, body: Type.Object({ services: Type.Array(CatalogueService, { minItems: 1 }) }, { additionalProperties: false }), response: { 200: CatalogueVersion, ...problemResponses(404, 409) } } },
    async (req) => updateCatalogue(ctx, req.params.year, req.body.services),
  );
  app.post('/admin/catalogue/:year/publication', { config: { roles: ADMINS }, schema: { operationId: 'publishCatalogueVersion', summary: 'Publish a draft: it is in force from its year', tags: ADMIN_TAGS, params: ByYear, body: Type.Optional(Type.Object({})), response: { 200: CatalogueVersion, ...problemResponses(404, 409) } } }, async (req) => publishCatalogue(ctx, req.params.year));

  // ---------------------------------------------------------------- statements, monitoring, outbox
  app.get(
    '/admin/agencies/:code/statements/:month',
    { config: { roles: ADMINS }, schema: { operationId: 'getAgencyStatement', summary: 'Monthly statement (JSON, or CSV with Accept: text/csv)', tags: ADMIN_TAGS, params: Type.Object({ code: AgencyCode, month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }) }), response: { 200: { description: 'The statement', content: { 'application/json': { schema: StatementView }, 'text/csv': { schema: Type.String({ description: 'One line per service, then the totals' }) } } }, ...problemResponses(404) } } },
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
    { config: { roles: ADMINS }, schema: { operationId: 'getExchangeMonitoring', summary: 'Calls, refusals and latency percentiles per agency and service, from the access log', tags: ADMIN_TAGS, querystring: Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 31 })) }), response: { 200: MonitoringSummary, ...problemResponses() } } },
    async (req) => monitoringSummary(ctx, req.query.hours ?? 24),
  );
  app.get('/metrics', { config: { roles: ADMINS }, schema: { operationId: 'getMetrics', summary: 'Prometheus text: exchange calls and latency, summed over the server\'s processes; the SMS channel (binds, queue, sent, delivered, failed, throttled) from the store', tags: ADMIN_TAGS, response: { 200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: Type.String() } } } } } }, async (_req, reply) =>
    reply.type('text/plain; version=0.0.4').send(deps.metrics.prometheus(peerMetrics ? await peerMetrics() : []) + smsPrometheus(await smsStatus(ctx.store.db, ctx.clock))),
  );
  app.get('/admin/outbox', { config: { roles: ADMINS }, schema: { operationId: 'listOutbox', summary: 'Notifications queued for focal points (no mail server needed)', tags: ADMIN_TAGS, response: { 200: Type.Array(OutboxMessage), ...problemResponses() } } }, async () => outboxMessages(ctx));

  // ---------------------------------------------------------------- inspection
  app.get(
    '/inspection/access-log',
    {
      // Reading citizens' entries is itself a use: the citizen asked about, and each one a page names.
      config: { roles: INSPECTORS, people: { request: peopleInRequest, response: peopleInAnswer('personalIds') } },
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
        response: { 200: AccessLogPage, ...problemResponses() },
      },
    },
    async (req) => inspectAccessLog(ctx, req.query),
  );

  // ---------------------------------------------------------------- public
  app.get(
    '/exchange/catalogue',
    { config: { public: true }, schema: { operationId: 'getPublishedCatalogue', summary: 'The service catalogue in force (public)', tags: ['exchange: public'], security: [], response: { 200: CatalogueVersion, 409: Problem } } },
    async () => publishedCatalogue(ctx),
  );
  app.get(
    '/exchange/catalogue/:year',
    { config: { public: true }, schema: { operationId: 'getCatalogueVersion', summary: 'A published catalogue version (public)', tags: ['exchange: public'], security: [], params: ByYear, response: { 200: CatalogueVersion, 404: Problem } } },
    async (req) => {
      const v = await getCatalogue(ctx, req.params.year);
      // Drafts are the ministry's work in progress: not public.
      if (v.status !== 'published') throw new RegistryError('CATALOGUE_NOT_FOUND');
      return v;
    },
  );
  app.get(
    '/exchange/directory',
    { config: { public: true }, schema: { operationId: 'getAgencyDirectory', summary: 'Connected agencies, their focal points and what data they are ready to share (public)', tags: ['exchange: public'], security: [], response: { 200: Type.Array(DirectoryEntry) } } },
    async () => agencyDirectory(ctx),
  );
}
