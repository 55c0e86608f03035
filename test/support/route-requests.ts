/**
 * Requests derived from a route's own schemas (fast-check arbitraries): well-formed values, and
 * hostile ones — wrong types, forbidden characters, deep nesting, unknown properties, edge numbers.
 * Used by the input-hygiene test (one well-formed request per route) and the fuzz test.
 */
import fc from 'fast-check';
import type { RouteSpec } from '../../src/http/input-hygiene.js';
import { createPrincipal } from '../../src/services/principals.js';
import { birthBody, type TestServer } from './http.js';
import { agencyBody } from './exchange.js';

type Schema = Record<string, unknown>;

/** Values to mix in for properties of a given name (e.g. personal IDs of people who exist). */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

/**
 * Well-formed values of a JSON schema (the subset TypeBox produces); with `hostility` > 0, every
 * node is now and then replaced by a hostile value, an object given an unknown property or
 * missing its first one.
 */
export function validArbitrary(schema: unknown, hostility = 0, hints: Hints = {}): fc.Arbitrary<unknown> {
  const s = (schema ?? {}) as Schema;
  const value = validOf(s, hostility, hints);
  return hostility > 0 ? fc.oneof({ weight: 8, arbitrary: value }, { weight: hostility, arbitrary: HOSTILE }) : value;
}

function validOf(s: Schema, hostility: number, hints: Hints): fc.Arbitrary<unknown> {
  const sub = (x: unknown) => validArbitrary(x, hostility, hints);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as unknown[]).map(sub));
  if (Array.isArray(s.oneOf)) return fc.oneof(...(s.oneOf as unknown[]).map(sub));
  if (Array.isArray(s.allOf)) return sub(Object.assign({}, ...(s.allOf as Schema[])));
  if (Array.isArray(s.type)) return fc.oneof(...(s.type as string[]).map((t) => sub({ ...s, type: t })));
  switch (s.type) {
    case 'string':
      return stringOf(s);
    case 'integer': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1000;
      const max = typeof s.maximum === 'number' ? s.maximum : Math.max(min + 1000, 1000);
      return fc.integer({ min, max });
    }
    case 'number':
      return fc.double({ min: typeof s.minimum === 'number' ? s.minimum : -1e6, max: typeof s.maximum === 'number' ? s.maximum : 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === 'number' ? s.maxItems : 3, 3));
      return fc.array(sub(s.items), { minLength, maxLength });
    }
    default:
      break;
  }
  if (s.type === 'object' || s.properties || s.patternProperties) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    const required = (s.required ?? []) as string[];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(props)) model[k] = hints[k] ? fc.oneof(hints[k], sub(v)) : sub(v);
    const record = Object.keys(model).length ? fc.record(model, { requiredKeys: required.filter((k) => k in model) }) : fc.constant({});
    if (s.patternProperties && !Object.keys(props).length) return fc.dictionary(fc.constantFrom('kty', 'crv', 'x', 'kid', 'alg', 'use'), fc.string({ maxLength: 40 }), { maxKeys: 6 });
    if (hostility === 0) return record;
    // Sometimes an unknown property, sometimes a required one missing.
    return fc.oneof(
      { weight: 8, arbitrary: record },
      { weight: hostility, arbitrary: record.map((o) => ({ ...(o as object), zz: 1 })) },
      { weight: hostility, arbitrary: record.map((o) => Object.fromEntries(Object.entries(o as object).slice(1))) },
    );
  }
  return fc.jsonValue({ maxDepth: 2 });
}

function stringOf(s: Schema): fc.Arbitrary<string> {
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : 60;
  if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= minLength && x.length <= maxLength);
  if (s.format === 'email') return fc.emailAddress();
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'uri') return fc.webUrl();
  if (s.format === 'date') return fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'date-time') return fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  return fc.oneof(
    fc.string({ minLength, maxLength: Math.min(maxLength, 40) }),
    fc.constantFrom('Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Hà Nội', 'Phường Trúc Bạch').filter((x) => x.length >= minLength && x.length <= maxLength),
  );
}

