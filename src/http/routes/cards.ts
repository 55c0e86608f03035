/** Officer routes over ID cards and their QR codes, and the counter checks. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Card, CardGeneration, CardStatus } from '../../domain/cards/card.js';
import { QrPayload } from '../../domain/cards/qr-payload.js';
import { FullDate, LegacyIdNumber, PersonalId } from '../../domain/citizen/citizen.js';
import type { ServiceContext } from '../../services/context.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import { getCardHistory, getCardStatus, issueCard, replaceCard, reportCardLost, revokeCard, REPLACEMENT_REASONS } from '../../services/cards/lifecycle.js';
import { getCardQr, parseCardQr, verifyCardQr, verifyLegacyId } from '../../services/cards/qr.js';
import { renderQrPng, renderQrSvg } from '../../documents/qr-image.js';
import { actorOf, READERS, WRITERS } from '../auth.js';
import { problemResponses } from '../problem.js';
import { PERSON_IN_PATH } from '../recording.js';
import { PEOPLE_IN_ANSWER, PEOPLE_IN_REQUEST } from '../people.js';

const TAGS = ['cards'];
const Params = Type.Object({ personalId: PersonalId });
const CardView = Type.Composite([
  Card,
  Type.Object({ seq: Type.Integer(), version: Type.Integer(), status: CardStatus, replacedBySeq: Type.Optional(Type.Integer()), createdAt: Type.String(), updatedAt: Type.String() }),
]);
export const CardStatusReport = Type.Object({ personalId: PersonalId, date: FullDate, current: Type.Optional(CardView), cards: Type.Array(CardView) });
const Comparison = Type.Object({
  field: Type.String(),
  matches: Type.Boolean(),
  qr: Type.Union([Type.String(), Type.Null()]),
  registry: Type.Union([Type.String(), Type.Null()]),
  note: Type.Optional(Type.String()),
  matchesAtIssue: Type.Optional(Type.Boolean()),
});
const CounterVerification = Type.Object({
  verdict: Type.Union(['authentic', 'outdated', 'altered', 'unknown_card', 'unknown_person'].map((v) => Type.Literal(v))),
  payload: QrPayload,
  consistency: Type.Array(Type.Object({ code: Type.String(), fields: Type.Array(Type.String()) })),
  personalId: Type.Optional(PersonalId),
  fullName: Type.Optional(Type.String()),
  card: Type.Optional(
    Type.Object({ seq: Type.Integer(), cardNo: Type.String(), generation: Type.String(), issueDate: FullDate, expiryDate: Type.Union([FullDate, Type.Null()]), status: CardStatus }),
  ),
  fields: Type.Optional(Type.Array(Comparison)),
  legacyIdNumber: Type.Optional(LegacyIdNumber),
  permanentResidence: Type.Optional(Type.Object({ text: Type.String(), historical: Type.Boolean() })),
});

export function registerCardRoutes(root: FastifyInstance, ctx: ServiceContext, catalogue: CategoryCatalogue): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/citizens/:personalId/cards',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'getCardStatus',
        summary: 'Every card of a citizen with its status at a date (default today) and the card in force',
        tags: TAGS,
        params: Params,
        querystring: Type.Object({ date: Type.Optional(FullDate) }, { additionalProperties: false }),
        response: { 200: CardStatusReport, ...problemResponses(404) },
      },
    },
    async (req) => getCardStatus(ctx, req.params.personalId, req.query.date),
  );

  app.get(
    '/citizens/:personalId/cards/history',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'getCardHistory',
        summary: 'Every version of every card: who, when, what changed and why',
        tags: TAGS,
        params: Params,
        response: {
          200: Type.Array(
            Type.Object({
              personalId: PersonalId,
              seq: Type.Integer(),
              version: Type.Integer(),
              recordedAt: Type.String(),
              actorId: Type.String(),
              source: Type.String(),
              kind: Type.String(),
              reason: Type.Optional(Type.String()),
              changes: Type.Record(Type.String(), Type.Array(Type.Unknown())),
            }),
          ),
          ...problemResponses(404),
        },
      },
    },
    async (req) => getCardHistory(ctx, req.params.personalId),
  );

  app.post(
    '/citizens/:personalId/cards',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'issueCard',
        summary: 'Issue a card (căn cước from 1 July 2024; earlier generations for historical records)',
        tags: TAGS,
        params: Params,
        body: Type.Object(
          { issueDate: Type.Optional(FullDate), issuingAuthority: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), generation: Type.Optional(CardGeneration), reason: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 201: CardView, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return issueCard(ctx, actorOf(req), req.params.personalId, req.body);
    },
  );

  app.post(
    '/citizens/:personalId/cards/replacement',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'replaceCard',
        summary: 'Replace (cấp đổi) or re-issue (cấp lại) the card: data change, renewal age, loss, damage or request',
        tags: TAGS,
        params: Params,
        body: Type.Object(
          {
            reason: Type.Union(REPLACEMENT_REASONS.map((r) => Type.Literal(r))),
            issueDate: Type.Optional(FullDate),
            issuingAuthority: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CardView, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return replaceCard(ctx, actorOf(req), req.params.personalId, req.body);
    },
  );

  app.post(
    '/citizens/:personalId/cards/loss',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'reportCardLost',
        summary: 'Record that the valid card was lost',
        tags: TAGS,
        params: Params,
        body: Type.Object({ lostOn: Type.Optional(FullDate), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 200: CardView, ...problemResponses(404, 409) },
      },
    },
    async (req) => reportCardLost(ctx, actorOf(req), req.params.personalId, req.body),
  );

  app.post(
    '/citizens/:personalId/cards/revocation',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'revokeCard',
        summary: 'Revoke a card (the valid one unless seq is given), with the reason',
        tags: TAGS,
        params: Params,
        body: Type.Object({ seq: Type.Optional(Type.Integer({ minimum: 1 })), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: CardView, ...problemResponses(404, 409) },
      },
    },
    async (req) => revokeCard(ctx, actorOf(req), req.params.personalId, req.body),
  );

  app.get(
    '/citizens/:personalId/cards/qr',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'getCardQr',
        summary: 'The QR payload printed on the card (the valid one unless seq is given)',
        tags: TAGS,
        params: Params,
        querystring: Type.Object({ seq: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ personalId: PersonalId, seq: Type.Integer(), payload: Type.String() }), ...problemResponses(404) },
      },
    },
    async (req) => getCardQr(ctx, catalogue, req.params.personalId, req.query.seq),
  );

  app.get(
    '/citizens/:personalId/cards/qr/:format',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'getCardQrImage',
        summary: 'The card QR drawn as PNG or SVG',
        tags: TAGS,
        params: Type.Object({ personalId: PersonalId, format: Type.Union([Type.Literal('png'), Type.Literal('svg')]) }),
        querystring: Type.Object({ seq: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: {
          200: {
            description: 'The QR image',
            content: { 'image/png': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) }, 'image/svg+xml': { schema: Type.String({ description: 'SVG document' }) } },
          },
          ...problemResponses(404),
        },
      },
    },
    async (req, reply) => {
      const qr = await getCardQr(ctx, catalogue, req.params.personalId, req.query.seq);
      // An image is not serialised: what it releases is named for the record here.
      req.answer = qr;
      if (req.params.format === 'png') return reply.type('image/png').send(await renderQrPng(qr.payload));
      return reply.type('image/svg+xml').send(await renderQrSvg(qr.payload));
    },
  );

  app.post(
    '/cards/qr-verification',
    {
      // The person the scanned card is found to belong to.
      config: { roles: READERS, people: PEOPLE_IN_ANSWER },
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        operationId: 'verifyCardQr',
        summary: 'Counter check of a scanned card QR (text, or a base64 PNG/JPEG photo or screenshot)',
        tags: TAGS,
        body: Type.Object(
          { payload: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })), imageBase64: Type.Optional(Type.String({ minLength: 1, maxLength: 12_000_000 })) },
          { additionalProperties: false, minProperties: 1, maxProperties: 1 },
        ),
        response: { 200: CounterVerification, ...problemResponses() },
      },
    },
    async (req) =>
      verifyCardQr(ctx, catalogue, req.body.payload !== undefined ? { payload: req.body.payload } : { image: Buffer.from(req.body.imageBase64 ?? '', 'base64') }),
  );

  app.post(
    '/cards/qr-parsing',
    {
      config: { roles: READERS },
      schema: {
        operationId: 'parseCardQr',
        summary: 'Parse a card QR payload and report its internal consistency, without looking anyone up',
        tags: TAGS,
        body: Type.Object({ payload: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ payload: QrPayload, consistency: CounterVerification.properties.consistency }), ...problemResponses() },
      },
    },
    async (req) => parseCardQr(catalogue, req.body.payload),
  );

  app.post(
    '/cards/legacy-id-verification',
    {
      config: { roles: READERS, people: PEOPLE_IN_REQUEST },
      schema: {
        operationId: 'verifyLegacyId',
        summary: 'Do this personal ID and this 9-digit CMND number belong to the same person? (yes / no / unknown, nothing else)',
        tags: TAGS,
        body: Type.Object({ personalId: PersonalId, legacyIdNumber: LegacyIdNumber }, { additionalProperties: false }),
        response: { 200: Type.Object({ answer: Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('unknown')]) }), ...problemResponses() },
      },
    },
    async (req) => ({ answer: await verifyLegacyId(ctx, req.body.personalId, req.body.legacyIdNumber) }),
  );
}
