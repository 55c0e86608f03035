/**
 * The SMS gateway against the test SMSC — a real SMPP peer over TCP on the `smpp` package's server
 * side — with handsets bound to it: outgoing messages from the durable outbox arrive reassembled, receipts
 * mark them delivered, incoming messages are stored once and handed to the handler once.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, TEST_STORE, type TestRuntime } from '../support/store.js';
import { startTestSmsc, type TestSmsc } from '../../src/channels/sms/test-smsc.js';
import { connectHandset, type Handset } from '../../src/channels/sms/test-handset.js';
import { startSmsGateway, type SmsGateway } from '../../src/channels/sms/gateway.js';
import { parseSmppUrls } from '../../src/channels/sms/smpp-url.js';
import { enqueueSms } from '../../src/services/sms/outbox.js';
import { markSmsAnswered, type IncomingSms } from '../../src/services/sms/inbox.js';
import { findOutboxByKey, outboxCounts } from '../../src/store/repositories/sms-outbox.js';

const FAST = { pollMs: 20, retryBaseMs: 50, retryMaxMs: 200, throttleBaseMs: 100, throttleMaxMs: 400, rehandAfterMs: 300, timings: { backoffBaseMs: 50, backoffMaxMs: 200, responseTimeoutMs: 2000 } };
const VN_LONG =
  'Họ và tên: NGUYỄN THỊ ĐÀO; ngày sinh: 01/02/1990; số định danh cá nhân: 001190012345; CMND cũ: 012345678; ' +
  'thường trú: Số 1 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội; tạm trú: không; thẻ căn cước: còn hạn đến 01/02/2030.';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`SMS gateway over SMPP (${TEST_STORE})`, () => {
  let rt: TestRuntime;
  let smsc: TestSmsc;
  let gateway: SmsGateway | undefined;
  const handsets: Handset[] = [];
  let n = 0;
  const number = () => `+8491${String(10_000_000 + ++n).slice(1)}`;
  const handset = async (e164: string) => {
    const h = await connectHandset(smsc.url, e164);
    handsets.push(h);
    return h;
  };

  before(async () => {
    rt = await openTestRuntime();
    smsc = await startTestSmsc({ systemId: 'dancu', password: 'secret' });
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    for (const h of handsets.splice(0)) await h.close();
  });
  after(async () => {
    await smsc?.close();
    await rt?.dropDatabase();
  });

  it('a long Vietnamese message reaches the handset reassembled exactly, as UCS-2 parts; its receipts mark it delivered', async () => {
    const to = number();
    const h = await handset(to);
    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST });
    const before = smsc.submitted.length;
    const { message, created } = await rt.store.transaction((tx) => enqueueSms(tx, { to, text: VN_LONG, key: `t1:${TEST_STORE}`, kind: 'notice' }));
    assert.equal(created, true);
    assert.equal(message.alphabet, 'ucs2');
    assert.equal(message.parts, Math.ceil([...VN_LONG].length / 67));
    const got = await h.nextMessage(8000);
    assert.equal(got.text, VN_LONG);
    assert.equal(got.parts, message.parts);
    const parts = smsc.submitted.slice(before);
    assert.equal(parts.length, message.parts);
    assert.ok(parts.every((p) => p.dataCoding === 8 && (p.esmClass & 0x40) === 0x40 && p.registeredDelivery === 1 && p.to === to.slice(1)));
    await until(async () => (await findOutboxByKey(rt.store.db, `t1:${TEST_STORE}`))?.state === 'delivered', 8000, 'delivered');
    const row = (await findOutboxByKey(rt.store.db, `t1:${TEST_STORE}`))!;
    assert.equal(row.attempts, 1);
    assert.ok(row.submittedAt && row.doneAt);
  });

  it('an unaccented text asked for as GSM-7 goes as GSM-7 (escapes included) and reads back exactly', async () => {
    const to = number();
    const h = await handset(to);
    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST });
    const text = 'Ho ten: NGUYEN THI DAO [001190012345] {the: con han} ~ 100€ | ' + 'x'.repeat(120);
    const before = smsc.submitted.length;
    const { message } = await enqueueSms(rt.store.db, { to, text, alphabet: 'gsm7', key: `t2:${TEST_STORE}`, kind: 'sms-reply' });
    assert.equal(message.alphabet, 'gsm7');
    assert.equal(message.parts, 2);
    assert.equal((await h.nextMessage(8000)).text, text);
    assert.ok(smsc.submitted.slice(before).every((p) => p.dataCoding === 0));
  });

  it('a second enqueue with the same key returns the first message and sends nothing more', async () => {
    const to = number();
    const h = await handset(to);
    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST });
    const first = await enqueueSms(rt.store.db, { to, text: 'Mã xác thực: 123456', key: `otp:${TEST_STORE}`, kind: 'otp' });
    const second = await rt.store.transaction((tx) => enqueueSms(tx, { to, text: 'Mã xác thực: 999999', key: `otp:${TEST_STORE}`, kind: 'otp' }));
    assert.equal(second.created, false);
    assert.equal(second.message.messageId, first.message.messageId);
    assert.equal((await h.nextMessage(5000)).text, 'Mã xác thực: 123456');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(h.received.length, 1);
  });

  it('an enqueue rolled back with its transaction sends nothing', async () => {
    const to = number();
    const h = await handset(to);
    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST });
    await assert.rejects(
      rt.store.transaction(async (tx) => {
        await enqueueSms(tx, { to, text: 'rolled back', key: `rb:${TEST_STORE}`, kind: 'notice' });
        throw new Error('caller fails');
      }),
      /caller fails/,
    );
    assert.equal(await findOutboxByKey(rt.store.db, `rb:${TEST_STORE}`), undefined);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(h.received.length, 0);
  });

  it('a multipart incoming message reaches the handler once, reassembled, even when the SMSC redelivers it', async () => {
    const from = number();
    const h = await handset(from);
    const seen: IncomingSms[] = [];
    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST });
    gateway.onIncomingSms(async (m) => {
      seen.push(m);
      await rt.store.transaction(async (tx) => {
        assert.equal(await markSmsAnswered(tx, m.id), true);
        await enqueueSms(tx, { to: m.from, text: `Đã nhận: ${m.text.length} ký tự`, key: `sms-reply:${m.id}`, kind: 'sms-reply' });
      });
    });
    await gateway.whenBound();
    // The ESME's responses to the first two deliver_sm are "lost": the SMSC drops the link and redelivers.
    smsc.loseNextMoResponses(2);
    const ackedBefore = smsc.moAcknowledged;
    const question = 'Tra cứu thông tin cư trú của tôi: ' + 'Thường trú và tạm trú hiện tại. '.repeat(4);
    await h.send(question, { alphabet: 'ucs2' });
    const reply = await h.nextMessage(10_000);
    assert.equal(reply.text, `Đã nhận: ${question.length} ký tự`);
    await until(() => smsc.moAcknowledged - ackedBefore >= 3, 8000, 'all parts acknowledged');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(seen.length, 1, 'handed once');
    assert.equal(seen[0]!.text, question);
    assert.equal(seen[0]!.from, from);
    assert.equal(seen[0]!.to, '8088');
    assert.equal(h.received.length, 1, 'answered once');
  });

  it('a stored message the handler failed on is handed again until answered', async () => {
    const from = number();
    const h = await handset(from);
    let calls = 0;
    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST });
    gateway.onIncomingSms(async (m) => {
      calls++;
      if (calls === 1) throw new Error('handler down');
      await rt.store.transaction(async (tx) => {
        if (!(await markSmsAnswered(tx, m.id))) return;
        await enqueueSms(tx, { to: m.from, text: 'OK', key: `sms-reply:${m.id}`, kind: 'sms-reply' });
      });
    });
    await gateway.whenBound();
    await h.send('HELP');
    assert.equal((await h.nextMessage(8000)).text, 'OK');
    assert.equal(calls, 2);
  });

  it('a contracted rate (maxPerSecond) spaces the submits on the link', async () => {
    const to = number();
    const h = await handset(to);
    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST, maxPerSecond: 20 });
    await gateway.whenBound();
    const before = smsc.submitted.length;
    await rt.store.transaction(async (tx) => {
      for (let i = 0; i < 6; i++) await enqueueSms(tx, { to, text: `Nhịp ${i}`, key: `rate:${TEST_STORE}:${i}`, kind: 'notice' });
    });
    await until(() => h.received.length === 6, 8000, 'all six');
    const at = smsc.submitted.slice(before).map((p) => p.at);
    assert.equal(at.length, 6);
    // 20 per second: the six submits span five slots of 50 ms at least (measured at the SMSC, where one
    // arrival may lag its slot, so the span rather than each gap).
    assert.ok(at[5]! - at[0]! >= 240, `span ${at[5]! - at[0]!} ms`);
  });

  it('receipts written before their submit_sm_resp still mark the messages delivered', async () => {
    const early = await startTestSmsc({ systemId: 'dancu', password: 'secret', acceptUnrouted: true, receiptBeforeResponse: true });
    try {
      gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(early.url), log: () => undefined, ...FAST });
      await rt.store.transaction(async (tx) => {
        for (let i = 0; i < 30; i++) await enqueueSms(tx, { to: `+8493${String(1000000 + i)}`, text: `Sớm ${i}`, key: `early:${TEST_STORE}:${i}`, kind: 'notice' });
      });
      await until(async () => {
        for (let i = 0; i < 30; i++) if ((await findOutboxByKey(rt.store.db, `early:${TEST_STORE}:${i}`))?.state !== 'delivered') return false;
        return true;
      }, 10_000, 'all delivered');
    } finally {
      await gateway?.close();
      gateway = undefined;
      await early.close();
    }
  });

  it('counts by state for status and metrics', async () => {
    const counts = await outboxCounts(rt.store.db);
    assert.ok(counts.delivered >= 33);
    assert.equal(counts.failed, 0);
  });
});
