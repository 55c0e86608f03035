/**
 * The signed-in citizen's own data (issue 16 item 3): record, household, residence, cards and the
 * card's QR, and the documents a citizen may ask for themselves — the residence confirmation CT07,
 * the confirmation of the old CMND number, the personal-ID notice — with their PDFs. Each route calls
 * the same service as the officers' /citizens/{personalId} route; the person is the principal's, never
 * the request's, so a citizen reaches no one else. The one recording mechanism names the person
 * (PERSON_OF_CITIZEN): a citizen's own use is not an entry; an answer naming others (household
 * members, hosts) is recorded as a use of their data by this citizen.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { dayOf } from '../../domain/dates/partial-date.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { ServiceContext } from '../../services/context.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import { getCitizen } from '../../services/citizens/read.js';
import { getCurrentResidence, getHouseholdOf, getResidenceHistory } from '../../services/residence/queries.js';
import { issueResidenceConfirmation } from '../../services/residence/confirmation.js';
import { getCardStatus } from '../../services/cards/lifecycle.js';
import { getCardQr } from '../../services/cards/qr.js';
import { renderQrPng, renderQrSvg } from '../../documents/qr-image.js';
import { certificatePdf, getOwnCertificate, issueCertificate, listOwnCertificates } from '../../services/certificates.js';
import { actorOf } from '../auth.js';
import { LOCATION, withHeaders } from '../openapi.js';
import { problemResponses } from '../problem.js';
import { peopleAnywhereIn } from '../people.js';
import type { PeopleDeclaration } from '../recording.js';
import { CitizenView, citizenView } from '../views/citizen-view.js';
import { CurrentResidence, HouseholdView, ResidenceHistory } from '../schemas/residence-views.js';
import { CardStatusReport } from './cards.js';
import { CertificateView } from './certificates.js';

const TAGS = ['me'];
const CITIZEN = ['citizen'] as const;

/** The signed-in citizen's own personal ID; a citizen principal always has one (context.ts). */
function mine(req: FastifyRequest): string {
  const id = req.principal?.personalId;
  if (!id) throw new RegistryError('FORBIDDEN');
  return id;
}

/** The person a /me route concerns: the principal's own. */
const PERSON_OF_CITIZEN: PeopleDeclaration = { request: (req) => [req.principal?.personalId] };
/** …and whoever else the answer names (household members, hosts): their data is used too. */
const PERSON_OF_CITIZEN_AND_ANSWER: PeopleDeclaration = { ...PERSON_OF_CITIZEN, response: peopleAnywhereIn };

const CertificateSummary = Type.Object(
  {
    number: Type.String(),
    kind: CertificateView.properties.kind,
    issuedOn: Type.String(),
    title: Type.String(),
    revoked: Type.Boolean(),
  },
  { $id: 'MyCertificate' },
);
const NumberParams = Type.Object({ number: Type.String({ pattern: '^[A-Z]{5,6}-\\d{4}-[0-9A-Z]{8}$' }) });
const SelfServiceKind = Type.Union([Type.Literal('residence-confirmation'), Type.Literal('legacy-id-confirmation'), Type.Literal('personal-id-notice')]);

