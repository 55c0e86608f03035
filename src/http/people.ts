/**
 * Who a route's use concerns, read from the route's own schemas (issue 13 item 1; decision 0030).
 * A personal ID is, in every schema of the API, a string with the 12-digit pattern; so the people a
 * request names are the values found where its params, query and body schemas put that pattern —
 * nested objects, lists and alternatives included (residence applications name members, hosts,
 * owners, the new head…). The same walk tells the route test which routes must declare people.
 *
 * Answers are free-form in places (an application's request, a household's change records), so the
 * people an answer names are read by property name instead: `personalId`, `…PersonalId`, and the
 * `member:<personal ID>` keys of household changes.
 */
import type { FastifyRequest } from 'fastify';
import type { PeopleDeclaration } from './recording.js';

/** The pattern every personal-ID schema carries (domain/citizen/citizen.ts PersonalId). */
export const PERSONAL_ID_PATTERN = '^\\d{12}$';

type Schema = Readonly<Record<string, unknown>>;
const MAX_DEPTH = 12;

function asSchema(v: unknown): Schema | undefined {
  return v && typeof v === 'object' ? (v as Schema) : undefined;
}

function branchesOf(s: Schema): Schema[] {
  const out: Schema[] = [];
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[k];
    if (Array.isArray(list)) for (const b of list) if (asSchema(b)) out.push(b as Schema);
  }
  return out;
}

function isPersonalIdSchema(s: Schema): boolean {
  return s.type === 'string' && s.pattern === PERSONAL_ID_PATTERN;
}

/** The values of `value` that stand where `schema` puts a personal ID (value may be invalid: read defensively). */
export function personalIdsBySchema(schema: unknown, value: unknown, depth = 0): unknown[] {
  const s = asSchema(schema);
  if (!s || depth > MAX_DEPTH || value === undefined || value === null) return [];
  if (isPersonalIdSchema(s)) return [value];
  const out: unknown[] = [];
  for (const b of branchesOf(s)) out.push(...personalIdsBySchema(b, value, depth + 1));
  const props = asSchema(s.properties);
  if (props && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, sub] of Object.entries(props)) out.push(...personalIdsBySchema(sub, (value as Record<string, unknown>)[k], depth + 1));
  }
  if (s.items && Array.isArray(value)) for (const v of value) out.push(...personalIdsBySchema(s.items, v, depth + 1));
  return out;
}

/** Whether a schema has a place for a personal ID anywhere in it. */
export function schemaNamesPeople(schema: unknown, depth = 0): boolean {
  const s = asSchema(schema);
  if (!s || depth > MAX_DEPTH) return false;
  if (isPersonalIdSchema(s)) return true;
  if (branchesOf(s).some((b) => schemaNamesPeople(b, depth + 1))) return true;
  const props = asSchema(s.properties);
  if (props && Object.values(props).some((p) => schemaNamesPeople(p, depth + 1))) return true;
  return schemaNamesPeople(s.items, depth + 1);
}

/** The parts of a request its route's schema describes. */
const PARTS = [
  ['params', (r: FastifyRequest) => r.params],
  ['querystring', (r: FastifyRequest) => r.query],
  ['body', (r: FastifyRequest) => r.body],
] as const;

/** The people a request names in its path, query or body, wherever its schemas put a personal ID. */
export function peopleInRequest(req: FastifyRequest): unknown[] {
  const schema = req.routeOptions.schema as Record<string, unknown> | undefined;
  if (!schema) return [];
  return PARTS.flatMap(([part, read]) => personalIdsBySchema(schema[part], read(req)));
}

const PERSON_KEY = /^personalId$|PersonalId$/;
const MEMBER_KEY = /^member:(\d{12})$/;

/** Every personal ID an answer names, at any depth, by property name (see the module comment). */
export function peopleAnywhereIn(answer: unknown, depth = 0): unknown[] {
  if (!answer || typeof answer !== 'object' || depth > MAX_DEPTH) return [];
  if (Array.isArray(answer)) return answer.flatMap((v) => peopleAnywhereIn(v, depth + 1));
  const out: unknown[] = [];
  for (const [k, v] of Object.entries(answer as Record<string, unknown>)) {
    const member = MEMBER_KEY.exec(k);
    if (member) out.push(member[1]);
    // A change record holds [before, after] under the same name.
    if (PERSON_KEY.test(k) && (typeof v === 'string' || Array.isArray(v))) out.push(...(Array.isArray(v) ? v : [v]));
    else if (v && typeof v === 'object') out.push(...peopleAnywhereIn(v, depth + 1));
  }
  return out;
}

/** The people the request names, and those its answer names. */
export const PEOPLE_IN_REQUEST_AND_ANSWER: PeopleDeclaration = { request: peopleInRequest, response: peopleAnywhereIn };
/** The people the request names (an answer that names nobody else). */
export const PEOPLE_IN_REQUEST: PeopleDeclaration = { request: peopleInRequest };
/** The people only the answer names (a request by number: a certificate, a household, an application). */
export const PEOPLE_IN_ANSWER: PeopleDeclaration = { response: peopleAnywhereIn };
