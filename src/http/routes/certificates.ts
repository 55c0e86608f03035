/**
 * Certificates: officers issue them and fetch the PDF; anyone holding a number checks it online;
 * anyone can check a scanned statement; the public keys for offline checks are published.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PersonalId } from '../../domain/citizen/citizen.js';
import type { ServiceContext } from '../../services/context.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import { certificatePdf, checkStatement, issueCertificate, type CertificateKind } from '../../services/certificates.js';
import { verifyByNumber } from '../../services/public-verification.js';
import { getOtherCertificate } from '../../services/written-requests/decision.js';
import { actorOf, READERS, WRITERS } from '../auth.js';
import { LOCATION, withHeaders } from '../openapi.js';
import { Problem, problemResponses } from '../problem.js';
import { PERSON_IN_PATH } from '../recording.js';
import { PEOPLE_IN_ANSWER } from '../people.js';

const TAGS = ['certificates'];
const Line = Type.Object({ label: Type.String(), value: Type.String() });
export const CertificateView = Type.Object({
  number: Type.String(),
  kind: Type.Union([Type.Literal('LEGACY_ID_CONFIRMATION'), Type.Literal('PERSONAL_ID_NOTICE'), Type.Literal('RESIDENCE_CONFIRMATION'), Type.Literal('WRITTEN_REQUEST_REPLY'), Type.Literal('WRITTEN_REQUEST_REFUSAL')]),
  personalId: PersonalId,
  issuedOn: Type.String(),
  title: Type.String(),
  lines: Type.Array(Line),
  statement: Type.String({ description: 'The signed statement printed as QR (DCU1.<kid>.<claims>.<signature>)' }),
  revoked: Type.Boolean(),
});
/** What anyone holding a number learns: genuine and current or not, nothing about the holder (decision 0022). */
export const PublicVerification = Type.Object({
  number: Type.String(),
  kind: CertificateView.properties.kind,
  issuedOn: Type.String(),
  valid: Type.Boolean({ description: 'Issued, not revoked, and (CT07) not expired nor overtaken by a change of residence data' }),
  status: Type.Union(['valid', 'revoked', 'expired', 'residence_changed', 'not_yet_issued'].map((s) => Type.Literal(s))),
  validUntil: Type.Optional(Type.String({ description: 'CT07: last day of validity' })),
  textMatches: Type.Optional(Type.Boolean({ description: 'When the printed text was sent: whether it is the text issued under this number' })),
});
/** The text as read from the paper: the lines in order (white space and line breaks do not matter). */
export const PrintedTextBody = Type.Object({ printedText: Type.String({ minLength: 1, maxLength: 20000 }) }, { additionalProperties: false });
const StatementCheck = Type.Object({
  signatureValid: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  keyId: Type.Optional(Type.String()),
  claims: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  registered: Type.Optional(Type.Boolean()),
  revoked: Type.Optional(Type.Boolean()),
  textMatches: Type.Optional(Type.Boolean()),
});
const Jwks = Type.Object({
  keys: Type.Array(Type.Object({ kty: Type.String(), crv: Type.String(), x: Type.String(), kid: Type.String(), use: Type.String(), alg: Type.String() })),
});
const NumberParams = Type.Object({ number: Type.String({ pattern: '^[A-Z]{5,6}-\\d{4}-[0-9A-Z]{8}$' }) });

