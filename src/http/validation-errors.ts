/**
 * Schema-validation errors (Ajv's, as Fastify hands them over) turned into problem fields a person
 * can act on: which property, what was wrong, what is allowed — in Vietnamese and English.
 *
 * Two things make Ajv's raw list unhelpful: "must NOT have additional properties" never names the
 * property, and a union (anyOf/oneOf) reports every branch's complaints. Here the property is named,
 * and a union is reported through the branch the request came closest to (its discriminator
 * matched, fewest complaints); when no branch's discriminator matched, the allowed values of the
 * discriminator are what is reported.
 */
import type { ProblemField } from '../domain/errors/registry-error.js';

/** What Fastify passes on from Ajv (with `verbose`, the schema that failed is included). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: { properties?: Record<string, unknown> } & Record<string, unknown>;
}

interface Message {
  en: string;
  vi: string;
  allowed?: string[];
}

const TYPE_VI: Record<string, string> = {
  string: 'chuỗi ký tự',
  integer: 'số nguyên',
  number: 'số',
  boolean: 'true hoặc false',
  object: 'đối tượng JSON',
  array: 'mảng',
  null: 'null',
};

const TYPE_EN: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'an array',
  null: 'null',
};

const FORMAT_EN: Record<string, string> = {
  date: 'a date YYYY-MM-DD',
  'date-time': 'an ISO 8601 date and time',
  uri: 'a URI',
  email: 'an e-mail address',
  uuid: 'a UUID',
};
const FORMAT_VI: Record<string, string> = {
  date: 'ngày dạng YYYY-MM-DD',
  'date-time': 'ngày giờ dạng ISO 8601',
  uri: 'địa chỉ URI',
  email: 'địa chỉ thư điện tử',
  uuid: 'UUID',
};

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const quoted = (vs: string[]) => vs.map((v) => `"${v}"`).join(', ');

function types(t: unknown): string[] {
  return (Array.isArray(t) ? t : String(t).split(',')).map((x) => String(x).trim());
}

/** The message of one Ajv error; never echoes the value that was sent (it may be personal data). */
export function messageOf(e: SchemaError): Message {
  const p = e.params;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const allowed = Object.keys(e.parentSchema?.properties ?? {}).sort();
      const list = allowed.length ? quoted(allowed) : '';
      return {
        en: `unknown property "${name}"${list ? `; allowed: ${list}` : '; no properties are allowed here'}`,
        vi: `thuộc tính "${name}" không được phép${list ? `; được phép: ${list}` : '; ở đây không được có thuộc tính nào'}`,
        allowed,
      };
    }
    case 'required':
      return { en: 'is required', vi: 'là bắt buộc' };
    case 'type': {
      const ts = types(p.type);
      return { en: `must be ${ts.map((t) => TYPE_EN[t] ?? t).join(' or ')}`, vi: `phải là ${ts.map((t) => TYPE_VI[t] ?? t).join(' hoặc ')}` };
    }
    case 'enum': {
      const allowed = ((p.allowedValues as unknown[]) ?? []).map(show);
      return { en: `must be one of ${quoted(allowed)}`, vi: `phải là một trong các giá trị ${quoted(allowed)}`, allowed };
    }
    case 'const': {
      const allowed = [show(p.allowedValue)];
      return { en: `must be "${allowed[0]}"`, vi: `phải là "${allowed[0]}"`, allowed };
    }
    case 'format': {
      const f = String(p.format);
      return { en: `must be ${FORMAT_EN[f] ?? `in the format ${f}`}`, vi: `phải là ${FORMAT_VI[f] ?? `dạng ${f}`}` };
    }
    case 'pattern':
      return { en: `does not have the required form (pattern ${String(p.pattern)})`, vi: `không đúng dạng quy định (mẫu ${String(p.pattern)})` };
    case 'minLength':
      return { en: `must be at least ${String(p.limit)} characters long`, vi: `phải có ít nhất ${String(p.limit)} ký tự` };
    case 'maxLength':
      return { en: `must be at most ${String(p.limit)} characters long`, vi: `chỉ được có tối đa ${String(p.limit)} ký tự` };
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const op = String(p.comparison);
      const vi = { '>=': 'phải lớn hơn hoặc bằng', '>': 'phải lớn hơn', '<=': 'phải nhỏ hơn hoặc bằng', '<': 'phải nhỏ hơn' }[op] ?? `phải ${op}`;
      return { en: `must be ${op} ${String(p.limit)}`, vi: `${vi} ${String(p.limit)}` };
    }
    case 'minItems':
      return { en: `must have at least ${String(p.limit)} items`, vi: `phải có ít nhất ${String(p.limit)} phần tử` };
    case 'maxItems':
      return { en: `must have at most ${String(p.limit)} items`, vi: `chỉ được có tối đa ${String(p.limit)} phần tử` };
    case 'uniqueItems':
      return { en: 'must not contain the same item twice', vi: 'không được có phần tử trùng nhau' };
    case 'minProperties':
      return { en: `must have at least ${String(p.limit)} properties`, vi: `phải có ít nhất ${String(p.limit)} thuộc tính` };
    case 'maxProperties':
      return { en: `must have at most ${String(p.limit)} properties`, vi: `chỉ được có tối đa ${String(p.limit)} thuộc tính` };
    case 'anyOf':
    case 'oneOf':
      return { en: 'does not match any of the allowed forms', vi: 'không khớp với dạng nào được phép' };
    default:
      return { en: e.message ?? e.keyword, vi: `không hợp lệ (${e.keyword})` };
  }
}

