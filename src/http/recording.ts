/**
 * The one recording mechanism at the HTTP edge (DESIGN §3.4; decision 0027). Every request runs in
 * a use scope; a route declares the people it touches (`config.people`) and the mechanism does the
 * rest — never each handler:
 * - a read or change of citizens' data by anyone but that citizen needs a purpose (`X-Purpose`:
 *   the administrative procedure code or the reason) and is recorded with who, whose data, the
 *   fields released and the outcome, before the answer leaves; a change records inside its own
 *   transaction (services/accountability/recording-store.ts);
 * - every refusal, at any stage (authentication, schema validation, unknown route, the handler),
 *   is recorded too; a caller who is not authenticated is recorded by its address, never under the
 *   personal IDs it claims;
 * - if the entry cannot be written, the answer is replaced by 503 ACCESS_LOG_UNAVAILABLE.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { RegistryError } from '../domain/errors/registry-error.js';
import type { ServiceContext } from '../services/context.js';
import { runInScope, type UseScope } from '../services/accountability/scope.js';
import { entryOfScope } from '../services/accountability/recording-store.js';
import { findExchangeCaller } from '../services/exchange/tokens.js';
import { authenticate } from '../services/principals.js';
import { bearerOf } from './auth.js';
import { problemOf } from './problem.js';
import { fieldsOf, personalIdsIn } from '../domain/accountability/people.js';
import { REPRESENTATION_PURPOSE } from '../domain/accountability/representation.js';

export { fieldsOf, peopleInAnswer } from '../domain/accountability/people.js';

/** Who a route touches: named by the request (path, query, body) and/or by its answer. */
export interface PeopleDeclaration {
  request?: (req: FastifyRequest) => readonly unknown[];
  response?: (answer: unknown) => readonly unknown[];
  /**
   * The people are known only once the handler has read the data (an entry bundle): a purpose is
   * asked of every caller, as when the answer may name people.
   */
  knownAfterReading?: true;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The citizens this route's use concerns; routes that touch people must declare them. */
    people?: PeopleDeclaration;
    /** The action recorded, when it is not the route's operationId (an exchange service: its code). */
    action?: string;
  }
  interface FastifyRequest {
    useScope?: UseScope;
    /** The handler's answer before serialisation (for the fields released and the people named). */
    answer?: unknown;
    /** What the recording needs of the request's route (kept per route). */
    routeFacts?: RouteFacts;
  }
}

const MAX_PURPOSE = 200;

const ids = personalIdsIn;

/**
 * What the mechanism needs of a route, worked out on its first request and kept: `req.routeOptions`
 * builds a new object at every read, and the success status and a change's fields are the same for
 * every request of the route.
 */
interface RouteFacts {
  method: string;
  action: string;
  people: PeopleDeclaration | undefined;
  successStatus: number;
  /** The fields a change releases: those its success answer may hold. */
  changeFields: string[];
}

const routeFacts = new WeakMap<object, RouteFacts>();

function factsOf(req: FastifyRequest): RouteFacts {
  const route = req.routeOptions;
  const config = route.config as object | undefined;
  const known = config ? routeFacts.get(config) : undefined;
  if (known && known.method === req.method) return known;
  const successStatus = successStatusOf(route.schema);
  const facts: RouteFacts = {
    method: req.method,
    action: route.config?.action ?? (route.schema as { operationId?: string } | undefined)?.operationId ?? (route.url ? `${req.method} ${route.url}` : 'unmatched'),
    people: route.config?.people,
    successStatus,
    changeFields: schemaFieldsOf(route.schema, successStatus),
  };
  if (config) routeFacts.set(config, facts);
  return facts;
}

/** The people a request names, by its route's declaration (input may be invalid: read defensively). */
function peopleAsked(req: FastifyRequest, decl: PeopleDeclaration | undefined): string[] {
  if (!decl?.request) return [];
  try {
    return ids(decl.request(req));
  } catch {
    return [];
  }
}

function safely(read: () => readonly unknown[]): readonly unknown[] {
  try {
    return read();
  } catch {
    return [];
  }
}

function peopleAnswered(decl: PeopleDeclaration | undefined, answer: unknown): string[] {
  if (!decl?.response || answer === undefined) return [];
  try {
    return ids(decl.response(answer));
  } catch {
    return [];
  }
}

/**
 * The purpose a caller gives. Header values are Latin-1, so Vietnamese text comes percent-encoded
 * UTF-8 (as `dancu audit --url` and the portal send it): decoded when it is well formed.
 */
