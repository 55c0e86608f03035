/**
 * Officer routes over citizens. Each route states its operationId, its schema and who may call
 * it; the handler only calls the use case and shapes the view.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { dayOf } from '../../domain/dates/partial-date.js';
import type { Citizen } from '../../domain/citizen/citizen.js';
import type { ServiceContext } from '../../services/context.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import { registerBirth } from '../../services/citizens/register.js';
import { declareMissing, recordDeath, updateCitizen, type CitizenPatch } from '../../services/citizens/change.js';
import { getCitizen, getCitizenAsOf, getCitizenHistory } from '../../services/citizens/read.js';
import { searchCitizens } from '../../services/citizens/search.js';
import { cancelPersonalId } from '../../services/citizens/reissue.js';
import { actorOf, READERS, WRITERS } from '../auth.js';
import { PERSON_IN_PATH, peopleInAnswer } from '../recording.js';
import { problemResponses } from '../problem.js';
import { ETAG, LOCATION, withHeaders } from '../openapi.js';
import { CitizenView, citizenView } from '../views/citizen-view.js';
import {
  AsOfQuery,
  BirthRegistrationBody,
  CancelPersonalIdBody,
  CitizenPageView,
  DeclareMissingBody,
  HistoryView,
  IfMatchHeaders,
  PersonalIdParams,
  RecordDeathBody,
  ReissueView,
  SearchQuery,
  UpdateCitizenBody,
} from '../schemas/citizen-requests.js';

const TAGS = ['citizens'];

/** The version an If-Match header names: "3", W/"3" or 3. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m) throw new RegistryError('VALIDATION_FAILED', { fields: [{ field: 'headers.if-match', code: 'IF_MATCH_FORMAT', message: 'Expected "<version>"' }] });
  return Number(m[1]);
}

function withEtag(reply: FastifyReply, c: Citizen): FastifyReply {
  return reply.header('etag', `"${c.version}"`);
}

export function registerCitizenRoutes(root: FastifyInstance, ctx: ServiceContext, catalogue: CategoryCatalogue): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const today = () => dayOf(ctx.clock.now());

  app.post(
    '/citizens',
    {
      config: { roles: WRITERS, people: { response: peopleInAnswer('personalId') } },
      schema: {
        operationId: 'registerBirth',
        summary: 'Register a birth: creates the citizen and assigns the personal ID',
        tags: TAGS,
        body: BirthRegistrationBody,
        response: { 201: withHeaders(CitizenView, ETAG, LOCATION), ...problemResponses(409) },
      },
    },
    async (req, reply) => {
      const { citizen, ...change } = req.body;
      const created = await registerBirth(ctx, actorOf(req), citizen, change);
      withEtag(reply, created).header('location', `/citizens/${created.personalId}`).code(201);
      return citizenView(created, catalogue, today());
    },
  );

  app.get(
    '/citizens',
    {
      // Each person a search returns is a use of that person's data.
      config: { roles: READERS, people: { response: peopleInAnswer('personalId') } },
      schema: {
        operationId: 'searchCitizens',
        summary: 'Search by personal ID, by CMND number, or by name with date or year of birth',
        tags: TAGS,
        querystring: SearchQuery,
        response: { 200: CitizenPageView, ...problemResponses() },
      },
    },
    async (req) => {
      const page = await searchCitizens(ctx, req.query);
      const date = today();
      return { items: page.items.map((c) => citizenView(c, catalogue, date)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  );

  app.get(
    '/citizens/:personalId',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'getCitizen',
        summary: 'The current record; a cancelled number resolves to the person it now belongs to',
        tags: TAGS,
        params: PersonalIdParams,
        response: { 200: withHeaders(CitizenView, ETAG), ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      const { citizen, resolvedFrom } = await getCitizen(ctx, req.params.personalId);
      withEtag(reply, citizen);
      return citizenView(citizen, catalogue, today(), resolvedFrom);
    },
  );

  app.patch(
    '/citizens/:personalId',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'updateCitizen',
        summary: 'Change fields, with a reason; If-Match must carry the version read (a stale one gets 412)',
        tags: TAGS,
        params: PersonalIdParams,
        headers: IfMatchHeaders,
        body: UpdateCitizenBody,
        response: { 200: withHeaders(CitizenView, ETAG), ...problemResponses(404, 409, 412, 428) },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw new RegistryError('PRECONDITION_REQUIRED');
      const { changes, ...change } = req.body;
      const updated = await updateCitizen(ctx, actorOf(req), req.params.personalId, version, changes as CitizenPatch, change);
      withEtag(reply, updated);
      return citizenView(updated, catalogue, today());
    },
  );

  app.post(
    '/citizens/:personalId/death',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'recordDeath',
        summary: 'Record the date of death',
        tags: TAGS,
        params: PersonalIdParams,
        body: RecordDeathBody,
        response: { 200: withHeaders(CitizenView, ETAG), ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const { dateOfDeath, ...change } = req.body;
      const updated = await recordDeath(ctx, actorOf(req), req.params.personalId, dateOfDeath, change);
      withEtag(reply, updated);
      return citizenView(updated, catalogue, today());
    },
  );

  app.post(
    '/citizens/:personalId/missing',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'declareMissing',
        summary: 'Record that a court declared the person missing',
        tags: TAGS,
        params: PersonalIdParams,
        body: DeclareMissingBody,
        response: { 200: withHeaders(CitizenView, ETAG), ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const { dateDeclaredMissing, ...change } = req.body;
      const updated = await declareMissing(ctx, actorOf(req), req.params.personalId, dateDeclaredMissing, change);
      withEtag(reply, updated);
      return citizenView(updated, catalogue, today());
    },
  );

  app.get(
    '/citizens/:personalId/history',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'getCitizenHistory',
        summary: 'Every version: who, when, from which source, why, and what changed',
        tags: TAGS,
        params: PersonalIdParams,
        response: { 200: HistoryView, ...problemResponses(404) },
      },
    },
    async (req) => getCitizenHistory(ctx, req.params.personalId),
  );

  app.get(
    '/citizens/:personalId/as-of',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'getCitizenAsOf',
        summary: 'The record as it stood at an instant, addresses named as at that date',
        tags: TAGS,
        params: PersonalIdParams,
        querystring: AsOfQuery,
        response: { 200: CitizenView, ...problemResponses(404) },
      },
    },
    async (req) => {
      const record = await getCitizenAsOf(ctx, req.params.personalId, req.query.at);
      return citizenView(record, catalogue, new Date(req.query.at).toISOString().slice(0, 10));
    },
  );

  app.post(
    '/citizens/:personalId/personal-id-cancellation',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'cancelPersonalId',
        summary: 'Cancel the number on a legal trigger and issue a new one; the old number keeps resolving',
        tags: TAGS,
        params: PersonalIdParams,
        headers: IfMatchHeaders,
        body: CancelPersonalIdBody,
        response: { 201: withHeaders(ReissueView, ETAG, LOCATION), ...problemResponses(404, 409, 412) },
      },
    },
    async (req, reply) => {
      const result = await cancelPersonalId(ctx, actorOf(req), req.params.personalId, versionFromIfMatch(req.headers['if-match']), req.body);
      withEtag(reply, result.citizen).header('location', `/citizens/${result.citizen.personalId}`).code(201);
      return { cancelledPersonalId: result.cancelledPersonalId, citizen: citizenView(result.citizen, catalogue, today()) };
    },
  );
}
