/**
 * The OpenAPI document is generated from the routes, and made to say what the server does: one
 * onRoute hook gives every operation the errors its kind of route can answer (as
 * application/problem+json with the shared Problem schema) and a description naming who may call
 * it — in the route schema itself, so Fastify serialises errors with what the document declares.
 * For the document only (the schemas are shared with validation and serialisation): parameters
 * described by name, the headers handlers require, response headers, and the main response types
 * as components named after their type. Routes declare only what is particular to them.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { Problem } from './problem.js';
import { CitizenView } from './views/citizen-view.js';
import { CitizenPageView, HistoryView, ReissueView } from './schemas/citizen-requests.js';
import {
  AccessLogEntry, AccessLogPage, Agency, BatchLookupAnswer, CardStatusAnswer, CatalogueVersion, CitizenRecordAnswer, Connection, ConnectionEvent,
  ConnectionWithEvents, DirectoryEntry, HouseholdHeadAnswer, LegacyIdAnswer, MonitoringSummary, OutboxMessage, ResidenceAnswer, StatementView, Usage,
  VerificationAnswer,
} from './schemas/exchange-views.js';
import { ApplicationPage, ApplicationView, CurrentResidence, HouseholdHistory, HouseholdView, ResidenceHistory } from './schemas/residence-views.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Headers the handler refuses a call without. They are checked there rather than by the schema,
     * so that the refusal is recorded like any other (DESIGN §3.4); the document marks them required.
     */
    requiredHeaders?: readonly string[];
  }
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The tags of the document, each with what it groups. */
export const TAGS: readonly { name: string; description: string }[] = [
  { name: 'system', description: 'Health of the server and its store (public).' },
  { name: 'categories', description: 'Administrative units with their validity dates and the national code lists (public, read-only).' },
  { name: 'citizens', description: 'The citizen record: birth registration, changes with their legal basis, death, missing, history, personal ID re-issue, search.' },
  { name: 'principals', description: 'Officers, administrators and inspectors, their accounts and their bearer tokens (administrators only).' },
  { name: 'sign-in', description: 'Signing in with a password and a second factor (TOTP), the session cookie, and one\'s own sessions.' },
  { name: 'e-ID accounts', description: 'Citizens\' e-identification accounts (NĐ 69/2024): level-1 self-registration, level 2 at the counter, activation within 7 days, locks by the citizen and the authority, a new phone or e-mail. Citizens sign in at /auth/sign-in with their personal ID.' },
  { name: 'cards', description: 'Identity cards (CMND, CCCD, căn cước): issue, replacement, loss, revocation, status, the QR printed on the card and counter checks.' },
  { name: 'certificates', description: 'Signed certificates (CMND confirmation, personal ID notice), their PDF, and public verification by number or scanned statement.' },
  { name: 'written requests', description: 'Written requests for a citizen\'s data (Luật Căn cước Art. 10(5)(c)): recorded with the scanned letter, the subject\'s consent, the decision within 3 working days, the signed reply or refusal letter.' },
  { name: 'residence', description: 'Residence procedures (permanent, temporary, stay notice, absence, household split, deregistration), the application lifecycle, households and the CT07 confirmation.' },
  { name: 'exchange: agencies', description: 'For connected agency systems: the OAuth token endpoint, the catalogue services (every call logged), their own usage and statements.' },
  { name: 'exchange: consent', description: 'For connected agency systems outside the state: asking the data subject\'s consent (NĐ 70/2024 Art. 10(2)) and following their requests (decision 0044).' },
  { name: 'consent', description: 'For citizens (a citizen principal): agencies\' requests for consent to use my data — approve, refuse, withdraw, and see which calls a consent allowed (decision 0044).' },
  { name: 'exchange: ministry', description: 'For the ministry: agencies, connections through their lifecycle, policies and keys, catalogue versions, statements, monitoring and the outbox.' },
  { name: 'exchange: agency administrators', description: 'For an agency\'s administrators (an account of role agency, decision 0046): their own agency\'s focal points, connections with their history, a connection request, keys, monthly statements and the consent requests its systems sent.' },
  { name: 'exchange: public', description: 'The published service catalogue and the directory of connected agencies (public).' },
  { name: 'inspection', description: 'For inspectors: the access log, the grievance queue, and the decisions that delay or hide entries from citizens.' },
  { name: 'me', description: 'For citizens (a citizen principal): my own record, household, residence, cards and the card\'s QR, and the signed documents I ask for (CT07, old-CMND confirmation, personal-ID notice) with their PDFs.' },
  { name: 'usage', description: 'For citizens (a citizen principal): who used my data, with the purpose of every access, receipts and grievances.' },
  { name: 'data tracker', description: 'Estonia Data Tracker–compatible usage API (dumonitor v2.1.0 shapes) for a signed-in citizen.' },
  { name: 'openid-connect', description: 'The OpenID Connect provider for public-service portals (decision 0043): relying parties registered by administrators, and for citizens the portals they allowed (revocable). The protocol itself is at /oidc (discovery at /.well-known/openid-configuration).' },
  { name: 'sms', description: 'The citizens\' SMS service: the published syntax for reading one\'s own data by text message (public).' },
  { name: 'subscribers', description: 'The telecom subscriber register: the mobile numbers operators certify as a citizen\'s, for officers (recorded, with a purpose) and for the citizen.' },
  { name: 'transparency', description: 'The transparency log (C2SP tlog-tiles): signed checkpoints with witness cosignatures, tiles, proofs and keys (public); entry bundles (inspectors).' },
];

