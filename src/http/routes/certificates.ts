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
import { certificatePdf, checkStatement, getCertificate, issueCertificate, printedTextOf, type CertificateKind } from '../../services/certificates.js';
import { verifyResidenceConfirmation } from '../../services/residence/confirmation.js';
import { actorOf, READERS, WRITERS } from '../auth.js';
import { LOCATION, withHeaders } from '../openapi.js';
import { Problem, problemResponses } from '../problem.js';

const TAGS = ['certificates'];
const Line = Type.Object({ label: Type.String(), value: Type.String() });
const CertificateView = Type.Object({
  number: Type.String(),
  kind: Type.Union([Type.Literal('LEGACY_ID_CONFIRMATION'), Type.Literal('PERSONAL_ID_NOTICE'), Type.Literal('RESIDENCE_CONFIRMATION')]),
  personalId: PersonalId,
  issuedOn: Type.String(),
  title: Type.String(),
  lines: Type.Array(Line),
  statement: Type.String({ description: 'The signed statement printed as QR (DCU1.<kid>.<claims>.<signature>)' }),
  revoked: Type.Boolean(),
});
const Verification = Type.Composite([
  CertificateView,
  Type.Object({ valid: Type.Boolean(), printedText: Type.String({ description: 'The text whose SHA-256 digest the statement signs' }) }),
]);
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
  const issue = (path: string, operationId: string, kind: Exclude<CertificateKind, 'RESIDENCE_CONFIRMATION'>, summary: string) =>
    app.post(
      path,
      {
        config: { roles: WRITERS },
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
      config: { roles: READERS },
      schema: { operationId: 'getCertificate', summary: 'A certificate by number, with its printed lines and signed statement', tags: TAGS, params: NumberParams, response: { 200: CertificateView, ...problemResponses(404) } },
    },
    async (req) => getCertificate(ctx, req.params.number),
  );

  app.get(
    '/certificates/:number/pdf',
    {
      config: { roles: READERS },
      schema: { operationId: 'getCertificatePdf', summary: 'The certificate as a PDF in Vietnamese with its signed QR', tags: TAGS, params: NumberParams, response: { 200: { description: 'The PDF', content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } }, ...problemResponses(404) } },
    },
    async (req, reply) => reply.type('application/pdf').send(await certificatePdf(ctx, req.params.number, publicUrl())),
  );

  app.get(
    '/certificates/:number/verification',
    {
      config: { public: true },
      schema: {
        operationId: 'verifyCertificate',
        summary: 'Online check by number: is this certificate registered and not revoked, and what does it say',
        tags: TAGS,
        security: [],
        params: NumberParams,
        response: { 200: Verification, 404: Problem },
      },
    },
    async (req) => {
      const v = await getCertificate(ctx, req.params.number);
      // A residence confirmation (CT07) also lapses after a year or when residence data changes.
      const valid = v.kind === 'RESIDENCE_CONFIRMATION' ? (await verifyResidenceConfirmation(ctx, v.number)).valid : !v.revoked;
      return { ...v, valid, printedText: printedTextOf(v) };
    },
  );

  app.post(
    '/certificates/statement-verification',
    {
      config: { public: true },
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