export function registerCertificateRoutes(root: FastifyInstance, ctx: ServiceContext, catalogue: CategoryCatalogue, keys: SigningKeys, publicUrl: () => string): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const issue = (path: string, operationId: string, kind: 'LEGACY_ID_CONFIRMATION' | 'PERSONAL_ID_NOTICE', summary: string) =>
    app.post(
      path,
      {
        config: { roles: WRITERS, people: PERSON_IN_PATH },
        schema: { operationId, summary, tags: TAGS, params: Type.Object({ personalId: PersonalId }), response: { 201: withHeaders(CertificateView, LOCATION), ...problemResponses(404, 409) } },
      },
      async (req, reply) => {
        const view = await issueCertificate(ctx, catalogue, keys, actorOf(req), req.params.personalId, kind);
        reply.code(201).header('location', `/certificates/${view.number}`);
        return view;
      },
    );
  issue('/citizens/:personalId/certificates/legacy-id-confirmation', 'issueLegacyIdConfirmation', 'LEGACY_ID_CONFIRMATION', 'Issue the signed confirmation of the old 9-digit CMND number');
  issue('/citizens/:personalId/certificates/personal-id-notice', 'issuePersonalIdNotice', 'PERSONAL_ID_NOTICE', 'Issue the signed notice of the personal ID number');

  app.get(
    '/certificates/:number',
    {
      // A certificate is found by number: whose it is, its answer says.
      config: { roles: READERS, people: PEOPLE_IN_ANSWER },
      schema: { operationId: 'getCertificate', summary: 'A certificate by number, with its printed lines and signed statement', tags: TAGS, params: NumberParams, response: { 200: CertificateView, ...problemResponses(404) } },
    },
    // A written request's letter is released only by its own route, recorded as such.
    async (req) => getOtherCertificate(ctx, req.params.number),
  );

  app.get(
    '/certificates/:number/pdf',
    {
      config: { roles: READERS, people: PEOPLE_IN_ANSWER },
      schema: { operationId: 'getCertificatePdf', summary: 'The certificate as a PDF in Vietnamese with its signed QR', tags: TAGS, params: NumberParams, response: { 200: { description: 'The PDF', content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } }, ...problemResponses(404) } },
    },
    async (req, reply) => {
      const view = await getOtherCertificate(ctx, req.params.number);
      const pdf = await certificatePdf(ctx, view, publicUrl());
      // A PDF is not serialised: the certificate it prints is what it releases, named for the record.
      req.answer = view;
      return reply.type('application/pdf').send(pdf);
    },
  );

  app.get(
    '/certificates/:number/verification',
    {
      config: { public: true, rateLimit: 'verification' },
      schema: {
        operationId: 'verifyCertificate',
        summary: 'Online check by number: was this certificate issued, and is it valid now (nothing about the holder)',
        tags: TAGS,
        security: [],
        params: NumberParams,
        response: { 200: PublicVerification, 404: Problem },
      },
    },
    async (req) => verifyByNumber(ctx, req.params.number),
  );

  app.post(
    '/certificates/:number/verification',
    {
      config: { public: true, rateLimit: 'verification' },
      schema: {
        operationId: 'verifyCertificateText',
        summary: 'Online check by number and printed text: is the paper in hand what was issued, and is it valid now',
        description: 'The verifier sends the text they read (issuer, number, title, date, then each line as "label: value"); the answer says only whether it matches — the registry never sends the text.',
        tags: TAGS,
        security: [],
        params: NumberParams,
        body: PrintedTextBody,
        response: { 200: PublicVerification, 400: Problem, 404: Problem },
      },
    },
    async (req) => verifyByNumber(ctx, req.params.number, req.body.printedText),
  );

  app.post(
    '/certificates/statement-verification',
    {
      config: { public: true, rateLimit: 'verification' },
      schema: {
        operationId: 'verifyCertificateStatement',
        summary: 'Check a scanned certificate QR: signature with the published keys, registration, and optionally the printed text',
        tags: TAGS,
        security: [],
        body: Type.Object({ statement: Type.String({ minLength: 1, maxLength: 4096 }), printedText: Type.Optional(Type.String({ maxLength: 20000 })) }, { additionalProperties: false }),
        response: { 200: StatementCheck, 400: Problem },
      },
    },
    async (req) => checkStatement(ctx, keys, req.body.statement, req.body.printedText),
  );

  app.get(
    '/.well-known/dancu-keys.json',
    { config: { public: true }, schema: { operationId: 'getSigningKeys', summary: 'Every public key that signed certificates (JWKS), for offline verification', tags: TAGS, security: [], response: { 200: Jwks } } },
    async () => keys.jwks(),
  );
}
