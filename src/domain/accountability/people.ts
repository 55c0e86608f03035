/**
 * Who a use concerns and what it releases, read from data alone (pure; decision 0030): personal IDs
 * found where a schema puts the 12-digit pattern, by property name in answers, the fields an answer
 * releases, and the people applications name. The HTTP edge and the CLI both read uses through these.
 */
import { REQUEST_SCHEMAS } from '../residence/requests.js';

const PERSONAL_ID = /^\d{12}$/;

/** The personal IDs among values, once each, in order (anything else — invalid input — is dropped). */
export function personalIdsIn(values: readonly unknown[] | undefined): string[] {
  if (!values) return [];
  const out = new Set<string>();
  for (const v of values) if (typeof v === 'string' && PERSONAL_ID.test(v)) out.add(v);
  return [...out];
}

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

/** The fields an answer releases: its keys, or its items' keys. */
export function fieldsOf(answer: unknown): string[] {
  if (!answer || typeof answer !== 'object') return [];
  const o = answer as Record<string, unknown>;
  const keys = new Set<string>();
  const items = Array.isArray(o.items) ? o.items : Array.isArray(answer) ? (answer as unknown[]) : undefined;
  // A key whose value is undefined is not serialised: it releases nothing.
  const add = (it: object) => {
    for (const [k, v] of Object.entries(it)) if (v !== undefined) keys.add(k);
  };
  if (items) {
    for (const it of items) if (it && typeof it === 'object') add(it);
  } else {
    add(o);
  }
  return [...keys].sort();
}

type Bag = Record<string, unknown> | undefined;

/** The people named by these properties of the answer, or of each of its items. */
export function peopleInAnswer(...keys: string[]): (answer: unknown) => unknown[] {
  return (answer) => {
    const a = answer as Bag;
    const items = Array.isArray(a?.items) ? (a.items as Bag[]) : [a];
    return items.flatMap((it) => keys.flatMap((k) => listOf(it?.[k])));
  };
}

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

/** The people applications name: by property name, and their requests walked with their procedure's schema. */
export function peopleInApplications(answer: unknown): unknown[] {
  const items = (answer as { items?: unknown } | undefined)?.items;
  return (Array.isArray(items) ? items : [answer]).flatMap((a) => {
    const app = a as { procedure?: string; request?: unknown } | undefined;
    const schema = app?.procedure !== undefined ? (REQUEST_SCHEMAS as Record<string, unknown>)[app.procedure] : undefined;
    return [...peopleAnywhereIn(a), ...personalIdsBySchema(schema, app?.request)];
  });
}
