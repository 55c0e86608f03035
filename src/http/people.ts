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
import { peopleAnywhereIn, personalIdsBySchema } from '../domain/accountability/people.js';

export { PERSONAL_ID_PATTERN, peopleAnywhereIn, personalIdsBySchema, schemaNamesPeople } from '../domain/accountability/people.js';

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

/** The people the request names, and those its answer names. */
export const PEOPLE_IN_REQUEST_AND_ANSWER: PeopleDeclaration = { request: peopleInRequest, response: peopleAnywhereIn };
/** The people the request names (an answer that names nobody else). */
export const PEOPLE_IN_REQUEST: PeopleDeclaration = { request: peopleInRequest };
/** The people only the answer names (a request by number: a certificate, a household, an application). */
export const PEOPLE_IN_ANSWER: PeopleDeclaration = { response: peopleAnywhereIn };