/** body.a.b[2] style path; `required` and `additionalProperties` point at the property itself. */
function fieldOf(e: SchemaError, context: string): string {
  const parts = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = context;
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  if (e.keyword === 'required') path += `.${String(e.params.missingProperty)}`;
  if (e.keyword === 'additionalProperties') path += `.${String(e.params.additionalProperty)}`;
  return path;
}

/**
 * Keeps, for every union that failed, only the errors of its closest branch (recursively, so a
 * union inside a union is narrowed too). A branch whose discriminator (a `const`, i.e. a literal,
 * on a property of the object) failed is out of the running when another branch's did not.
 */
export function narrowUnions(errors: SchemaError[]): SchemaError[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (unions.length === 0) return errors;
  // Outermost union first: its schemaPath is the shortest.
  const union = unions.reduce((a, b) => (b.schemaPath.length < a.schemaPath.length ? b : a));
  const prefix = union.schemaPath + '/';
  const branches = new Map<number, SchemaError[]>();
  const outside: SchemaError[] = [];
  for (const e of errors) {
    if (e === union) continue;
    const m = e.schemaPath.startsWith(prefix) ? /^(\d+)\//.exec(e.schemaPath.slice(prefix.length)) : null;
    if (!m) {
      outside.push(e);
      continue;
    }
    const i = Number(m[1]);
    branches.set(i, [...(branches.get(i) ?? []), e]);
  }
  if (branches.size === 0) return [...outside, union];
  const all = [...branches.entries()].sort((a, b) => a[0] - b[0]);
  // A union of plain values ("male" | "female", string | null): one complaint listing them all.
  const here = all.flatMap(([, es]) => es);
  if (here.every((e) => e.instancePath === union.instancePath && ['const', 'enum', 'type'].includes(e.keyword))) {
    const values = here.flatMap((e) => (e.keyword === 'const' ? [e.params.allowedValue] : e.keyword === 'enum' ? ((e.params.allowedValues as unknown[]) ?? []) : []));
    const typeNames = [...new Set(here.flatMap((e) => (e.keyword === 'type' ? types(e.params.type) : [])))];
    const merged: SchemaError[] = [];
    if (values.length) merged.push({ ...union, keyword: 'enum', params: { allowedValues: [...new Set(values)] } });
    if (typeNames.length && !values.length) merged.push({ ...union, keyword: 'type', params: { type: typeNames } });
    if (typeNames.length && values.length) merged[0] = { ...union, keyword: 'enum', params: { allowedValues: [...new Set(values), ...typeNames.map((t) => `(${t})`)] } };
    return narrowUnions([...outside, ...merged]);
  }
  const depth = (path: string) => (path === '' ? 0 : path.split('/').length - 1);
  const discriminatorFailed = (es: SchemaError[]) =>
    es.some((e) => e.keyword === 'const' && e.instancePath.startsWith(union.instancePath + '/') && depth(e.instancePath) === depth(union.instancePath) + 1);
  const matching = all.filter(([, es]) => !discriminatorFailed(es));
  if (matching.length === 0) {
    // No branch's discriminator matched: say which values it may take, once per property.
    const seen = new Map<string, SchemaError>();
    for (const [, es] of all) {
      for (const e of es) {
        if (!discriminatorFailed([e])) continue;
        const values = [e.params.allowedValue];
        const prev = seen.get(e.instancePath);
        const merged = [...new Set([...((prev?.params.allowedValues as unknown[]) ?? []), ...values])];
        seen.set(e.instancePath, { ...e, keyword: 'enum', params: { allowedValues: merged } });
      }
    }
    return narrowUnions([...outside, ...seen.values()]);
  }
  const best = matching.reduce((a, b) => (b[1].length < a[1].length ? b : a));
  return narrowUnions([...outside, ...best[1]]);
}

/** The problem fields of a failed schema validation, one per distinct complaint. */
export function validationFields(errors: readonly SchemaError[], context = 'body'): ProblemField[] {
  const out: ProblemField[] = [];
  const seen = new Set<string>();
  for (const e of narrowUnions([...errors])) {
    const m = messageOf(e);
    const field = fieldOf(e, context);
    const code = `SCHEMA_${e.keyword.toUpperCase()}`;
    const key = `${field}\u0000${code}\u0000${m.en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, code, message: `${field}: ${m.en}`, messages: { en: `${field}: ${m.en}`, vi: `${field}: ${m.vi}` }, ...(m.allowed ? { allowed: m.allowed } : {}) });
  }
  return out;
}
