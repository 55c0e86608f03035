/**
 * A citizen's text as the SMS service receives it (stored in the inbox, then answered), without an
 * SMSC: the texts of the consent answers in the HTTP tests. Resolves with the outcome and the reply
 * queued in the outbox.
 */
import assert from 'node:assert/strict';
import type { TestServer } from './http.js';
import { answerSms } from '../../src/services/sms/citizen-sms.js';
import { receiveSmsPart } from '../../src/services/sms/inbox.js';

export function smsTexter(s: () => TestServer, firstRef: number) {
  let ref = firstRef;
  return async (from: string, body: string) => {
    const { runtime, clock } = s();
    const stored = await receiveSmsPart(runtime.ctx.store, { smsc: 'test', source: from.slice(1), sourceTon: 1, destination: '8088', esmClass: 0, dataCoding: 0, shortMessage: Buffer.from(body), userMessageReference: ref++ }, { clock });
    assert.ok(stored);
    const outcome = await answerSms(runtime.ctx, runtime.catalogue, stored);
    const reply = await runtime.store.db.selectFrom('sms_outbox').select('body').where('msg_key', '=', `sms-reply:${stored.id}`).executeTakeFirst();
    return { outcome, reply: reply?.body };
  };
}
