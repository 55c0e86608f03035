/**
 * One rule set for what a request may contain, applied at the boundary to every route (DESIGN §3.9,
 * decision 0021):
 *   - bodies are JSON in valid UTF-8, nested at most MAX_JSON_DEPTH deep (checked by a loop over the
 *     text before anything recursive touches it), within the route's body limit (413), any other
 *     media type 415;
 *   - every object of every body schema refuses unknown properties (closed here, centrally), and a
 *     route without a body schema refuses a body;
 *   - no type coercion: JSON types are what the schema says. Query and path values are text, so
 *     the properties their schemas declare numeric (or boolean) are parsed here, strictly ("12",
 *     not "0x0c", " 12", "1e1" or ""), and everything else is left for the schema to refuse;
 *   - every string (and object key) obeys the character rule of domain/text/hygiene.ts, then is
 *     normalised (NFC, invisible characters removed, white space folded);
 *   - URLs longer than MAX_URL_LENGTH answer 414; Node's HTTP parser answers 431 for oversized
 *     headers and 400 for malformed requests, through clientErrorHandler, in problem+json.
 * No error body repeats the URL or the offending text: a URL can hold a personal ID.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { RegistryError } from '../domain/errors/registry-error.js';
import type { ErrorCode } from '../domain/errors/codes.js';
import { jsonDepthExceeds } from '../domain/text/json-depth.js';
import { checkText, normalizeDeep } from '../domain/text/normalize.js';
import { problemOf, sendProblem } from './problem.js';

/** Deepest JSON nesting a body may have; the deepest real request (a policy) is 5 levels. */
export const MAX_JSON_DEPTH = 32;
/** Longest request target (path and query), in characters. */
export const MAX_URL_LENGTH = 4096;
/** Largest header section Node's parser accepts (its default, stated here so it is one decision). */
export const MAX_HEADER_SIZE = 16_384;

export interface RouteSpec {
  method: string;
  url: string;
  schema: Record<string, unknown> | undefined;
  config: Record<string, unknown>;
}

const ROUTES = new WeakMap<FastifyInstance, RouteSpec[]>();

/** Every route registered on the app after registerInputHygiene (tests walk them). */
export function routesOf(app: FastifyInstance): RouteSpec[] {
  return ROUTES.get(app) ?? [];
}

type Scalar = 'integer' | 'number' | 'boolean';
interface RouteRules {
  hasBody: boolean;
  /** Media types the route takes (its schema's `consumes`; JSON when it says nothing). */
  consumes: string[];
  query: Map<string, Scalar>;
  params: Map<string, Scalar>;
  /** Headers the route's schema declares (and so may store, e.g. the agency officer's ID). */
  headers: string[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const INTEGER_TEXT = /^-?(?:0|[1-9]\d{0,14})$/;
const NUMBER_TEXT = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?$/;

export function registerInputHygiene(app: FastifyInstance): void {
  const routes: RouteSpec[] = [];
  ROUTES.set(app, routes);
  const rules = new Map<string, RouteRules>();

  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (schema?.body) schema.body = closeObjects(schema.body);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({ method, url: route.url, schema, config: (route.config ?? {}) as Record<string, unknown> });
      rules.set(`${method} ${route.url}`, {
        hasBody: Boolean(schema?.body),
        consumes: Array.isArray(schema?.consumes) ? (schema.consumes as string[]) : ['application/json'],
        query: scalarProperties(schema?.querystring),
        params: scalarProperties(schema?.params),
        headers: Object.keys((schema?.headers as { properties?: object } | undefined)?.properties ?? {}).map((h) => h.toLowerCase()),
      });
    }
  });

  // Bodies: valid UTF-8 and bounded depth before JSON.parse; then Fastify's own parser (which also
  // refuses __proto__ and constructor.prototype keys).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // JSON is the one media type: Fastify's text/plain parser goes too, so anything else is 415.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      done(new RegistryError('INVALID_UTF8'), undefined);
      return;
    }
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(new RegistryError('JSON_TOO_DEEP'), undefined);
      return;
    }
    parseJson(request, text, done);
  });

  // First of all hooks (registered before the auth hook): a long URL is refused before anything reads it.
  app.addHook('onRequest', async (request) => {
    const url = request.raw.url ?? '';
    if (url.length > MAX_URL_LENGTH) throw new RegistryError('URI_TOO_LONG');
    const q = url.indexOf('?');
    if (q >= 0 && !percentEncodedUtf8(url.slice(q + 1))) throw new RegistryError('INVALID_UTF8');
  });

  app.addHook('preValidation', async (request) => {
    const r = rules.get(`${request.method} ${request.routeOptions.url}`);
    // A parser registered for one route (the OAuth token endpoint's form encoding) serves only the
    // routes that declare that media type.
    const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (r && request.body !== undefined && mediaType && !r.consumes.includes(mediaType)) throw new RegistryError('UNSUPPORTED_MEDIA_TYPE');
    if (r && !r.hasBody && request.body !== undefined && !isEmptyObject(request.body)) {
      const key = request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? Object.keys(request.body)[0] : undefined;
      throw new RegistryError('VALIDATION_FAILED', {
        fields: [{ field: key === undefined ? 'body' : `body.${key}`, code: 'SCHEMA_ADDITIONALPROPERTIES', message: 'This operation takes no request body.' }],
      });
    }
    if (request.body !== undefined) request.body = normalizeDeep(request.body, 'body');
    // Numbers are parsed from the text as sent (" 5" stays text), then strings are normalised.
    if (request.query && typeof request.query === 'object') request.query = normalizeDeep(parseScalars(request.query, r?.query), 'querystring');
    // Node's parser lets bytes 0x80–0xFF through in header values (read as Latin-1: C1 controls).
    for (const name of r?.headers ?? []) {
      const v = request.headers[name];
      if (typeof v === 'string') checkText(v, `headers.${name}`);
    }
    if (request.params && typeof request.params === 'object') {
      checkDeep(request.params, 'params');
      request.params = parseScalars(request.params as Record<string, unknown>, r?.params);
    }
  });
}