export function purposeOf(req: FastifyRequest): string | undefined {
  const v = req.headers['x-purpose'];
  if (typeof v !== 'string') return undefined;
  let t = v.trim();
  if (/%[0-9A-Fa-f]{2}/.test(t)) {
    try {
      t = decodeURIComponent(t).normalize('NFC').trim();
    } catch {
      // Not percent-encoding after all: kept as given.
    }
  }
  // Control characters never reach the record.
  t = t.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return t.length > 0 ? t.slice(0, MAX_PURPOSE) : undefined;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function successStatusOf(routeSchema: unknown): number {
  const response = (routeSchema as { response?: Record<string, unknown> } | undefined)?.response ?? {};
  const codes = Object.keys(response).map(Number).filter((c) => c >= 200 && c < 300).sort((a, b) => a - b);
  return codes[0] ?? 200;
}

/** The properties the success answer's schema allows (or its items'): what a change may release. */
function schemaFieldsOf(routeSchema: unknown, status: number): string[] {
  type S = { properties?: Record<string, S>; items?: S };
  const schema = (routeSchema as { response?: Record<string, S> } | undefined)?.response?.[status];
  const props = schema?.properties;
  const items = props?.items?.items?.properties ?? schema?.items?.properties;
  return Object.keys(items ?? props ?? {}).sort();
}

/** A citizen using their own data is not "anyone but that citizen": no purpose, no entry when served. */
function ownUse(req: FastifyRequest, people: readonly string[]): boolean {
  const p = req.principal;
  return p?.role === 'citizen' && p.personalId !== undefined && people.length > 0 && people.every((id) => id === p.personalId);
}

/** Addresses whose abuse-limiter refusal was recorded in the current minute (bounded: cleared each minute). */
function limiterRefusalWindow() {
  let minute = -1;
  let seen = new Set<string>();
  return {
    firstThisMinute(address: string, nowMs: number): boolean {
      const m = Math.floor(nowMs / 60_000);
      if (m !== minute) {
        minute = m;
        seen = new Set();
      }
      if (seen.has(address)) return false;
      seen.add(address);
      return true;
    },
  };
}

export function registerRecording(app: FastifyInstance, ctx: ServiceContext): void {
  const limiterRefusals = limiterRefusalWindow();
  // Callback style, so that everything after this hook — authentication, validation, the handler
  // and the services' transactions — runs inside the request's scope.
  app.addHook('onRequest', (req, _reply, done) => {
    const route = factsOf(req);
    const scope: UseScope = {
      draft: {
        at: ctx.clock.now().toISOString(),
        callerKind: 'anonymous',
        channel: 'api',
        action: route.action,
        personalIds: [],
        sourceIp: req.ip,
        requestId: req.id.length > 64 ? req.id.slice(0, 64) : req.id,
      },
      recordInChange: false,
      recorded: false,
      startedMs: performance.now(),
    };
    req.useScope = scope;
    req.routeFacts = route;
    runInScope(scope, done);
  });

  // Who a use concerns, and why, is read only on the routes that declare people (decided once per
  // route, when it is registered): a route touching nobody pays for none of it. Its refusals are
  // recorded all the same (onSend, for every route).
  const preHandler = async (req: FastifyRequest) => preHandle(req, req.routeFacts!, req.useScope!);
  const keepAnswer = async (req: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    req.answer = payload;
    return payload;
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!(route.config as { people?: PeopleDeclaration } | undefined)?.people) return;
    // First among the route's own hooks (after every app-wide hook: authentication and validation).
    route.preHandler = [preHandler, ...hooksOf(route.preHandler)] as RouteOptions['preHandler'];
    route.preSerialization = [keepAnswer, ...hooksOf(route.preSerialization)] as RouteOptions['preSerialization'];
  });

  // Callback style: an answer that needs no entry (served, on a route touching nobody; or already
  // recorded) leaves without a promise made for it.
  app.addHook('onSend', (req, reply, payload, done) => {
    const scope = req.useScope;
    if (!scope || scope.recorded || (reply.statusCode < 400 && !req.routeFacts?.people)) {
      done(null, payload);
      return;
    }
    recordAtSend(req, reply, payload, scope).then(
      (p) => done(null, p),
      (e: Error) => done(e),
    );
  });

  async function recordAtSend(req: FastifyRequest, reply: FastifyReply, payload: unknown, scope: UseScope): Promise<unknown> {
    const status = reply.statusCode;
    const refused = status >= 400;
    const declared = req.routeFacts?.people;
    // The abuse limiter's refusals come in floods: one entry per address and minute, and no token
    // lookups for them (recording each would let a flood write the log).
    const limited = status === 429 && errorCodeOf(payload) === 'TOO_MANY_REQUESTS';
    if (limited && !limiterRefusals.firstThisMinute(req.ip, Date.now())) return payload;
    if (scope.draft.callerKind === 'anonymous' && !limited) await identifyLate(req, scope, ctx);
    // Refused before the purpose was read (authentication, validation): it is recorded all the same.
    if (scope.draft.purpose === undefined && scope.draft.callerKind !== 'anonymous' && scope.draft.role !== 'citizen') {
      const purpose = purposeOf(req);
      if (purpose) scope.draft.purpose = purpose;
    }
    let people = scope.draft.callerKind === 'anonymous' ? [] : scope.draft.personalIds.length > 0 ? scope.draft.personalIds : peopleAsked(req, declared);
    if (!refused) people = ids([...people, ...peopleAnswered(declared, req.answer)]);
    if (!refused && (people.length === 0 || ownUse(req, people))) return payload;
    scope.draft.personalIds = scope.draft.callerKind === 'anonymous' ? [] : people;
    const errorCode = refused ? errorCodeOf(payload) : undefined;
    try {
      await ctx.recorder.record(entryOfScope(scope, { httpStatus: status, ...(errorCode ? { errorCode } : {}), fields: fieldsOf(req.answer) }));
      return payload;
    } catch (e) {
      return unanswered(req, reply, e);
    }
  }
}