/** What each standard error means, for the document. */
const ERROR_MEANINGS: Readonly<Record<number, string>> = {
  400: 'The request is malformed or fails validation (code VALIDATION_FAILED, MALFORMED_JSON or a rule of the registry).',
  401: 'No bearer token, or an unknown, expired or revoked one.',
  403: 'The caller is authenticated but not allowed to do this.',
  404: 'The resource named in the path does not exist.',
  408: 'The request did not arrive in time.',
  409: 'The request conflicts with the current state (a rule of the registry, named by its code).',
  412: 'The version named in If-Match is no longer current, or a precondition of the operation does not hold.',
  413: 'The request body is larger than this route accepts.',
  414: 'The URL is longer than the server accepts.',
  415: 'The request body is not of a media type this route accepts.',
  428: 'If-Match is required to change this resource.',
  429: 'Too many requests: wait the number of seconds in Retry-After.',
  431: 'The request headers are larger than the server accepts.',
  500: 'An unexpected failure of the server; nothing was changed.',
  503: 'The server cannot answer now (its store, access log or workers are unavailable or busy): retry after Retry-After.',
};

/**
 * What a parameter means, by its name: the same name means the same thing on every route, so the
 * document explains it once here when the route's schema does not.
 */
const PARAMETER_MEANINGS: Readonly<Record<string, string>> = {
  personalId: 'The 12-digit personal identification number (số định danh cá nhân)',
  'if-match': 'The version last read, as returned in ETag ("3", W/"3" or 3)',
  code: 'The code (administrative unit: 2, 3 or 5 digits; agency: its registered code)',
  connectionId: 'The connection ID (also the agency system\'s OAuth client_id)',
  format: 'The image format: png or svg',
  id: 'The principal ID (UUID)',
  month: 'The local (Vietnam) month, YYYY-MM',
  number: 'The certificate number as printed',
  year: 'The catalogue year',
  cursor: 'The nextCursor of the previous page; absent for the first page',
  limit: 'The most items to return on this page',
  date: 'The day the answer is for (YYYY-MM-DD); today when absent',
  dueBy: 'With view=due: applications due on or before this day',
  from: 'Entries at or after this instant (ISO 8601)',
  to: 'Entries before this instant (ISO 8601)',
  hours: 'How many hours back from now to summarise',
  legacyIdNumber: 'The old 9-digit CMND number',
  name: 'A full name or part of one; diacritics and Unicode form do not matter',
  sex: 'male or female',
  outcome: 'served or refused',
  procedure: 'The residence procedure',
  seq: 'The card\'s sequence number; the card in force when absent',
  service: 'The catalogue service code',
  state: 'The connection state',
  unitCode: 'The 5-digit commune code of the application',
  view: 'open, due (by dueBy), overdue, decided or all',
  agencyCode: 'The agency code',
  unitSet: 'The unit list: pre2025 or 2025',
  parent: 'The parent unit code; provinces when absent',
  householdId: 'The residence file number of the household',
  memberPersonalId: 'A member of the household (its head is asked about)',
  applicationId: 'The application ID',
  at: 'The instant (ISO 8601) the record is wanted as of',
};

