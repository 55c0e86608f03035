/**
 * The subscriber register over HTTP (decision 0039): the operators' bulk provider service — a file
 * of links as NDJSON or CSV, streamed from the request into the import (never held whole), served
 * by the one exchange mechanism like every catalogue service — and a citizen's registered numbers,
 * for officers (recorded, with a purpose) and for the citizen.
 */
import { pipeline, Transform, type Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PersonalId } from '../../domain/citizen/citizen.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { ServiceContext } from '../../services/context.js';
import { personInView } from '../../services/accountability/citizen-usage.js';
import { serveExchange, type ExchangeDeps } from '../../services/exchange/serve.js';
import { getSubscriberNumbers, subscriberNumbersOf } from '../../services/subscribers/index.js';
import { DEFAULT_SUBSCRIBER_UPLOAD, type ImportFormat, type SubscriberUploadLimits } from '../../services/subscribers/index.js';
import { bearerOf, READERS } from '../auth.js';
import { problemResponses, Problem } from '../problem.js';
import { PERSON_IN_PATH } from '../recording.js';
import { closeIfBodyStillArriving } from '../unread-body.js';
import { SubscriberImportReport } from '../schemas/exchange-views.js';
import { CITIZENS } from './citizen-usage.js';

const MEDIA: Record<string, ImportFormat> = { 'application/x-ndjson': 'ndjson', 'text/csv': 'csv' };

const SubscriberNumberView = Type.Object({
  number: Type.String({ description: 'E.164 (+84…)' }),
  operator: Type.String({ description: 'Code of the telecom operator that confirmed the link' }),
  recordId: Type.String({ description: "The operator's record ID" }),
  confirmedAt: Type.String({ format: 'date-time' }),
  endedAt: Type.Optional(Type.String({ format: 'date-time' })),
  endReason: Type.Optional(Type.Union([Type.Literal('operator'), Type.Literal('new_owner'), Type.Literal('new_operator')])),
  current: Type.Boolean(),
});
const NumbersOfPerson = Type.Object({ personalId: PersonalId, numbers: Type.Array(SubscriberNumberView) });

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * The upload as the import reads it, its bytes counted on the way: past the limit the stream fails
 * with 413 (the import stops there). A stream between the two — not a 'data' listener on the
 * request, which would start the body flowing before the import reads it and lose what came first.
 * A request that fails (a dropped connection) fails this stream with it.
 */
function limitedBody(req: FastifyRequest, maxBytes: number): Readable {
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(bytes > maxBytes ? new RegistryError('SUBSCRIBER_UPLOAD_TOO_LARGE') : null, chunk);
    },
  });
  pipeline(req.raw, counted, () => undefined);
  return counted;
}

