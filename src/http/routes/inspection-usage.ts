/**
 * Inspectors' routes over what citizens see (decision 0032): the grievance queue and its cases
 * (each with the entry and its receipt), and the visibility decisions a competent authority takes
 * — a requester's default, a hold over a person's entries, a release. Reading a grievance or placing
 * a hold is a use of that citizen's data: the routes declare the people, so the one mechanism
 * records inspectors in turn (with their X-Purpose).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { REQUESTER } from '../../domain/accountability/visibility.js';
import { GRIEVANCE_ACTIONS, GRIEVANCE_STATUSES } from '../../domain/accountability/grievances.js';
import type { Role, ServiceContext } from '../../services/context.js';
import { addGrievanceEvent, grievanceCase, grievanceQueue } from '../../services/accountability/grievances.js';
import { decisionsOf, listDefaults, placeHold, release, setDefault } from '../../services/accountability/visibility-decisions.js';
import { actorOf } from '../auth.js';
import { peopleInAnswer, peopleInBody } from '../recording.js';
import { problemResponses } from '../problem.js';
import { DefaultView, GrievanceCaseView, GrievancePage, HoldView, ReleaseView } from '../schemas/usage-views.js';

const INSPECTORS: readonly Role[] = ['inspector'];
const TAGS = ['inspection'];
const Requester = Type.String({ pattern: REQUESTER.source, description: 'agency:<code>, connection:<id>, unit:<unit> or principal:<id>' });
const DecisionRef = Type.String({ minLength: 1, maxLength: 200, description: 'The competent authority\'s decision (number, date, issuer)' });
const PersonalId = Type.String({ pattern: '^\\d{12}$' });
const GrievanceParams = Type.Object({ grievanceId: Type.String({ format: 'uuid', description: 'The grievance ID' }) });
const Instant = (description: string) => Type.Optional(Type.String({ format: 'date-time', description }));

export function registerInspectionUsageRoutes(root: FastifyInstance, ctx: ServiceContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const grievancePeople = { response: peopleInAnswer('personalId') };

  app.get(
    '/inspection/grievances',
    {
      config: { roles: INSPECTORS, people: grievancePeople },
      schema: {
        operationId: 'listGrievances',
        summary: 'The grievance queue, oldest first, optionally of one status',
        tags: TAGS,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union(GRIEVANCE_STATUSES.map((s) => Type.Literal(s)), { description: 'opened, assigned, answered or closed' })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: GrievancePage, ...problemResponses() },
      },
    },
    async (req) => grievanceQueue(ctx, { status: req.query.status, cursor: req.query.cursor, limit: req.query.limit ?? 100 }),
  );

  app.get(
    '/inspection/grievances/:grievanceId',
    {
      config: { roles: INSPECTORS, people: grievancePeople },
      schema: { operationId: 'getGrievance', summary: 'A grievance with the entry it is about and the entry\'s receipt', tags: TAGS, params: GrievanceParams, response: { 200: GrievanceCaseView, ...problemResponses(404) } },
    },
    async (req) => grievanceCase(ctx, req.params.grievanceId),
  );

  app.post(
    '/inspection/grievances/:grievanceId/events',
    {
      config: { roles: INSPECTORS, people: grievancePeople },
      schema: {
        operationId: 'addGrievanceEvent',
        summary: 'Assign, answer or close a grievance (the citizen sees each step)',
        tags: TAGS,
        params: GrievanceParams,
        body: Type.Object(
          { action: Type.Union(GRIEVANCE_ACTIONS.map((a) => Type.Literal(a))), text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: { 201: GrievanceCaseView, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const g = await addGrievanceEvent(ctx, actorOf(req).principalId, req.params.grievanceId, req.body);
      reply.code(201);
      return g;
    },
  );

  app.get(
    '/inspection/visibility-holds',
    {
      config: { roles: INSPECTORS, people: { request: (req) => [(req.query as Record<string, unknown>)?.personalId] } },
      schema: {
        operationId: 'listVisibilityHolds',
        summary: 'The holds on a person\'s entries and their releases',
        tags: TAGS,
        querystring: Type.Object({ personalId: PersonalId }, { additionalProperties: false }),
        response: { 200: Type.Object({ holds: Type.Array(HoldView), releases: Type.Array(ReleaseView) }, { additionalProperties: false }), ...problemResponses() },
      },
    },
    async (req) => decisionsOf(ctx, req.query.personalId),
  );

  app.post(
    '/inspection/visibility-holds',
    {
      config: { roles: INSPECTORS, people: peopleInBody('personalId') },
      schema: {
        operationId: 'placeVisibilityHold',
        summary: 'Delay (until a date) or hide (until released) a requester\'s entries about a person over a period, on an authority\'s decision',
        tags: TAGS,
        body: Type.Object(
          {
            personalId: PersonalId,
            requester: Requester,
            from: Instant('Entries made at or after this instant (open when absent)'),
            to: Instant('Entries made before this instant (open when absent)'),
            kind: Type.Union([Type.Literal('delayed'), Type.Literal('hidden')]),
            until: Instant('For a delay: when the entries are shown'),
            decisionRef: DecisionRef,
          },
          { additionalProperties: false },
        ),
        response: { 201: HoldView, ...problemResponses() },
      },
    },
    async (req, reply) => {
      const h = await placeHold(ctx, actorOf(req).principalId, req.body);
      reply.code(201);
      return h;
    },
  );

  app.post(
    '/inspection/visibility-releases',
    {
      config: { roles: INSPECTORS, people: peopleInBody('personalId') },
      schema: {
        operationId: 'releaseVisibilityHold',
        summary: 'Release a hold on a person\'s entries, or a requester\'s hidden default for that person (entries made before now)',
        tags: TAGS,
        body: Type.Object(
          { personalId: PersonalId, holdId: Type.Optional(Type.String({ format: 'uuid' })), requester: Type.Optional(Requester), decisionRef: DecisionRef },
          { additionalProperties: false },
        ),
        response: { 201: ReleaseView, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const r = await release(ctx, actorOf(req).principalId, req.body);
      reply.code(201);
      return r;
    },
  );

  app.get(
    '/inspection/visibility-defaults',
    {
      config: { roles: INSPECTORS },
      schema: { operationId: 'listVisibilityDefaults', summary: 'Every requester\'s visibility default, every version', tags: TAGS, response: { 200: Type.Array(DefaultView), ...problemResponses() } },
    },
    async () => listDefaults(ctx),
  );

  app.post(
    '/inspection/visibility-defaults',
    {
      config: { roles: INSPECTORS },
      schema: {
        operationId: 'setVisibilityDefault',
        summary: 'Decide a requester\'s default for entries made from now on: shown, delayed N days, or hidden until released',
        tags: TAGS,
        body: Type.Object(
          {
            requester: Requester,
            kind: Type.Union([Type.Literal('shown'), Type.Literal('delayed'), Type.Literal('hidden')]),
            delayDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            decisionRef: DecisionRef,
          },
          { additionalProperties: false },
        ),
        response: { 201: DefaultView, ...problemResponses(409) },
      },
    },
    async (req, reply) => {
      const d = await setDefault(ctx, actorOf(req).principalId, req.body);
      reply.code(201);
      return d;
    },
  );
}