/**
 * Response types the document names (components/schemas/<name>, the name of the TypeBox schema and
 * of its type) instead of repeating them inline wherever they are answered.
 */
const NAMED_SCHEMAS: Readonly<Record<string, object>> = {
  CitizenView, CitizenPageView, HistoryView, ReissueView,
  ApplicationView, ApplicationPage, CurrentResidence, ResidenceHistory, HouseholdView, HouseholdHistory,
  Agency, DirectoryEntry, Connection, ConnectionEvent, ConnectionWithEvents, CatalogueVersion, MonitoringSummary, OutboxMessage, AccessLogEntry,
  AccessLogPage, StatementView, Usage,
  CitizenRecordAnswer, BatchLookupAnswer, LegacyIdAnswer, HouseholdHeadAnswer, ResidenceAnswer, CardStatusAnswer, VerificationAnswer,
};
const NAME_OF = new Map<object, string>(Object.entries(NAMED_SCHEMAS).map(([name, schema]) => [schema, name]));
const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A copy of a schema in which every named schema inside it is a reference (the originals are shared). */
function withReferences(schema: unknown, self?: object): unknown {
  if (!schema || typeof schema !== 'object') return schema;
  const name = schema !== self ? NAME_OF.get(schema) : undefined;
  if (name) return componentRef(name);
  if (Array.isArray(schema)) return schema.map((x) => withReferences(x));
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, withReferences(v)]));
}

/** The named components, each with the names inside it referenced. */
function namedComponents(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(NAMED_SCHEMAS).map(([name, schema]) => [name, withReferences(schema, schema)]));
}

type ObjectSchema = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

/** A copy of a parameters schema in which every property has a description (the original is shared). */
function describeParameters(schema: unknown, required: readonly string[] = []): unknown {
  const o = schema as ObjectSchema | undefined;
  if (!o?.properties) return schema;
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [name, p] of Object.entries(o.properties)) {
    const meaning = PARAMETER_MEANINGS[name];
    properties[name] = p.description === undefined && meaning !== undefined ? { ...p, description: meaning } : p;
  }
  const allRequired = [...new Set([...(o.required ?? []), ...required])];
  return { ...o, properties, ...(allRequired.length ? { required: allRequired } : {}) };
}

export const problemRef = { $ref: 'Problem#' } as const;

/** Response headers handlers set, for the document. */
export const ETAG = { etag: { type: 'string', description: 'The version of the record ("<version>"), to send back in If-Match' } } as const;
export const LOCATION = { location: { type: 'string', description: 'The path of the created resource' } } as const;

/**
 * A response schema that also names the headers the handler sets. The copy keeps the schema's type
 * (the serialiser ignores the `headers` keyword; the document lists them under the response).
 */
export function withHeaders<T extends TSchema>(schema: T, ...headers: Readonly<Record<string, unknown>>[]): T {
  const copy = { ...schema, headers: Object.assign({}, ...headers) };
  WITH_HEADERS.set(copy, { schema, headers: copy.headers });
  return copy;
}
const WITH_HEADERS = new WeakMap<object, { schema: object; headers: Record<string, unknown> }>();

const SUCCESS_MEANINGS: Readonly<Record<string, string>> = { 200: 'OK', 201: 'Created', 204: 'Done; no content' };

/**
 * The responses as the document shows them (the route's own stay as they are: Fastify serialises
 * with them): named types referenced, headers beside the content, a description on each success.
 */
function documentedResponses(response: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, entry] of Object.entries(response)) {
    const wrapped = WITH_HEADERS.get(entry as object);
    let e = withReferences(wrapped ? { headers: wrapped.headers, content: { 'application/json': { schema: wrapped.schema } } } : entry) as Record<string, unknown>;
    if (!e.content && e.type !== 'null') e = { content: { 'application/json': { schema: e } } };
    if (e.description === undefined) e = { ...e, description: SUCCESS_MEANINGS[status] ?? ERROR_MEANINGS[Number(status)] ?? 'An answer' };
    out[status] = e;
  }
  return out;
}