/**
 * Whether the percent-escapes of a query string are valid UTF-8: the query parser would otherwise
 * turn bad bytes into U+FFFD silently. A "%" not followed by two hex digits is a literal "%".
 */
function percentEncodedUtf8(query: string): boolean {
  if (!query.includes('%')) return true;
  try {
    decodeURIComponent(query.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
    return true;
  } catch {
    return false;
  }
}

function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

function checkDeep(value: unknown, field: string): void {
  if (typeof value === 'string') checkText(value, field);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkDeep(v, `${field}.${k}`);
}

/** The top-level properties a query or params schema declares integer, number or boolean. */
function scalarProperties(schema: unknown): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  const props = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties ?? {};
  for (const [name, s] of Object.entries(props)) {
    if (s.type === 'integer' || s.type === 'number' || s.type === 'boolean') out.set(name, s.type);
  }
  return out;
}

function parseScalars<T>(values: T, scalars: Map<string, Scalar> | undefined): T {
  if (!scalars?.size) return values;
  const out = { ...(values as Record<string, unknown>) };
  for (const [name, type] of scalars) {
    const v = out[name];
    if (typeof v !== 'string') continue;
    if (type === 'boolean') {
      if (v === 'true' || v === 'false') out[name] = v === 'true';
    } else if ((type === 'integer' ? INTEGER_TEXT : NUMBER_TEXT).test(v)) out[name] = Number(v);
  }
  return out as T;
}

/** Keywords whose values are schemas (or maps or lists of schemas) to walk into. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_ONE = ['items', 'not', 'if', 'then', 'else', 'additionalItems', 'contains'];

/**
 * A copy of a body schema in which every object that does not say what to do with unknown
 * properties refuses them. Open maps (patternProperties, an additionalProperties schema, or an
 * explicit `additionalProperties: true`) are deliberate and stay; allOf branches stay open, since
 * closing each branch would refuse the other branches' properties.
 */
export function closeObjects(schema: unknown, closeSelf = true): unknown {
  if (Array.isArray(schema)) return schema.map((v) => closeObjects(v));
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (SCHEMA_MAPS.includes(k) && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).map(([n, sub]) => [n, closeObjects(sub)]));
    else if (SCHEMA_LISTS.includes(k) || SCHEMA_ONE.includes(k)) out[k] = closeObjects(v);
    else if (k === 'additionalProperties' && v && typeof v === 'object') out[k] = closeObjects(v);
    else if (k === 'allOf' && Array.isArray(v)) out[k] = v.map((branch) => closeObjects(branch, false));
    else out[k] = v;
  }
  const isObject = s.type === 'object' || (s.type === undefined && s.properties !== undefined);
  if (closeSelf && isObject && s.additionalProperties === undefined && s.patternProperties === undefined && s.unevaluatedProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Errors the router raises before any hook (Fastify's `frameworkErrors`): its own answers would be
 * plain JSON repeating the path, which can hold a personal ID.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const code: ErrorCode = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'URI_TOO_LONG' : error.code === 'FST_ERR_BAD_URL' ? 'MALFORMED_REQUEST' : 'INTERNAL';
  void sendProblem(reply, request, new RegistryError(code));
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them: oversized headers (431, or
 * 414 when it is the request line that is too long), timeouts (408), malformed requests (400).
 * They are answered here in the same problem+json shape, and the connection is closed.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error, socket: Socket): void {
  const err = error as NodeJS.ErrnoException & { rawPacket?: unknown };
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let code: ErrorCode = 'MALFORMED_REQUEST';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') code = 'REQUEST_TIMEOUT';
  else if (err.code === 'HPE_HEADER_OVERFLOW') code = requestLineTooLong(Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined) ? 'URI_TOO_LONG' : 'HEADERS_TOO_LARGE';
  this.log.debug({ code: err.code }, 'client error');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const e = new RegistryError(code);
  const body = JSON.stringify(problemOf(e));
  socket.end(
    `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Whether the packet the parser gave up on starts with a request line longer than the URL limit. */
function requestLineTooLong(raw: Buffer | undefined): boolean {
  if (!raw || !/^[A-Z]+ /.test(raw.subarray(0, 16).toString('latin1'))) return false;
  const end = raw.indexOf('\r\n');
  return end === -1 ? raw.length > MAX_URL_LENGTH : end > MAX_URL_LENGTH;
}
