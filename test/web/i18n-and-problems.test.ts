/** Dictionaries, problem texts and the decoding of problem+json (web/src/i18n, web/src/api/problem). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defineMessages, initialLang, interpolate, mergeMessages, problemText, translate } from '../../web/src/i18n/messages.js';
import { decodeProblem, networkProblem, ApiError } from '../../web/src/api/problem.js';
import { common } from '../../web/src/i18n/common.js';
import { publicMessages } from '../../web/src/i18n/public.js';
import { signInMessages } from '../../web/src/pages/staff/messages.js';
import { citizenMessages } from '../../web/src/pages/citizen/messages.js';
import { officer } from '../../web/src/pages/officer/messages.js';
import { PROBLEM_TEXTS } from '../../web/src/i18n/problems.js';

describe('translate', () => {
  const m = defineMessages({ hello: 'Xin chào {name}', blank: 'Có' }, { hello: 'Hello {name}', blank: '' });
  it('picks the language, falls back to Vietnamese, then to the key', () => {
    assert.equal(translate(m, 'vi', 'hello', { name: 'An' }), 'Xin chào An');
    assert.equal(translate(m, 'en', 'hello', { name: 'An' }), 'Hello An');
    assert.equal(translate(m, 'en', 'blank'), 'Có');
    const broken = { vi: { x: '' }, en: { x: '' } };
    assert.equal(translate(broken, 'en', 'x'), 'x');
  });
  it('interpolates known placeholders only', () => {
    assert.equal(interpolate('{a} và {b}', { a: 1 }), '1 và {b}');
    assert.equal(interpolate('{toString}', {}), '{toString}');
    fc.assert(fc.property(fc.string(), (v) => assert.equal(interpolate('<{v}>', { v }), `<${v}>`)));
  });
  it('starts in Vietnamese unless English was remembered', () => {
    assert.equal(initialLang(null), 'vi');
    assert.equal(initialLang('en'), 'en');
    assert.equal(initialLang('vi'), 'vi');
    assert.equal(initialLang('fr'), 'vi');
  });
  it('has every string in both languages, none empty', () => {
    for (const dict of [common, publicMessages, signInMessages, citizenMessages, officer]) {
      assert.deepEqual(Object.keys(dict.en).sort(), Object.keys(dict.vi).sort());
      for (const lang of ['vi', 'en'] as const) for (const [k, v] of Object.entries(dict[lang])) assert.ok(v.trim().length > 0, `${lang}:${k}`);
    }
  });
});

describe('mergeMessages', () => {
  it('makes one dictionary of an area\'s parts, each text in its language', () => {
    const m = mergeMessages(defineMessages({ 'a.x': 'Một' }, { 'a.x': 'One' }), defineMessages({ 'b.y': 'Hai {n}' }, { 'b.y': 'Two {n}' }));
    assert.deepEqual(m, { vi: { 'a.x': 'Một', 'b.y': 'Hai {n}' }, en: { 'a.x': 'One', 'b.y': 'Two {n}' } });
    assert.equal(translate(m, 'en', 'b.y', { n: 2 }), 'Two 2');
  });
  it('refuses a key two parts define', () => {
    assert.throws(() => mergeMessages(defineMessages({ k: 'Một' }, { k: 'One' }), defineMessages({ k: 'Khác' }, { k: 'Other' })), /k is defined twice/);
  });
});

describe('problems', () => {
  const body = { type: 'https://dancu.dev/problems/invalid-date', title: 'A date is not a real calendar date.', status: 400, code: 'INVALID_DATE', messages: { vi: 'Ngày tháng không hợp lệ.', en: 'A date is not a real calendar date.' }, errors: [{ field: '/dateOfBirth', code: 'INVALID_DATE', message: 'bad' }, { nonsense: true }] };
  it('decodes the server\'s problem+json', () => {
    const p = decodeProblem(400, body);
    assert.equal(p.code, 'INVALID_DATE');
    assert.equal(p.status, 400);
    assert.deepEqual(p.errors, [{ field: '/dateOfBirth', code: 'INVALID_DATE', message: 'bad' }]);
    assert.equal(problemText(p, 'vi', PROBLEM_TEXTS), 'Ngày tháng không hợp lệ.');
    assert.equal(problemText(p, 'en', PROBLEM_TEXTS), 'A date is not a real calendar date.');
  });
  it('prefers the portal\'s own words, then the server\'s message, then its title', () => {
    const p = decodeProblem(401, { code: 'UNAUTHENTICATED', title: 'Sign in', messages: { vi: 'x', en: 'y' } });
    assert.equal(problemText(p, 'vi', PROBLEM_TEXTS), PROBLEM_TEXTS.UNAUTHENTICATED!.vi);
    const untitled = decodeProblem(409, { code: 'SOMETHING_NEW', title: 'Something new' });
    assert.equal(problemText(untitled, 'vi', PROBLEM_TEXTS), 'Something new');
    assert.equal(problemText(decodeProblem(409, { code: 'SOMETHING_NEW' }), 'en', PROBLEM_TEXTS), 'SOMETHING_NEW');
  });
  it('turns anything that is no problem into a client code, never throws', () => {
    assert.equal(decodeProblem(502, '<html>').code, 'SERVER_ERROR');
    assert.equal(decodeProblem(400, null).code, 'BAD_RESPONSE');
    assert.equal(decodeProblem(400, { code: '' }).code, 'BAD_RESPONSE');
    assert.equal(networkProblem().code, 'NETWORK_ERROR');
    assert.equal(new ApiError(networkProblem()).code, 'NETWORK_ERROR');
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), fc.anything(), (status, anything) => {
        const p = decodeProblem(status, anything);
        assert.equal(typeof p.code, 'string');
        assert.ok(p.code.length > 0);
        assert.ok(Array.isArray(p.errors));
        assert.ok(problemText(p, 'vi', PROBLEM_TEXTS).length > 0);
      }),
    );
  });
});
