/**
 * Consent of the data subject to agencies outside the state (issue 15 item 4; decision 0044).
 * - The agency's system (its exchange access token, as for the catalogue services) creates consent
 *   requests and lists its own — only what it sent, and each request's state.
 * - The citizen (a `citizen` principal: a bearer token today, the e-ID session cookie later) lists
 *   their requests, sees one with its history and the calls it allowed, and approves, refuses or
 *   withdraws — for themself, or for a person they answer for (`personalId`, as in the usage
 *   routes: a child under 14, a person they legally represent). Another's request is "not found".
 * The citizen acting on their own requests is their own use (no access entry); a representative's
 * is recorded under the person (purpose `representation`). Each decision is a committed history
 * row naming its actor and ground. Refusals are recorded by the mechanism like any other.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CONSENT_STATES, ConsentData, ConsentRequestInput } from '../../domain/exchange/consent.js';
import type { ServiceContext } from '../../services/context.js';
import {
  agencyConsent, agencyConsents, assertConnectionWorks, citizenConsent, citizenConsents, decideConsent, expireLapsedConsents, requestConsent, type CitizenAction,
} from '../../services/consents/requests.js';
import { consentSubject } from '../../services/consents/answerers.js';
import { connectionOfToken } from '../../services/exchange/tokens.js';
import { bearerOf } from '../auth.js';
import { problemResponses } from '../problem.js';
import { peopleInAnswer, peopleInBody, type PeopleDeclaration } from '../recording.js';
import { AboutQuery, CITIZENS, personAsked } from './citizen-usage.js';

const AGENCY_TAGS = ['exchange: consent'];
const CITIZEN_TAGS = ['consent'];
const EXPIRE_EVERY_MS = 60 * 60_000;
const TOKEN_NOTE = 'Needs an exchange access token from /exchange/oauth/token (not an officer token).';

const ConsentState = Type.Union(CONSENT_STATES.map((s) => Type.Literal(s)), {
  description: 'pending → approved | refused | expired (not answered by answerBy); approved → withdrawn | expired (at validUntil). The state in force now.',
});
const ConsentId = Type.String({ format: 'uuid', description: 'The consent request\'s ID' });

export const AgencyConsentView = Type.Object(
  {
    consentId: ConsentId,
    personalId: Type.String({ pattern: '^\\d{12}$' }),
    purpose: Type.String(),
    data: Type.Array(ConsentData),
    validDays: Type.Integer(),
    state: ConsentState,
    createdAt: Type.String({ format: 'date-time' }),
    answerBy: Type.String({ format: 'date-time', description: 'The request expires if not answered by then' }),
    decidedAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the citizen approved or refused' })),
    validUntil: Type.Optional(Type.String({ format: 'date-time', description: 'Approved: the consent holds until then' })),
    endedAt: Type.Optional(Type.String({ format: 'date-time', description: 'Withdrawn or expired: since when' })),
  },
  { additionalProperties: false },
);

const ConsentEventView = Type.Object(
  {
    seq: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    kind: Type.Union([Type.Literal('requested'), Type.Literal('approved'), Type.Literal('refused'), Type.Literal('withdrawn'), Type.Literal('expired')]),
    channel: Type.Optional(Type.String({ description: 'exchange (the agency), api (the citizen\'s account), sms, system (expiry), demo' })),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

const ConsentUseView = Type.Object(
  {
    entryId: Type.String({ description: 'The access entry of the call (see /me/usage)' }),
    at: Type.String({ format: 'date-time' }),
    action: Type.String({ description: 'The exchange service called' }),
    fields: Type.Array(Type.String(), { description: 'The fields released' }),
  },
  { additionalProperties: false },
);

export const CitizenConsentView = Type.Object(
  {
    ...AgencyConsentView.properties,
    code: Type.String({ description: 'The short code sent by SMS with the request' }),
    agencyCode: Type.String(),
    agencyName: Type.String({ description: 'Who asks' }),
    history: Type.Optional(Type.Array(ConsentEventView, { description: 'Every decision, oldest first (one request only)' })),
    uses: Type.Optional(Type.Array(ConsentUseView, { description: 'The calls this consent allowed, newest first, at most 100 (one request only)' })),
  },
  { additionalProperties: false },
);

const page = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), next: Type.Optional(Type.String({ description: 'Pass as `before` for older requests' })) }, { additionalProperties: false });

const ListQuery = {
  state: Type.Optional(ConsentState),
  before: Type.Optional(Type.String({ maxLength: 200, description: 'The `next` of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

const IdParams = Type.Object({ consentId: ConsentId });

/** The person the requests are about: the signed-in citizen's own use (no entry when served), or a represented person's. */
const PERSON: PeopleDeclaration = { request: personAsked, response: peopleInAnswer('personalId') };
const PersonQuery = Type.Object(AboutQuery, { additionalProperties: false });
const WHO = 'For a person you answer for (a child under 14, someone you legally represent), name them in `personalId`; a parent of a child of 14 or more is refused (403 CONSENT_ANSWERED_BY_SUBJECT), anyone else 403 NOT_REPRESENTED.';

const ACTIONS: readonly { action: CitizenAction; summary: string }[] = [
  { action: 'approve', summary: 'Approve a pending consent request: the agency may then use the data named, for the purpose, until validUntil' },
  { action: 'refuse', summary: 'Refuse a pending consent request' },
  { action: 'withdraw', summary: 'Withdraw an approved consent: the agency\'s next call is refused (SUBJECT_CONSENT_WITHDRAWN)' },
];

