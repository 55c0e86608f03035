/**
 * Written requests for citizens' data (decision 0040; docs/written-requests.md). Officers record a
 * request with its scanned letter, read the work lists, record a consent given on paper and fetch
 * the letters; only an officer decides; the subject, or whoever answers for them by decision 0044's
 * rule, answers the consent question under /me. Every route declares the people it touches: the
 * recording mechanism records each use, and the letter's download as a release of the subject's data.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PersonalId } from '../../domain/citizen/citizen.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { FIELD_GROUPS, REQUEST_ID_PATTERN, SCAN_MAX_BYTES } from '../../domain/written-requests/rules.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import type { Role, ServiceContext } from '../../services/context.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import { consentSubject } from '../../services/consents/answerers.js';
import { countRequests, getScan, getWrittenRequest, giveConsent, listRequests, recordWrittenRequest } from '../../services/written-requests/requests.js';
import { citizenRequests, requestAbout, type CitizenRequestView } from '../../services/written-requests/citizen-list.js';
import { decideWrittenRequest, DECIDERS, refuseConsent, writtenRequestLetter } from '../../services/written-requests/decision.js';
import { actorOf, READERS, WRITERS } from '../auth.js';
import { LOCATION, withHeaders } from '../openapi.js';
import { problemResponses } from '../problem.js';
import { PEOPLE_IN_ANSWER, PEOPLE_IN_REQUEST_AND_ANSWER } from '../people.js';
import { personAsked } from './citizen-usage.js';

const TAGS = ['written requests'];
const CITIZENS: readonly Role[] = ['citizen'];

const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const FieldGroup = Type.Union(FIELD_GROUPS.map((g) => Type.Literal(g)));
const Channel = Type.Union([Type.Literal('counter'), Type.Literal('post')]);
const CitizenRequester = Type.Object(
  { kind: Type.Literal('citizen'), personalId: PersonalId },
  { additionalProperties: false, description: 'A citizen asking for their own data, their minor child\'s, or that of a person they legally represent' },
);
const OrganisationRequester = Type.Object(
  {
    kind: Type.Literal('organisation'),
    name: Text(300),
    stateBody: Type.Boolean({ description: 'A state body of NĐ 70/2024 Art. 8(1); any other organisation waits for the subject\'s consent' }),
    registrationNumber: Type.Optional(Text(50, 'Its registration (business or establishment) number')),
    address: Type.Optional(Text(300)),
  },
  { additionalProperties: false },
);
const Requester = Type.Union([CitizenRequester, OrganisationRequester]);
const StoredRequester = Type.Union([
  Type.Object({ kind: Type.Literal('citizen'), personalId: PersonalId, ground: Type.Union([Type.Literal('self'), Type.Literal('minor_child'), Type.Literal('legal_representative')]) }),
  OrganisationRequester,
]);
// A 10 MiB letter is 13,981,016 base64 characters.
const BASE64_MAX = Math.ceil(SCAN_MAX_BYTES / 3) * 4;
const RecordBody = Type.Object(
  {
    personalId: PersonalId,
    channel: Channel,
    receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the letter came in (default now); the period counts from the working day of receipt' })),
    requester: Requester,
    fields: Type.Array(FieldGroup, { minItems: 1, maxItems: FIELD_GROUPS.length, uniqueItems: true, description: 'The data asked, by group' }),
    purpose: Text(1000, 'The purpose or reason the letter gives'),
    scan: Type.Object(
      {
        mediaType: Type.String({ maxLength: 100, description: 'application/pdf, image/jpeg or image/png' }),
        // Larger strings still reach the check, which answers 413 SCAN_TOO_LARGE; the body limit stops the absurd.
        contentBase64: Type.String({ minLength: 1, description: `The scanned letter, base64; at most ${SCAN_MAX_BYTES} bytes decoded` }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const Deadline = Type.Object({
  day: Type.String({ format: 'date' }),
  by: Type.Union([Type.Literal('noon'), Type.Literal('end_of_day')]),
  status: Type.Union(['due', 'due_soon', 'due_today', 'overdue', 'met', 'missed'].map((s) => Type.Literal(s))),
});
const Event = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.String(),
  kind: Type.Union(['received', 'consent_given', 'consent_refused', 'provided', 'refused'].map((k) => Type.Literal(k))),
  channel: Type.Optional(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export const WrittenRequestView = Type.Object({
  requestId: Type.String(),
  personalId: PersonalId,
  status: Type.Union(['awaiting_consent', 'open', 'provided', 'refused'].map((s) => Type.Literal(s))),
  channel: Channel,
  receivedAt: Type.String({ format: 'date-time' }),
  receivedOn: Type.String({ format: 'date' }),
  requester: StoredRequester,
  fields: Type.Array(FieldGroup),
  purpose: Type.String(),
  consentRequired: Type.Boolean(),
  recordedBy: Type.String(),
  scan: Type.Optional(Type.Object({ sha256: Type.String(), mediaType: Type.String(), size: Type.Integer() })),
  deadline: Type.Optional(Deadline),
  decidedAt: Type.Optional(Type.String({ format: 'date-time' })),
  decidedBy: Type.Optional(Type.String()),
  reasons: Type.Optional(Type.Array(Type.String())),
  certificateNumber: Type.Optional(Type.String({ description: 'The signed reply or refusal letter (check it at /certificates/{number}/verification)' })),
  events: Type.Optional(Type.Array(Event)),
});
const Page = Type.Object({ items: Type.Array(WrittenRequestView), nextCursor: Type.Optional(Type.String()) });
// Names only what the viewer may already see (domain/written-requests/seen-by.ts): their own record's, or a person's they answer for.
const AsSeen = Type.Object(
  {
    aboutYou: Type.Boolean({ description: 'The request is about you (under any personal ID you have held)' }),
    byYou: Type.Boolean({ description: 'You made the request, as a citizen requester' }),
    aboutName: Type.Optional(Type.String({ description: 'Whom it is about, when not you: the name your record gives them, or the name of a person you answer for (a child under 14, a person whose record names you as legal representative); absent otherwise' })),
    requesterName: Type.Optional(Type.String({ description: 'A citizen requester other than you, named as for aboutName' })),
  },
  { description: 'Who the request is about and who made it, as you see them' },
);
const MyPage = Type.Object({ items: Type.Array(Type.Composite([WrittenRequestView, Type.Object({ asSeen: AsSeen })])), nextCursor: Type.Optional(Type.String()) });

/** The people a citizen's list names besides the viewer (under any number they have held): a use of their data. */
function othersInList(answer: unknown): unknown[] {
  const items = (answer as { items?: CitizenRequestView[] } | undefined)?.items ?? [];
  return items.filter((r) => !r.asSeen.aboutYou).map((r) => r.personalId);
}
const ByRequest = Type.Object({ requestId: Type.String({ pattern: REQUEST_ID_PATTERN }) });
const ConsentAnswer = Type.Union([Type.Literal('given'), Type.Literal('refused')]);
const Binary = (type: string, description: string) => ({ description, content: { [type]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } });
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function registerWrittenRequestRoutes(root: FastifyInstance, ctx: ServiceContext, catalogue: CategoryCatalogue, keys: SigningKeys, publicUrl: () => string): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/written-requests',
    {
      // The base64 letter, with room for the JSON around it.
      bodyLimit: BASE64_MAX + 64 * 1024,
      config: { roles: WRITERS, people: PEOPLE_IN_REQUEST_AND_ANSWER },
      schema: {
        operationId: 'recordWrittenRequest',
        summary: 'Record a written request received at the counter or by post, with its scanned letter (PDF, JPEG or PNG)',
        tags: TAGS,
        body: RecordBody,
        response: { 201: withHeaders(WrittenRequestView, LOCATION), ...problemResponses(404, 413, 415) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.scan.contentBase64.length % 4 !== 0 || !BASE64.test(b.scan.contentBase64)) {
        throw new RegistryError('VALIDATION_FAILED', { fields: [{ field: 'body.scan.contentBase64', code: 'BASE64', message: 'Not base64 (RFC 4648, with padding).' }] });
      }
      const view = await recordWrittenRequest(ctx, actorOf(req), { ...b, scan: { mediaType: b.scan.mediaType, content: Buffer.from(b.scan.contentBase64, 'base64') } });
      reply.code(201).header('location', `/written-requests/${view.requestId}`);
      return view;
    },
  );

  app.get(
    '/written-requests',
    {
      config: { roles: READERS, people: PEOPLE_IN_REQUEST_AND_ANSWER },
      schema: {
        operationId: 'listWrittenRequests',
        summary: 'Officers\' work lists by deadline: open (default), awaiting consent, due today, overdue, decided, all',
        tags: TAGS,
        querystring: Type.Object(
          {
            view: Type.Optional(Type.Union(['open', 'awaiting_consent', 'due_today', 'overdue', 'decided', 'all'].map((v) => Type.Literal(v)))),
            personalId: Type.Optional(PersonalId),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page, ...problemResponses() },
      },
    },
    async (req) => listRequests(ctx, req.query as Parameters<typeof listRequests>[1]),
  );

  app.get(
    '/written-requests/counts',
    {
      config: { roles: READERS },
      schema: {
        operationId: 'countWrittenRequests',
        summary: 'How many requests await consent, are open, due today, overdue, provided and refused',
        tags: TAGS,
        response: {
          200: Type.Object({ awaitingConsent: Type.Integer(), open: Type.Integer(), dueToday: Type.Integer(), overdue: Type.Integer(), provided: Type.Integer(), refused: Type.Integer() }),
          ...problemResponses(),
        },
      },
    },
    async () => countRequests(ctx),
  );

  app.get(
    '/written-requests/:requestId',
    { config: { roles: READERS, people: PEOPLE_IN_ANSWER }, schema: { operationId: 'getWrittenRequest', summary: 'A written request with its steps, deadline and decision', tags: TAGS, params: ByRequest, response: { 200: WrittenRequestView, ...problemResponses(404) } } },
    async (req) => getWrittenRequest(ctx, req.params.requestId),
  );

  app.get(
    '/written-requests/:requestId/scan',
    {
      config: { roles: WRITERS, people: PEOPLE_IN_ANSWER },
      schema: {
        operationId: 'getWrittenRequestScan',
        summary: 'The scanned letter as received (its SHA-256 in the X-Content-SHA256 header)',
        tags: TAGS,
        params: ByRequest,
        response: { 200: { description: 'The scanned letter (PDF, JPEG or PNG)', content: Object.fromEntries(['application/pdf', 'image/jpeg', 'image/png'].map((t) => [t, { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) }])) }, ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      const { request, scan } = await getScan(ctx, req.params.requestId);
      // Bytes are not serialised: whose letter it is, named for the record.
      req.answer = { personalId: request.personalId, scan: true };
      // Never rendered from the API's origin: a download, its type not to be guessed (a crafted "PDF" could be HTML).
      const ext = scan.mediaType === 'application/pdf' ? 'pdf' : scan.mediaType === 'image/png' ? 'png' : 'jpg';
      return reply
        .type(scan.mediaType)
        .header('content-disposition', `attachment; filename="${request.requestId}-scan.${ext}"`)
        .header('x-content-type-options', 'nosniff')
        .header('x-content-sha256', scan.sha256)
        .send(scan.content);
    },
  );

  app.post(
    '/written-requests/:requestId/decision',
    {
      config: { roles: DECIDERS, people: PEOPLE_IN_ANSWER },
      schema: {
        operationId: 'decideWrittenRequest',
        summary: 'The competent officer\'s decision: provide (a signed reply letter) or refuse with written reasons (a signed refusal letter); once only',
        tags: TAGS,
        params: ByRequest,
        body: Type.Object(
          { decision: Type.Union([Type.Literal('provide'), Type.Literal('refuse')]), reasons: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20, description: 'Required to refuse' })) },
          { additionalProperties: false },
        ),
        response: { 200: WrittenRequestView, ...problemResponses(404, 409) },
      },
    },
    async (req) =>
      decideWrittenRequest(ctx, catalogue, keys, actorOf(req), req.params.requestId, req.body.decision === 'provide' ? { decision: 'provide' } : { decision: 'refuse', reasons: req.body.reasons ?? [] }),
  );

  app.post(
    '/written-requests/:requestId/consent',
    {
      config: { roles: WRITERS, people: PEOPLE_IN_ANSWER },
      schema: {
        operationId: 'recordWrittenRequestConsent',
        summary: 'Record the subject\'s answer given on paper to an organisation\'s request (consent or refusal)',
        tags: TAGS,
        params: ByRequest,
        body: Type.Object({ answer: ConsentAnswer, note: Type.Optional(Text(1000)) }, { additionalProperties: false }),
        response: { 200: WrittenRequestView, ...problemResponses(404, 409) },
      },
    },
    async (req) => {
      const { answer, note } = req.body;
      const paper = { channel: 'paper', note } as const;
      return answer === 'given' ? giveConsent(ctx, actorOf(req), req.params.requestId, paper) : refuseConsent(ctx, keys, actorOf(req), req.params.requestId, paper);
    },
  );

  app.get(
    '/written-requests/:requestId/letter',
    {
      // Handing the letter out releases the subject's data to the requester: recorded as such.
      config: { roles: WRITERS, people: PEOPLE_IN_ANSWER, action: 'releaseWrittenRequestLetter' },
      schema: {
        operationId: 'getWrittenRequestLetter',
        summary: 'The signed reply (or refusal) letter as a PDF in Vietnamese; each download is recorded as a release to the requester',
        tags: TAGS,
        params: ByRequest,
        response: { 200: Binary('application/pdf', 'The letter'), ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const r = await getWrittenRequest(ctx, req.params.requestId);
      const { pdf, released } = await writtenRequestLetter(ctx, r, publicUrl());
      req.answer = released;
      return reply.type('application/pdf').send(pdf);
    },
  );

  // The subject's side (decision 0032's citizen principal): requests about them, and their answer.
  app.get(
    '/me/written-requests',
    {
      // The person listed for, and whoever else the answer names (a request one made about another):
      // seeing who asked for a person's data is a use of it, recorded under that person.
      config: { roles: CITIZENS, people: { request: personAsked, response: othersInList } },
      schema: {
        operationId: 'listMyWrittenRequests',
        summary: 'Written requests about me and those I made (or about a person I answer for), newest deadline last; those awaiting consent first',
        description:
          'Without `personalId`: the requests about you and every request you made yourself, whoever it is about, under every personal ID you have held. With it, the requests about a person you answer for by the rule of the consent question (decision 0044): a child under 14, a person whose record names you as legal representative. A parent of a child of 14 or more is refused (403 CONSENT_ANSWERED_BY_SUBJECT) — the requests they made about that child stay in their own list — anyone else 403 NOT_REPRESENTED. Each item says in `asSeen` whether it is about you and whether you made it, and names the others only as you may see them.',
        tags: TAGS,
        querystring: Type.Object({ personalId: Type.Optional(PersonalId), cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }),
        response: { 200: MyPage, ...problemResponses() },
      },
    },
    async (req) => {
      const { personalId, cursor, limit } = req.query;
      return citizenRequests(ctx, req.principal, personalId, { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
    },
  );

  app.post(
    '/me/written-requests/:requestId/consent',
    {
      config: { roles: CITIZENS, people: { request: (req) => [(req.body as { personalId?: string } | undefined)?.personalId ?? req.principal?.personalId] } },
      schema: {
        operationId: 'answerWrittenRequestConsent',
        summary: 'Consent to, or refuse, an organisation\'s written request for my data (or that of a person I answer for)',
        description:
          'The consent of NĐ 70/2024 Art. 10(2), answered by the rule of the consent requests (decision 0044): the person, a parent for a child under 14, a legal representative the person\'s record names. Name the person in `personalId`; a parent of a child of 14 or more is refused (403 CONSENT_ANSWERED_BY_SUBJECT), anyone else 403 NOT_REPRESENTED. The step names the ground (self, minor_child, legal_representative).',
        tags: TAGS,
        params: ByRequest,
        body: Type.Object({ answer: ConsentAnswer, personalId: Type.Optional(PersonalId) }, { additionalProperties: false }),
        response: { 200: WrittenRequestView, ...problemResponses(404, 409) },
      },
    },
    async (req) => {
      // The same consent as an agency's request (NĐ 70/2024 Art. 10(2)), so the same answerer.
      const { personalId, ground } = await consentSubject(ctx, req.principal, req.body.personalId);
      // About the person under any number they have held; another person's is not found.
      const r = await requestAbout(ctx, req.params.requestId, personalId);
      const actor = actorOf(req);
      const api = { channel: 'api', ground } as const;
      return req.body.answer === 'given' ? giveConsent(ctx, actor, r.requestId, api) : refuseConsent(ctx, keys, actor, r.requestId, api);
    },
  );
}