export function registerSubscriberRoutes(root: FastifyInstance, ctx: ServiceContext, deps: ExchangeDeps, limits: SubscriberUploadLimits = DEFAULT_SUBSCRIBER_UPLOAD): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // The body stays unread here: the import reads the request stream line by line as it commits.
  root.addContentTypeParser(Object.keys(MEDIA), (_req, _payload, done) => done(null, undefined));

  app.post(
    '/exchange/services/importSubscriberLinks',
    {
      config: { public: true, agencyToken: true, requiredHeaders: ['x-request-id', 'x-purpose', 'x-officer-id'], action: 'importSubscriberLinks' },
      schema: {
        operationId: 'exchange_importSubscriberLinks',
        summary: 'Provider service (telecom operators): a file of subscriber links as NDJSON or CSV, streamed; a report of accepted and rejected lines',
        description:
          'Needs an exchange access token. One line per link or end of link (recordId, action link|end, number, personalId, confirmedAt | endedAt); CSV starts with a header naming the columns. ' +
          'Idempotent by the operator\'s record ID; the X-Request-Id names the import: sending the same file again with the same X-Request-Id after a dropped connection (400 UPLOAD_INCOMPLETE) resumes after the last committed line. ' +
          'A file past the server\'s limits (DANCU_SUBSCRIBER_UPLOAD_MAX_LINES / _MAX_BYTES) is refused with 413 SUBSCRIBER_UPLOAD_TOO_LARGE: at once when its Content-Length says so, else when the limit is reached.',
        tags: ['exchange: agencies'],
        consumes: Object.keys(MEDIA),
        headers: Type.Object({ 'x-request-id': Type.Optional(Type.String()), 'x-purpose': Type.Optional(Type.String()), 'x-officer-id': Type.Optional(Type.String()) }),
        response: { 200: SubscriberImportReport, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 413: Problem, 415: Problem, 429: Problem, 503: Problem },
      },
    },
    async (req, reply) => {
      const media = header(req, 'content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      const format = MEDIA[media];
      if (!format) {
        if (!closeIfBodyStillArriving(req, reply)) req.raw.resume();
        throw new RegistryError('UNSUPPORTED_MEDIA_TYPE');
      }
      // A declared size past the limit is refused before a byte is read, and the connection closed
      // rather than the body drained.
      const declared = Number(header(req, 'content-length') ?? 0);
      if (declared > limits.maxBytes) {
        reply.header('connection', 'close');
        throw new RegistryError('SUBSCRIBER_UPLOAD_TOO_LARGE');
      }
      const requestId = header(req, 'x-request-id');
      const input = limitedBody(req, limits.maxBytes);
      const answer = await serveExchange(deps, {
        service: 'importSubscriberLinks',
        token: bearerOf(req),
        requestId,
        purpose: header(req, 'x-purpose'),
        officerId: header(req, 'x-officer-id'),
        sourceIp: req.ip,
        body: { importKey: `http:${requestId ?? ''}`, format, input, maxLines: limits.maxLines },
      });
      if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
      if (answer.error) {
        // A refused upload is not read further. Past a limit the connection is closed (draining it
        // would read what was refused), and so is one whose body is still arriving — a 401, a 403,
        // a 503, a stalled upload (draining it would hold the connection for as long as the client
        // likes: requests have no time limit); Node closes the socket once the answer is flushed.
        // A body that has all arrived is drained, so the connection serves the next request.
        if (answer.error.code === 'SUBSCRIBER_UPLOAD_TOO_LARGE') reply.header('connection', 'close');
        else if (!closeIfBodyStillArriving(req, reply) && !input.destroyed) input.resume();
        throw answer.error;
      }
      return answer.body as never;
    },
  );

  app.get(
    '/citizens/:personalId/subscriber-numbers',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: {
        operationId: 'getSubscriberNumbers',
        summary: "A citizen's mobile numbers as telecom operators certified them: current and past links",
        tags: ['subscribers'],
        params: Type.Object({ personalId: PersonalId }),
        response: { 200: NumbersOfPerson, ...problemResponses(404) },
      },
    },
    async (req) => ({ personalId: req.params.personalId, numbers: await getSubscriberNumbers(ctx, req.params.personalId) }),
  );

  app.get(
    '/me/subscriber-numbers',
    {
      config: { roles: CITIZENS, people: { request: (req) => [(req.query as { personalId?: string } | undefined)?.personalId ?? req.principal?.personalId] } },
      schema: {
        operationId: 'getMySubscriberNumbers',
        summary: 'The mobile numbers operators have linked to you (or to a person you represent): the ones the SMS service answers',
        tags: ['subscribers'],
        querystring: Type.Object(
          { personalId: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: 'The person (yourself when absent): your minor child or someone you legally represent' })) },
          { additionalProperties: false },
        ),
        response: { 200: NumbersOfPerson, ...problemResponses() },
      },
    },
    async (req) => {
      const { personalId } = await personInView(ctx, req.principal, req.query.personalId);
      return { personalId, numbers: await subscriberNumbersOf(ctx, personalId) };
    },
  );
}
