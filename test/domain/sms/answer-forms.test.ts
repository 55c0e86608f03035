/**
 * The published answer forms (help.ts ANSWER_FORMS, served at /sms/help) are the ones the consent
 * reply parser reads: every form, with a code in place of <mã>, in every spelling a phone may send.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ANSWER_FORMS, helpDocument } from '../../../src/domain/sms/help.js';
import { parseConsentReply } from '../../../src/domain/sms/consent-reply.js';
import { foldKey } from '../../../src/domain/text/normalize.js';

const CODE = fc.stringMatching(/^[2-9A-HJKMNP-Z]{8}$/);

test('each published answer form, filled with a code, is read as its answer', () => {
  fc.assert(
    fc.property(CODE, fc.boolean(), fc.boolean(), (code, lower, folded) => {
      for (const a of ANSWER_FORMS) {
        for (const form of a.forms) {
          let text = form.replace('<mã>', `${code.slice(0, 4)}-${code.slice(4)}`);
          if (folded) text = foldKey(text);
          if (lower) text = text.toLowerCase();
          assert.deepEqual(parseConsentReply(text), { answer: a.answer, code }, text);
        }
      }
    }),
  );
});

test('the help document publishes both answers, and a form without its code is no answer', () => {
  assert.deepEqual(
    helpDocument().answers.map((a) => a.answer),
    ['approve', 'refuse'],
  );
  for (const a of ANSWER_FORMS) for (const form of a.forms) assert.equal(parseConsentReply(form.replace('<mã>', '')), undefined, form);
});
