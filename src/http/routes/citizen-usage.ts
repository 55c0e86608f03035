/**
 * Citizens' routes (decision 0032): who used my data — the Estonia Data Tracker–compatible API
 * (/data-tracker/…, the shapes of dumonitor-openapi v2.1.0 without /v2) and dancu's richer view
 * (/me/usage), receipts and grievances. Only a `citizen` principal calls them, for their own
 * personal ID or one they represent; the citizen is whoever the bearer token's principal is bound
 * to, so these routes stay the same when sign-in (OIDC) issues the token.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { personalIdOfUserCode, USAGE_KINDS } from '../../domain/accountability/usage.js';
import type { Role, ServiceContext } from '../../services/context.js';
import { personInView, trackerHeartbeat, trackerPeriod, trackerUsage, usageOf, usageReceipt } from '../../services/accountability/citizen-usage.js';
import { grievancesOfPerson, openGrievance } from '../../services/accountability/grievances.js';
import { actorOf } from '../auth.js';
import { problemResponses } from '../problem.js';
import { GrievanceView, UsagePage } from '../schemas/usage-views.js';

export const CITIZENS: readonly Role[] = ['citizen'];
const TRACKER_TAGS = ['data tracker'];
const TAGS = ['usage'];

type Bag = Record<string, unknown> | undefined;

/** The person a citizen route is about: the one named, or the signed-in citizen (the consent routes too). */
export function personAsked(req: FastifyRequest): unknown[] {
  const named = (req.query as Bag)?.personalId ?? (req.body as Bag)?.personalId;
  return [named ?? req.principal?.personalId];
}

export const AboutQuery = { personalId: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: 'The person (yourself when absent): your minor child or someone you legally represent' })) };

// Estonia's Data Tracker, v2.1.0 (a copy in test/fixtures/estonia-data-tracker/, with its provenance).
const TrackerUsage = Type.Object(
  {
    logtime: Type.String({ format: 'date-time', description: 'When the data was used' }),
    action: Type.String({ description: 'Human-readable: the purpose or procedure, and what was done' }),
    receiverCode: Type.String({ description: 'The agency code (or the officer\'s unit) that used the data' }),
    receiverName: Type.Optional(Type.String({ description: 'The agency\'s name (or the unit)' })),
    receiverSystem: Type.String({ description: 'The agency\'s system (its connection\'s system name), or dancu' }),
  },
  { additionalProperties: false },
);
const FindUsageResponse = Type.Object(
  { totalUsages: Type.Integer({ description: 'Every usage shown in the period (limit and offset do not change it)' }), usages: Type.Array(TrackerUsage) },
  { additionalProperties: false },
);