export function registerConsentRoutes(root: FastifyInstance, ctx: ServiceContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // Expiries are written down hourly (calls and views work the state in force out with the time anyway).
  const sweep = setInterval(() => void expireLapsedConsents(ctx).catch(() => undefined), EXPIRE_EVERY_MS);
  sweep.unref();
  root.addHook('onClose', async () => clearInterval(sweep));

  app.post(
    '/exchange/consents',
    {
      // The agency names a person: recorded as its use, like any other (decision 0030).
      config: { public: true, agencyToken: true, people: peopleInBody('personalId') },
      schema: {
        operationId: 'requestConsent',
        summary: 'Ask the data subject\'s consent (NĐ 70/2024 Art. 10(2)): which services and fields, for which purpose, for how long',
        description: `${TOKEN_NOTE} The services, fields and purpose must be within the connection's policy. The citizen has 7 days to answer (answerBy) and is told by SMS if the subscriber register knows their number (the agency's name and a code only). At most one pending request per person and purpose: a second is refused with CONSENT_REQUEST_OPEN. Whether the person exists is not told.`,
        tags: AGENCY_TAGS,
        body: ConsentRequestInput,
        response: { 201: AgencyConsentView, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const c = await connectionOfToken(ctx, bearerOf(req));
      reply.code(201);
      return requestConsent(ctx, c, req.body);
    },
  );

  app.get(
    '/exchange/consents',
    {
      config: { public: true, agencyToken: true, people: { request: (req) => [(req.query as { personalId?: string }).personalId], response: peopleInAnswer('personalId') } },
      schema: {
        operationId: 'listOwnConsentRequests',
        summary: 'The calling connection\'s consent requests, newest first, with their states in force',
        description: TOKEN_NOTE,
        tags: AGENCY_TAGS,
        querystring: Type.Object({ ...ListQuery, personalId: Type.Optional(Type.String({ pattern: '^\\d{12}$' })) }, { additionalProperties: false }),
        response: { 200: page(AgencyConsentView), ...problemResponses() },
      },
    },
    async (req) => {
      const c = await connectionOfToken(ctx, bearerOf(req));
      assertConnectionWorks(c);
      return agencyConsents(ctx, c.connectionId, { ...req.query, limit: req.query.limit ?? 50 });
    },
  );

  app.get(
    '/exchange/consents/:consentId',
    {
      config: { public: true, agencyToken: true, people: { response: peopleInAnswer('personalId') } },
      schema: { operationId: 'getOwnConsentRequest', summary: 'One of the calling connection\'s consent requests', description: TOKEN_NOTE, tags: AGENCY_TAGS, params: IdParams, response: { 200: AgencyConsentView, ...problemResponses(404) } },
    },
    async (req) => {
      const c = await connectionOfToken(ctx, bearerOf(req));
      assertConnectionWorks(c);
      return agencyConsent(ctx, c.connectionId, req.params.consentId);
    },
  );

  app.get(
    '/me/consents',
    {
      config: { roles: CITIZENS, people: PERSON },
      schema: {
        operationId: 'listMyConsents',
        summary: 'Agencies\' consent requests to you (or to a person you answer for), newest first: who asks, for which data and purpose, and where each stands',
        description: `The signed-in citizen's own requests, or the named person's. \`state\` filters by the state in force (a request past its deadline shows as expired). Each item carries the code sent by SMS. ${WHO}`,
        tags: CITIZEN_TAGS,
        querystring: Type.Object({ ...ListQuery, ...AboutQuery }, { additionalProperties: false }),
        response: { 200: page(CitizenConsentView), ...problemResponses() },
      },
    },
    async (req) => {
      const { personalId } = await consentSubject(ctx, req.principal, req.query.personalId);
      const { personalId: _p, ...q } = req.query;
      return citizenConsents(ctx, personalId, { ...q, limit: q.limit ?? 50 });
    },
  );

  app.get(
    '/me/consents/:consentId',
    {
      config: { roles: CITIZENS, people: PERSON },
      schema: { operationId: 'getMyConsent', summary: 'One consent request to you (or to a person you answer for), with its history and the calls it allowed', description: `A request about anyone else is not found (404 CONSENT_REQUEST_NOT_FOUND). ${WHO}`, tags: CITIZEN_TAGS, params: IdParams, querystring: PersonQuery, response: { 200: CitizenConsentView, ...problemResponses(404) } },
    },
    async (req) => citizenConsent(ctx, (await consentSubject(ctx, req.principal, req.query.personalId)).personalId, req.params.consentId),
  );

  for (const { action, summary } of ACTIONS) {
    app.post(
      `/me/consents/:consentId/${action}`,
      {
        config: { roles: CITIZENS, people: PERSON },
        schema: { operationId: `${action}MyConsent`, summary, description: `The subject decides, or whoever answers for them, from the state in force: ${action === 'withdraw' ? 'an approved consent' : 'a pending request'} (otherwise 409 CONSENT_REQUEST_DECIDED). Recorded as a history row with its transparency-log leaf, naming the actor and the ground (self, minor_child, legal_representative). ${WHO}`, tags: CITIZEN_TAGS, params: IdParams, querystring: PersonQuery, response: { 200: CitizenConsentView, ...problemResponses(404, 409) } },
      },
      async (req) => {
        const { personalId, ground } = await consentSubject(ctx, req.principal, req.query.personalId);
        return decideConsent(ctx, personalId, req.principal!.id, req.params.consentId, action, 'api', ground);
      },
    );
  }
}