/** After authentication and validation, on a route that declares people: who is asking, why, about whom. */
function preHandle(req: FastifyRequest, route: RouteFacts, scope: UseScope): void {
  identify(req, scope);
  const people = peopleAsked(req, route.people);
  scope.draft.personalIds = people;
  const declared = route.people;
  if (!declared || !req.principal) return;
  const purpose = purposeOf(req);
  // A citizen reaches only the citizen routes, which let them act for another person only as that
  // person's representative (checked by the route): the use is recorded with that purpose.
  if (req.principal.role === 'citizen') {
    if (!ownUse(req, people)) scope.draft.purpose = REPRESENTATION_PURPOSE;
  } else if (purpose) scope.draft.purpose = purpose;
  // A purpose is asked whenever the use may concern someone: the request names people, or the
  // answer may (a search, a registration). Creating an officer names nobody.
  else if (people.length > 0 || declared.response !== undefined || declared.knownAfterReading) throw new RegistryError('PURPOSE_REQUIRED');
  scope.recordInChange = CHANGES.has(req.method) && !ownUse(req, people);
  const fromAnswer = declared.response;
  if (scope.recordInChange && fromAnswer) scope.peopleOfResult = (result) => ids(safely(() => fromAnswer(result)));
  scope.draft.successStatus = route.successStatus;
  // A change records before its answer exists: the fields it releases are those its answer may hold.
  if (scope.recordInChange) scope.draft.fields = route.changeFields;
}

const hooksOf = (h: unknown): unknown[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);

/** The principal (officer, inspector, admin, citizen) the authentication hook found. */
function identify(req: FastifyRequest, scope: UseScope): void {
  const p = req.principal;
  if (!p) return;
  scope.draft.callerKind = 'principal';
  scope.draft.principalId = p.id;
  scope.draft.role = p.role;
  if (p.unit) scope.draft.unit = p.unit;
}

/**
 * A refusal before the authentication hook ran (an unknown route, a malformed request) or on a
 * route that checks its own credentials (the exchange): who it was, if the credentials are good.
 */
async function identifyLate(req: FastifyRequest, scope: UseScope, ctx: ServiceContext): Promise<void> {
  if (req.principal) return identify(req, scope);
  const token = bearerOf(req);
  if (!token) return;
  try {
    const principal = await authenticate(ctx.store, token, ctx.clock);
    if (principal) {
      req.principal = principal;
      return identify(req, scope);
    }
    const connection = await findExchangeCaller(ctx, token);
    if (connection) {
      scope.draft.callerKind = 'connection';
      scope.draft.connectionId = connection.connectionId;
      scope.draft.agencyCode = connection.agencyCode;
      scope.draft.channel = 'exchange';
      const officer = req.headers['x-officer-id'];
      if (typeof officer === 'string' && officer.length > 0) scope.draft.officerId = officer.slice(0, 40);
    }
  } catch {
    // The store cannot say who it was: recorded as unauthenticated, by address.
  }
}

function errorCodeOf(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || payload.length > 65_536) return undefined;
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' ? code.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}

function unanswered(req: FastifyRequest, reply: FastifyReply, cause: unknown): string {
  // A store that is away is named as such (503 STORE_UNAVAILABLE, with Retry-After); any other
  // failure to record is the access log's.
  const err = cause instanceof RegistryError && cause.code === 'STORE_UNAVAILABLE' ? cause : new RegistryError('ACCESS_LOG_UNAVAILABLE');
  const retryAfter = err.extra?.retryAfter;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  reply.code(err.status).type('application/problem+json');
  reply.removeHeader('etag');
  reply.removeHeader('location');
  return JSON.stringify(problemOf(err, req.id));
}

// ------------------------------------------------------------------ declarations routes use

type Bag = Record<string, unknown> | undefined;
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** The person named by the path (`:personalId`). */
export const PERSON_IN_PATH: PeopleDeclaration = { request: (req) => [(req.params as Bag)?.personalId] };

/** The people named by these properties of the body (strings or lists of strings). */
export function peopleInBody(...keys: string[]): PeopleDeclaration {
  return { request: (req) => keys.flatMap((k) => listOf((req.body as Bag)?.[k])) };
}

