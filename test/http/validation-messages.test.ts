/**
 * Schema-validation errors name the property, say what was wrong and what is allowed, in Vietnamese
 * and English (http/validation-errors.ts) — for several kinds of wrong body, over real HTTP.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';

interface Field {
  field: string;
  code: string;
  message: string;
  messages?: { vi: string; en: string };
  allowed?: string[];
}

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => s.close());

async function rejected(method: string, path: string, body: unknown): Promise<Field[]> {
  const r = await s.call(method, path, { token: s.tokens.officer, body });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.code, 'VALIDATION_FAILED');
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const errors = r.body.errors as Field[];
  for (const e of errors) {
    assert.ok(e.messages, `both languages: ${JSON.stringify(e)}`);
    assert.ok(e.messages.vi.startsWith(`${e.field}: `) && e.messages.en.startsWith(`${e.field}: `), JSON.stringify(e));
    assert.notEqual(e.messages.vi, e.messages.en, 'Vietnamese is not the English text');
  }
  return errors;
}

const one = (errors: Field[], field: string) => {
  const found = errors.filter((e) => e.field === field);
  assert.equal(found.length, 1, `${field} in ${JSON.stringify(errors)}`);
  return found[0] as Field;
};

describe('schema-validation messages', () => {
  test('an unknown property is named, with the properties allowed beside it', async () => {
    const errors = await rejected('POST', '/citizens', { ...birthBody({ nickname: 'Bé' }), note: 1 });
    const nick = one(errors, 'body.citizen.nickname');
    assert.equal(nick.code, 'SCHEMA_ADDITIONALPROPERTIES');
    assert.match(nick.messages!.en, /unknown property "nickname"; allowed: .*"fullName"/);
    assert.match(nick.messages!.vi, /thuộc tính "nickname" không được phép; được phép: .*"fullName"/);
    assert.ok(nick.allowed!.includes('dateOfBirth') && nick.allowed!.includes('sex') && !nick.allowed!.includes('nickname'));
    const note = one(errors, 'body.note');
    assert.deepEqual(note.allowed, ['citizen', 'legalBasis', 'reason', 'source']);
    assert.equal(errors.length, 2, 'each unknown property once, nothing else');
  });

  test('a wrong type says which type, in both languages, without echoing the value', async () => {
    const errors = await rejected('POST', '/citizens', birthBody({ fullName: true, dateOfBirth: 19900512 }));
    const name = one(errors, 'body.citizen.fullName');
    assert.equal(name.code, 'SCHEMA_TYPE');
    assert.equal(name.messages!.en, 'body.citizen.fullName: must be a string');
    assert.equal(name.messages!.vi, 'body.citizen.fullName: phải là chuỗi ký tự');
    const dob = errors.find((e) => e.field === 'body.citizen.dateOfBirth');
    assert.ok(dob, JSON.stringify(errors));
    assert.ok(!JSON.stringify(errors).includes('19900512'));
  });

  test('a value outside a list names the allowed values', async () => {
    const errors = await rejected('POST', '/citizens', birthBody({ sex: 'x' }));
    const sex = one(errors, 'body.citizen.sex');
    assert.deepEqual([...sex.allowed!].sort(), ['female', 'male']);
    assert.match(sex.messages!.en, /must be one of "(male|female)", "(male|female)"$/);
    assert.match(sex.messages!.vi, /phải là một trong các giá trị "(male|female)", "(male|female)"$/);
  });

  test('a missing property is named', async () => {
    const body = birthBody();
    delete body.citizen.fullName;
    const errors = await rejected('POST', '/citizens', body);
    const missing = one(errors, 'body.citizen.fullName');
    assert.equal(missing.code, 'SCHEMA_REQUIRED');
    assert.equal(missing.messages!.en, 'body.citizen.fullName: is required');
    assert.equal(missing.messages!.vi, 'body.citizen.fullName: là bắt buộc');
  });

  test('a union is reported through the branch the body chose, not every branch', async () => {
    // adjustment is change_head | change_relationship | identity_data | rename_address.
    const base = { householdId: 'HS00001ABCDEFGH', consents: [], channel: 'counter' };
    const chose = await rejected('POST', '/residence/adjustments', { ...base, adjustment: { kind: 'change_relationship', personalId: '001190012345', relationship: 'child', colour: 'red' } });
    const adjustment = chose.filter((e) => e.field.startsWith('body.adjustment'));
    assert.deepEqual(adjustment.map((e) => e.field), ['body.adjustment.colour'], JSON.stringify(chose));
    assert.deepEqual(adjustment[0]!.allowed, ['kind', 'personalId', 'relationship']);
    // No branch chosen: the discriminator's allowed values.
    const none = await rejected('POST', '/residence/adjustments', { ...base, adjustment: { kind: 'move_house' } });
    const kind = one(none, 'body.adjustment.kind');
    assert.deepEqual([...kind.allowed!].sort(), ['change_head', 'change_relationship', 'identity_data', 'rename_address']);
  });

  test('domain checks carry both languages too', async () => {
    const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ dateOfBirth: '2023-02-29' }) });
    assert.equal(r.status, 400);
    const e = (r.body.errors as Field[])[0] as Field;
    assert.equal(e.code, 'INVALID_DATE');
    assert.ok(e.messages && e.messages.vi.length > 0 && e.messages.vi !== e.messages.en, JSON.stringify(e));
  });

  test('any unknown property name is named back in both languages (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,15}$/).filter((k) => !['fullName', 'dateOfBirth', 'sex', 'ethnicity', 'nationality', 'birthRegistrationPlace'].includes(k) && !(k in birthBody().citizen) && !['constructor', '__proto__', 'toString'].includes(k)), async (key) => {
        const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ [key]: 'x' }) });
        if (r.status !== 400) return false;
        const e = (r.body.errors as Field[]).find((f) => f.field === `body.citizen.${key}`);
        return !!e && e.messages!.en.includes(`"${key}"`) && e.messages!.vi.includes(`"${key}"`);
      }),
      { numRuns: 25 },
    );
  });
});