const deep = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n));

/** Values no schema should accept as they are, or text the character rule must catch. */
export const HOSTILE: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    true, false, null, 0, -0, 1.5, -1, 2 ** 53 + 1, 1e308, [], {}, ['female'], [null], { __proto__x: 1 }, '', ' ', '0x10', '1e3',
    'Nguyễn\u0000Văn', 'An\u001b[31m', '\ud800', 'x\udc00y', 'Hồ\u202eng', 'Lê\u200bThị', 'Ng\u00aduyễn', 'Nguyễn Văn Hоà', '\ufeffAn', 'An\uffff',
    'A'.repeat(5000), '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '%00', '9'.repeat(400), '2024-02-30', '0000-00-00', '-001-01-01',
  ),
  fc.constantFrom(8, 31, 33, 200).map(deep),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0007', '\u007f', '\u0085', '\u200b', '\u202e', '\ud800', '\udfff', 'a', 'ệ', ' ', '\n'), maxLength: 12 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** URL-encodes any text; a lone surrogate (which UTF-8 cannot carry) is sent as U+FFFD. */
export function encode(v: string): string {
  return encodeURIComponent(v.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
}

/** A value as URL text: strings as they are, anything else as JSON (objects may lack a prototype). */
function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  return v === undefined ? 'x' : JSON.stringify(v);
}

/** Fills a route's path parameters with values (already URL-encoded). */
export function pathOf(url: string, params: Record<string, unknown>): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encode(textOf(params[name]))).replace(/\*$/, '');
}

export function queryOf(query: Record<string, unknown> | undefined): string {
  if (!query || typeof query !== 'object' || Array.isArray(query)) return '';
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encode(k)}=${encode(textOf(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** One well-formed request of a route (deterministic). */
export function sampleRequest(route: RouteSpec): { path: string; body: unknown } {
  const one = (schema: unknown) => (schema ? fc.sample(validArbitrary(schema), { numRuns: 1, seed: 7 })[0] : undefined);
  const params = (one(route.schema?.params) ?? {}) as Record<string, unknown>;
  return { path: pathOf(route.url, params), body: one(route.schema?.body) ?? {} };
}

/** The token of a role the route admits (none for public routes). */
export function tokenFor(s: TestServer, route: RouteSpec): string | undefined {
  const roles = (route.config.roles ?? []) as string[];
  if (route.config.public || roles.length === 0) return undefined;
  if (roles.includes('officer')) return s.tokens.officer;
  if (roles.includes('admin')) return s.tokens.admin;
  if (roles.includes('citizen')) return citizenTokens.get(s) ?? s.tokens.inspector;
  if (roles.includes('agency')) return agencyAdminTokens.get(s) ?? s.tokens.inspector;
  return s.tokens.inspector;
}

const citizenTokens = new WeakMap<TestServer, string>();

/** A citizen principal (bound to a citizen registered for it) that tokenFor gives the citizen routes; once per server, in `before`. */
export async function prepareCitizenToken(s: TestServer): Promise<void> {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, headers: { 'x-purpose': 'TEST' }, body: birthBody({ fullName: 'Công Dân Thử' }) });
  citizenTokens.set(s, (await createPrincipal(s.runtime.store, s.clock, 'Test citizen', 'citizen', undefined, { personalId: r.body.personalId as string })).token);
}

const agencyAdminTokens = new WeakMap<TestServer, string>();

/** An agency administrator (role agency, decision 0046) of a registered agency, that tokenFor gives the /my-agency routes; once per server, in `before`. */
export async function prepareAgencyAdminToken(s: TestServer): Promise<void> {
  const r = await s.call('POST', '/admin/agencies', { token: s.tokens.admin, body: agencyBody('ROUTES-ADMIN') });
  if (r.status !== 201) throw new Error(`agency: ${JSON.stringify(r.body)}`);
  agencyAdminTokens.set(s, (await createPrincipal(s.runtime.store, s.clock, 'Test agency administrator', 'agency', undefined, { unit: 'ROUTES-ADMIN' })).token);
}
