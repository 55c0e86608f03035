/**
 * RFC 9457 problem+json: every error leaves the server in this one shape, with a stable machine
 * code and messages in Vietnamese and English (DESIGN §3.9).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError, type ProblemField } from '../domain/errors/registry-error.js';
import { ERROR_CATALOGUE, type ErrorCode } from '../domain/errors/codes.js';
import { validationFields, type SchemaError } from './validation-errors.js';
import { storeFailureOf } from '../services/store-failures.js';

export const PROBLEM_TYPE_BASE = 'https://dancu.dev/problems/';

export const Problem = Type.Object(
  {
    type: Type.String({ format: 'uri' }),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable code' }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String({ description: 'The request ID' })),
    messages: Type.Object({ vi: Type.String(), en: Type.String() }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String(),
          code: Type.String(),
          message: Type.String(),
          messages: Type.Optional(Type.Object({ vi: Type.String(), en: Type.String() })),
          allowed: Type.Optional(Type.Array(Type.String(), { description: 'The values or properties allowed here' })),
        }),
      ),
    ),
  },
  { additionalProperties: true },
);
export type Problem = Static<typeof Problem>;

export function problemOf(err: RegistryError, requestId?: string): Problem {
  const p: Problem = {
    type: PROBLEM_TYPE_BASE + err.code.toLowerCase().replace(/_/g, '-'),
    title: err.message,
    status: err.status,
    code: err.code,
    messages: { vi: err.messageVi, en: err.message },
  };
  if (err.detail) p.detail = err.detail;
  if (requestId) p.instance = requestId;
  if (err.fields?.length) p.errors = err.fields.map(withMessages);
  if (err.extra) Object.assign(p, err.extra);
  return p;
}

const FORM_ERRORS: Partial<Record<number, 'PAYLOAD_TOO_LARGE' | 'URI_TOO_LONG' | 'UNSUPPORTED_MEDIA_TYPE' | 'HEADERS_TOO_LARGE'>> = {
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
};

/** A field whose code is in the catalogue gets the catalogue's Vietnamese message beside its English one. */
function withMessages(f: ProblemField): ProblemField {
  if (f.messages) return f;
  const entry = (ERROR_CATALOGUE as Partial<Record<string, { vi: string; en: string }>>)[f.code as ErrorCode];
  return entry ? { ...f, messages: { vi: entry.vi, en: f.message } } : f;
}

/** Fastify's own errors (schema validation, JSON parsing, size limits) mapped to our codes. */
export function toRegistryError(error: FastifyError): RegistryError {
  if (error instanceof RegistryError) return error;
  if (error.validation) {
    const fields = validationFields(error.validation as SchemaError[], error.validationContext ?? 'body');
    return new RegistryError('VALIDATION_FAILED', { fields });
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
    return new RegistryError('MALFORMED_JSON');
  }
  // Size and media-type refusals keep their status, with codes of their own (decision 0021).
  const byStatus = error.statusCode ? FORM_ERRORS[error.statusCode] : undefined;
  if (byStatus) return new RegistryError(byStatus);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new RegistryError(error.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED', { detail: error.code });
  }
  // A database failure outside a service's transaction: lost race (409) or store down (503).
  return storeFailureOf(error) ?? new RegistryError('INTERNAL');
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, err: RegistryError): FastifyReply {
  // Refusals that ask the client to come back later (429, 503) say when, in the header too.
  const retryAfter = err.extra?.retryAfter;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.code(err.status).type('application/problem+json').send(problemOf(err, request.id));
}

/** The responses every authenticated route may give, for the OpenAPI document. */
export function problemResponses(...codes: number[]): Record<number, typeof Problem> {
  const out: Record<number, typeof Problem> = {};
  for (const c of [400, 401, 403, ...codes]) out[c] = Problem;
  return out;
}
