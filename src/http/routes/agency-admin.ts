/**
 * An agency's administrator (role `agency`, decision 0046): their own agency only — its focal points,
 * its connections with their history, a new connection request, the connection's keys, monthly
 * statements and the consent requests its systems sent. The agency is the principal's unit; a
 * connection of another agency is "not found", as if it did not exist. The ministry's routes
 * (/admin/…) stay the ministry's: the same services, narrowed here to one agency.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { FocalPoint, Jwks } from '../../domain/exchange/agency.js';
import { ServiceCode } from '../../domain/exchange/catalogue.js';
import { CONSENT_STATES } from '../../domain/exchange/consent.js';
import { statementCsv } from '../../domain/exchange/fees.js';
import { PurposeCode } from '../../domain/exchange/policy.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { Role, ServiceContext } from '../../services/context.js';
import { agencyConsents } from '../../services/consents/requests.js';
import { changeAgency, connectionWithEvents, findConnections, getAgency, getConnection, requestConnection, rotateKeys } from '../../services/exchange/agencies.js';
import { monthlyStatement } from '../../services/exchange/reports.js';
import { actorOf } from '../auth.js';
import { problemResponses } from '../problem.js';
import { peopleInAnswer } from '../recording.js';
import { Agency, Connection, ConnectionWithEvents, StatementView } from '../schemas/exchange-views.js';
import { AgencyConsentView } from './consents.js';

const TAGS = ['exchange: agency administrators'];
const AGENCY_ADMINS: readonly Role[] = ['agency'];
const ByConnection = Type.Object({ connectionId: Type.String({ pattern: '^[a-z0-9._-]{3,60}$' }) });
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'yyyy-mm, Vietnam time' });

/** The agency the signed-in administrator administers (the account's unit, checked when it was created). */
function agencyOf(req: FastifyRequest): string {
  const code = req.principal?.unit;
  if (!code) throw new RegistryError('FORBIDDEN');
  return code;
}

/** A connection of the administrator's agency; any other is not found (its existence is not theirs to learn). */
async function ownConnection(ctx: ServiceContext, req: FastifyRequest, connectionId: string) {
  const c = await getConnection(ctx.store.db, connectionId).catch((e: unknown) => {
    if (e instanceof RegistryError && e.code === 'CONNECTION_NOT_FOUND') return undefined;
    throw e;
  });
  if (!c || c.agencyCode !== agencyOf(req)) throw new RegistryError('CONNECTION_NOT_FOUND');
  return c;
}

export function registerAgencyAdminRoutes(root: FastifyInstance, ctx: ServiceContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const config = { roles: AGENCY_ADMINS };

  app.get(
    '/my-agency',
    { config, schema: { operationId: 'getMyAgency', summary: 'The administrator\'s agency with its focal points', tags: TAGS, response: { 200: Agency, ...problemResponses(404) } } },
    async (req) => getAgency(ctx.store.db, agencyOf(req)),
  );
  app.put(
    '/my-agency/focal-points',
    {
      config,
      schema: {
        operationId: 'setMyFocalPoints',
        summary: 'Replace the agency\'s focal points (published in the directory); name, type and funding stay the ministry\'s',
        tags: TAGS,
        body: Type.Object({ focalPoints: Type.Array(FocalPoint, { minItems: 1, maxItems: 10 }) }, { additionalProperties: false }),
        response: { 200: Agency, ...problemResponses(404) },
      },
    },
    // Only the focal points, merged inside the change's transaction: the rest stays whatever the ministry last set.
    async (req) => changeAgency(ctx, agencyOf(req), { focalPoints: req.body.focalPoints }, actorOf(req).principalId),
  );

  app.get(
    '/my-agency/connections',
    { config, schema: { operationId: 'listMyConnections', summary: 'The agency\'s connections and their states', tags: TAGS, response: { 200: Type.Array(Connection), ...problemResponses() } } },
    async (req) => findConnections(ctx, { agencyCode: agencyOf(req) }),
  );
  app.post(
    '/my-agency/connections',
    {
      config,
      schema: {
        operationId: 'requestMyConnection',
        summary: 'Ask to connect a system: services, purposes, its public keys; state "requested" until the ministry assesses and approves it',
        tags: TAGS,
        body: Type.Object(
          {
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
      const c = await requestConnection(ctx, actorOf(req), { ...req.body, agencyCode: agencyOf(req) });
      reply.code(201);
      return c;
    },
  );
  app.get(
    '/my-agency/connections/:connectionId',
    { config, schema: { operationId: 'getMyConnection', summary: 'One of the agency\'s connections with its policy and every transition, assessment and change', tags: TAGS, params: ByConnection, response: { 200: ConnectionWithEvents, ...problemResponses(404) } } },
    async (req) => {
      await ownConnection(ctx, req, req.params.connectionId);
      return connectionWithEvents(ctx, req.params.connectionId);
    },
  );
  app.put(
    '/my-agency/connections/:connectionId/keys',
    { config, schema: { operationId: 'rotateMyConnectionKeys', summary: 'Upload or rotate the public JWKS the system signs its assertions with (public keys only)', tags: TAGS, params: ByConnection, body: Jwks, response: { 200: Connection, ...problemResponses(404, 403) } } },
    async (req) => {
      await ownConnection(ctx, req, req.params.connectionId);
      return rotateKeys(ctx, actorOf(req), req.params.connectionId, req.body);
    },
  );
  app.get(
    '/my-agency/connections/:connectionId/consents',
    {
      // The requests name the people asked: reading them is a use, recorded with the administrator's purpose.
      config: { ...config, people: { response: peopleInAnswer('personalId') } },
      schema: {
        operationId: 'listMyConsentRequests',
        summary: 'The consent requests the connection\'s system sent, newest first, with their states in force',
        tags: TAGS,
        params: ByConnection,
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(CONSENT_STATES.map((s) => Type.Literal(s)))),
            before: Type.Optional(Type.String({ maxLength: 200, description: 'The `next` of the previous page' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AgencyConsentView), next: Type.Optional(Type.String()) }), ...problemResponses(404) },
      },
    },
    async (req) => {
      await ownConnection(ctx, req, req.params.connectionId);
      return agencyConsents(ctx, req.params.connectionId, { ...req.query, limit: req.query.limit ?? 20 });
    },
  );

  app.get(
    '/my-agency/statements/:month',
    {
      config,
      schema: {
        operationId: 'getMyStatement',
        summary: 'The agency\'s monthly statement: calls and charges per service (JSON, or CSV with Accept: text/csv)',
        tags: TAGS,
        params: Type.Object({ month: Month }),
        response: { 200: { description: 'The statement', content: { 'application/json': { schema: StatementView }, 'text/csv': { schema: Type.String({ description: 'One line per service, then the totals' }) } } }, ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      const s = await monthlyStatement(ctx, agencyOf(req), req.params.month);
      if ((req.headers.accept ?? '').includes('text/csv')) {
        reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="statement-${s.agencyCode}-${req.params.month}.csv"`).serializer((payload) => payload as string);
        return statementCsv(s) as never;
      }
      return s;
    },
  );
}