export function registerCitizenUsageRoutes(root: FastifyInstance, ctx: ServiceContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/data-tracker/findUsage',
    {
      config: { roles: CITIZENS, people: { request: (req) => [personalIdOfUserCode(String((req.query as Bag)?.userCode ?? ''))] } },
      schema: {
        operationId: 'findUsage',
        summary: 'Who used the data of a person (Estonia Data Tracker v2 findUsage): oldest first, held-back entries left out',
        tags: TRACKER_TAGS,
        querystring: Type.Object(
          {
            userCode: Type.String({ pattern: '^(VN)?\\d{12}$', description: 'The person\'s personal ID, optionally prefixed VN (as Estonia prefixes EE)' }),
            periodStart: Type.Optional(Type.String({ format: 'date-time', description: 'Uses at or after this instant' })),
            periodEnd: Type.Optional(Type.String({ format: 'date-time', description: 'Uses up to this instant' })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0, description: 'Skip this many usages' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000, description: 'The most usages to return (default 1000, at most 10000)' })),
          },
          { additionalProperties: false },
        ),
        headers: Type.Object({ 'x-road-userid': Type.Optional(Type.String({ maxLength: 40, description: 'Who asks (as X-Road carries it): must be the signed-in citizen, optionally prefixed VN' })) }),
        response: { 200: FindUsageResponse, ...problemResponses() },
      },
    },
    async (req) => {
      const self = req.principal?.personalId;
      const userId = req.headers['x-road-userid'];
      if (userId !== undefined && personalIdOfUserCode(userId) !== self) throw new RegistryError('USER_ID_MISMATCH');
      const { personalId } = await personInView(ctx, req.principal, personalIdOfUserCode(req.query.userCode));
      return trackerUsage(ctx, personalId, { periodStart: req.query.periodStart, periodEnd: req.query.periodEnd, offset: req.query.offset ?? 0, limit: req.query.limit ?? 1000 });
    },
  );

  app.get(
    '/data-tracker/usagePeriod',
    {
      config: { public: true },
      schema: {
        operationId: 'usagePeriod',
        summary: 'The period usage can be asked for (Estonia Data Tracker v2 usagePeriod): from the first entry the registry keeps',
        tags: TRACKER_TAGS,
        response: { 200: Type.Object({ periodStart: Type.String({ format: 'date-time' }), periodEnd: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }), ...problemResponses() },
      },
    },
    async () => trackerPeriod(ctx),
  );

  app.get(
    '/data-tracker/heartbeat',
    {
      config: { public: true },
      schema: {
        operationId: 'heartbeat',
        summary: 'Whether usage can be served (Estonia Data Tracker v2 heartbeat): FAIL when the log cannot be read',
        tags: TRACKER_TAGS,
        response: { 200: Type.Object({ status: Type.Union([Type.Literal('OK'), Type.Literal('FAIL')]), message: Type.Optional(Type.String()) }, { additionalProperties: false }), ...problemResponses() },
      },
    },
    async () => trackerHeartbeat(ctx),
  );

  app.get(
    '/me/usage',
    {
      config: { roles: CITIZENS, people: { request: personAsked } },
      schema: {
        operationId: 'listMyUsage',
        summary: 'Every access to a person\'s data, newest first: who, their system, the purpose, the action and fields, the result, and whether its receipt is ready',
        tags: TAGS,
        querystring: Type.Object(
          {
            ...AboutQuery,
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            agency: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'Only this agency code or officer unit' })),
            kind: Type.Optional(Type.Union(USAGE_KINDS.map((k) => Type.Literal(k)), { description: 'Only uses by agencies\' systems (exchange), registry officers, inspectors, the system, or citizens acting as representatives' })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: UsagePage, ...problemResponses() },
      },
    },
    async (req) => {
      const { personalId } = await personInView(ctx, req.principal, req.query.personalId);
      const q = req.query;
      return { personalId, ...(await usageOf(ctx, personalId, { from: q.from && new Date(q.from).toISOString(), to: q.to && new Date(q.to).toISOString(), agency: q.agency, kind: q.kind, cursor: q.cursor, limit: q.limit ?? 100 })) };
    },
  );

  app.get(
    '/me/usage/:entryId/receipt',
    {
      config: { roles: CITIZENS, people: { request: personAsked } },
      schema: {
        operationId: 'getUsageReceipt',
        summary: 'The receipt of one entry: a C2SP tlog-proof anyone verifies offline with the log\'s and witnesses\' public keys (409 for a second after the entry)',
        tags: TAGS,
        params: Type.Object({ entryId: Type.String({ pattern: '^[0-9a-f]{10,64}$', description: 'The entry ID from /me/usage' }) }),
        querystring: Type.Object(AboutQuery, { additionalProperties: false }),
        response: { 200: { description: 'The .tlog-proof file', content: { 'application/tlog-proof': { schema: Type.String() } } }, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const { personalId } = await personInView(ctx, req.principal, req.query.personalId);
      const text = await usageReceipt(ctx, personalId, req.params.entryId);
      return reply.type('application/tlog-proof').header('content-disposition', `attachment; filename="${req.params.entryId}.tlog-proof"`).send(text);
    },
  );

  app.post(
    '/me/usage/:entryId/grievance',
    {
      config: { roles: CITIZENS, people: { request: personAsked } },
      schema: {
        operationId: 'openGrievance',
        summary: 'Flag an entry ("I did not expect this access"): a case for inspectors with the entry and its receipt; one per entry',
        tags: TAGS,
        params: Type.Object({ entryId: Type.String({ pattern: '^[0-9a-f]{10,64}$', description: 'The entry ID from /me/usage' }) }),
        body: Type.Object({ ...AboutQuery, text: Type.String({ minLength: 1, maxLength: 2000, description: 'What the citizen did not expect' }) }, { additionalProperties: false }),
        response: { 201: GrievanceView, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const { personalId } = await personInView(ctx, req.principal, req.body.personalId);
      const g = await openGrievance(ctx, actorOf(req).principalId, personalId, req.params.entryId, req.body.text);
      reply.code(201);
      return g;
    },
  );

  app.get(
    '/me/grievances',
    {
      config: { roles: CITIZENS, people: { request: personAsked } },
      schema: {
        operationId: 'listMyGrievances',
        summary: 'A person\'s grievances, newest first, with their status and every step',
        tags: TAGS,
        querystring: Type.Object(AboutQuery, { additionalProperties: false }),
        response: { 200: Type.Object({ personalId: Type.String(), items: Type.Array(GrievanceView) }), ...problemResponses() },
      },
    },
    async (req) => {
      const { personalId } = await personInView(ctx, req.principal, req.query.personalId);
      return { personalId, items: await grievancesOfPerson(ctx, personalId) };
    },
  );
}