/** A response entry for an error: problem+json with the shared schema. */
export function problemResponse(status: number): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    description: ERROR_MEANINGS[status] ?? 'An error (RFC 9457 problem details).',
    content: { [PROBLEM_MEDIA_TYPE]: { schema: problemRef } },
  };
  if (status === 429 || status === 503) entry.headers = { 'retry-after': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' } };
  return entry;
}

type Schema = NonNullable<RouteOptions['schema']> & {
  hide?: boolean;
  summary?: string;
  description?: string;
  response?: Record<string, unknown>;
  params?: unknown;
  querystring?: unknown;
  body?: unknown;
  headers?: unknown;
};

/** The error statuses a route can answer by its kind: public or authenticated, with input or body or not. */
export function standardErrors(route: { schema: Schema; public: boolean; hasBody: boolean }): number[] {
  const s = route.schema;
  // Any request can be too slow, too long in its URL or headers, too frequent, or meet a failure of
  // ours or of the store.
  const out = new Set<number>([408, 414, 429, 431, 500, 503]);
  if (s.params || s.querystring || s.body || s.headers) out.add(400);
  if (s.params) out.add(404);
  if (!route.public) {
    out.add(401);
    out.add(403);
  }
  if (route.hasBody) {
    out.add(413);
    out.add(415);
  }
  return [...out];
}

function accessSentence(config: RouteOptions['config']): string {
  if (config?.public) return 'Public: no officer token needed.';
  const roles = config?.roles ?? [];
  return `Callers: ${roles.join(', ')} (officer bearer token).`;
}

/** The onRoute hook that completes every documented route. */
export function documentRoute(route: RouteOptions): void {
  const schema = route.schema as Schema | undefined;
  if (!schema || schema.hide) return;
  const methods = ([] as string[]).concat(route.method as string | string[]);
  const hasBody = schema.body !== undefined || methods.some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH');
  const response: Record<string, unknown> = { ...(schema.response ?? {}) };
  // Routes may name a problem by the Problem schema itself: every such entry becomes problem+json.
  for (const [status, entry] of Object.entries(response)) if (entry === Problem) response[status] = problemResponse(Number(status));
  for (const status of standardErrors({ schema, public: route.config?.public === true, hasBody })) {
    if (response[status] === undefined) response[status] = problemResponse(status);
  }
  const description = [schema.description ?? schema.summary, accessSentence(route.config)].filter(Boolean).join('\n\n');
  route.schema = { ...schema, response, description };
}

/** The document's header: servers, contact, licence, tags, security; components named by $id. */
export async function registerOpenApi(app: FastifyInstance, opts: { version: string; publicUrl: string }): Promise<void> {
  app.addSchema({ ...Problem, $id: 'Problem', title: 'Problem' });
  app.addHook('onRoute', documentRoute);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'dancu — population registry API',
        version: opts.version,
        description:
          'API of the dancu population registry. Errors are RFC 9457 problem+json (application/problem+json) with a stable `code` and messages in Vietnamese and English.',
        contact: { name: 'dancu project' },
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [{ url: opts.publicUrl, description: 'This registry' }],
      tags: [...TAGS].sort((a, b) => a.name.localeCompare(b.name)).map((t) => ({ ...t })),
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: namedComponents() as never },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transform: ({ schema, url, route }) => {
      const s = schema as Schema | undefined;
      if (!s) return { schema, url };
      const documented: Record<string, unknown> = { ...s };
      // A wildcard (`*`: the transparency tile paths) is no valid parameter name: documented as {path}.
      const wildcard = (s.params as { properties?: Record<string, unknown> } | undefined)?.properties?.['*'];
      const docUrl = url.endsWith('*') && wildcard ? `${url.slice(0, -1)}:path` : url;
      const params = docUrl !== url ? ({ ...(s.params as object), properties: { path: wildcard }, required: ['path'] } as typeof s.params) : s.params;
      if (params) documented.params = describeParameters(params);
      if (s.querystring) documented.querystring = describeParameters(s.querystring);
      if (s.headers) documented.headers = describeParameters(s.headers, route.config?.requiredHeaders ?? []);
      if (s.response) documented.response = documentedResponses(s.response as Record<string, unknown>);
      return { schema: documented as typeof schema, url: docUrl };
    },
  });
}