export function registerMeRecordRoutes(root: FastifyInstance, ctx: ServiceContext, catalogue: CategoryCatalogue, keys: SigningKeys, publicUrl: () => string): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const today = () => dayOf(ctx.clock.now());

  app.get(
    '/me/record',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN },
      schema: { operationId: 'getMyRecord', summary: 'Your record in the register, addresses named as today', tags: TAGS, response: { 200: CitizenView, ...problemResponses(404) } },
    },
    async (req) => {
      const { citizen } = await getCitizen(ctx, mine(req));
      return citizenView(citizen, catalogue, today());
    },
  );

  app.get(
    '/me/household',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN_AND_ANSWER },
      schema: { operationId: 'getMyHousehold', summary: 'Your household: its head and members with their relationship to the head', tags: TAGS, response: { 200: HouseholdView, ...problemResponses(404) } },
    },
    async (req) => getHouseholdOf(ctx, catalogue, { personalId: mine(req) }),
  );

  app.get(
    '/me/residence',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN_AND_ANSWER },
      schema: { operationId: 'getMyResidence', summary: 'Where you live now: permanent and temporary residence from the register', tags: TAGS, response: { 200: CurrentResidence, ...problemResponses(404) } },
    },
    async (req) => getCurrentResidence(ctx, catalogue, mine(req)),
  );

  app.get(
    '/me/residence/history',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN_AND_ANSWER },
      schema: { operationId: 'getMyResidenceHistory', summary: 'Every registration of yours with its dates and status, stay notices and residence events', tags: TAGS, response: { 200: ResidenceHistory, ...problemResponses(404) } },
    },
    async (req) => getResidenceHistory(ctx, catalogue, mine(req)),
  );

  app.get(
    '/me/cards',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN },
      schema: { operationId: 'getMyCards', summary: 'Your ID cards with their status today and the card in force', tags: TAGS, response: { 200: CardStatusReport, ...problemResponses(404) } },
    },
    async (req) => getCardStatus(ctx, mine(req)),
  );

  app.get(
    '/me/cards/qr/:format',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN },
      schema: {
        operationId: 'getMyCardQrImage',
        summary: 'The QR printed on your card in force, as PNG or SVG (show it at a counter instead of the card)',
        tags: TAGS,
        params: Type.Object({ format: Type.Union([Type.Literal('png'), Type.Literal('svg')]) }),
        response: {
          200: { description: 'The QR image', content: { 'image/png': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) }, 'image/svg+xml': { schema: Type.String({ description: 'SVG document' }) } } },
          ...problemResponses(404),
        },
      },
    },
    async (req, reply) => {
      const qr = await getCardQr(ctx, catalogue, mine(req));
      // An image is not serialised: what it releases is named for the record here.
      req.answer = qr;
      if (req.params.format === 'png') return reply.type('image/png').send(await renderQrPng(qr.payload));
      return reply.type('image/svg+xml').send(await renderQrSvg(qr.payload));
    },
  );

  app.get(
    '/me/certificates',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN },
      schema: { operationId: 'listMyCertificates', summary: 'The documents issued to you that you may download (CT07, old-CMND confirmation, personal-ID notice), newest first', tags: TAGS, response: { 200: Type.Array(CertificateSummary), ...problemResponses() } },
    },
    async (req) => (await listOwnCertificates(ctx, mine(req))).map(({ number, kind, issuedOn, title, revoked }) => ({ number, kind, issuedOn, title, revoked })),
  );

  app.post(
    '/me/certificates/:kind',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN },
      schema: {
        operationId: 'requestMyCertificate',
        summary: 'Ask for a signed document about yourself: residence confirmation (CT07), confirmation of the old CMND number, or the personal-ID notice; the PDF is at /me/certificates/{number}/pdf',
        tags: TAGS,
        params: Type.Object({ kind: SelfServiceKind }),
        response: { 201: withHeaders(CertificateView, LOCATION), ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const personalId = mine(req);
      const actor = actorOf(req);
      const kind = req.params.kind;
      const view =
        kind === 'residence-confirmation'
          ? { ...(await issueResidenceConfirmation(ctx, catalogue, keys, actor, personalId)), kind: 'RESIDENCE_CONFIRMATION' as const }
          : await issueCertificate(ctx, catalogue, keys, actor, personalId, kind === 'legacy-id-confirmation' ? 'LEGACY_ID_CONFIRMATION' : 'PERSONAL_ID_NOTICE');
      reply.code(201).header('location', `/me/certificates/${view.number}/pdf`);
      return view;
    },
  );

  app.get(
    '/me/certificates/:number/pdf',
    {
      config: { roles: CITIZEN, people: PERSON_OF_CITIZEN },
      schema: { operationId: 'getMyCertificatePdf', summary: 'One of your documents as the signed PDF (another person\'s number is not found)', tags: TAGS, params: NumberParams, response: { 200: { description: 'The PDF', content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } }, ...problemResponses(404) } },
    },
    async (req, reply) => {
      const view = await getOwnCertificate(ctx, mine(req), req.params.number);
      const pdf = await certificatePdf(ctx, view, publicUrl());
      req.answer = view;
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${view.number}.pdf"`).send(pdf);
    },
  );
}
