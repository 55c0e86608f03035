/**
 * The inbox without the network: a single message redelivered within the window is stored once, after
 * it is a new one; parts by UDH or SAR TLVs in any order make one message; expired outbox rows are not sent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, TEST_STORE, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { receiveSmsPart, claimUnansweredSms, markSmsAnswered, type IncomingPart } from '../../src/services/sms/inbox.js';
import { encodeUcs2, splitSms } from '../../src/domain/sms/encoding.js';
import { enqueueSms } from '../../src/services/sms/outbox.js';
import { claimDueMessages, expireOverdue, findOutboxByKey } from '../../src/store/repositories/sms-outbox.js';

const clock = fixedClock('2026-06-01T08:00:00.000Z');
const part = (over: Partial<IncomingPart>): IncomingPart => ({ smsc: 'smsc:1', source: '84912345678', sourceTon: 1, destination: '8088', esmClass: 0, dataCoding: 0, shortMessage: Buffer.from('CN'), ...over });

describe(`SMS inbox (${TEST_STORE})`, () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await openTestRuntime(clock);
  });
  after(async () => rt?.dropDatabase());

  it('a single message: one row however often redelivered within the window; a new one after it or with another reference', async () => {
    const first = await receiveSmsPart(rt.store, part({ userMessageReference: 7 }), { clock });
    assert.ok(first);
    assert.deepEqual([first.from, first.to, first.text, first.smsc], ['+84912345678', '8088', 'CN', 'smsc:1']);
    clock.advance(5 * 60_000);
    assert.equal(await receiveSmsPart(rt.store, part({ userMessageReference: 7 }), { clock }), undefined, 'redelivery');
    const other = await receiveSmsPart(rt.store, part({ userMessageReference: 8 }), { clock });
    assert.ok(other, 'the same text with another reference is another message');
    clock.advance(61 * 60_000);
    const later = await receiveSmsPart(rt.store, part({ userMessageReference: 7 }), { clock });
    assert.ok(later, 'after the window the same key is a new message');
    assert.notEqual(later.id, first.id);
    assert.equal(await receiveSmsPart(rt.store, part({ userMessageReference: 7 }), { clock }), undefined);
  });

  it('a concatenated message by UDH, parts in any order and repeated: one message, whole', async () => {
    const text = 'Tra cứu hộ khẩu của tôi, cả chủ hộ và các thành viên trong hộ gia đình nữa nhé';
    const seg = splitSms(text, 'ucs2', 33);
    assert.equal(seg.parts.length, 2);
    const p = (i: number) => part({ source: '84987654321', esmClass: 0x40, dataCoding: 8, shortMessage: seg.parts[i]! });
    assert.equal(await receiveSmsPart(rt.store, p(1), { clock }), undefined);
    assert.equal(await receiveSmsPart(rt.store, p(1), { clock }), undefined);
    const whole = await receiveSmsPart(rt.store, p(0), { clock });
    assert.equal(whole?.text, text);
    assert.equal(await receiveSmsPart(rt.store, p(0), { clock }), undefined, 'a part again after the message is whole');
    assert.equal(await receiveSmsPart(rt.store, p(1), { clock }), undefined);
  });

  it('a concatenated message by SAR TLVs', async () => {
    const a = encodeUcs2('Thẻ căn cước ');
    const b = encodeUcs2('còn hạn?');
    const sar = (seq: number) => ({ ref: 0x1234, total: 2, seq });
    assert.equal(await receiveSmsPart(rt.store, part({ source: '84977777777', dataCoding: 8, shortMessage: b, sar: sar(2) }), { clock }), undefined);
    assert.equal((await receiveSmsPart(rt.store, part({ source: '84977777777', dataCoding: 8, shortMessage: a, sar: sar(1) }), { clock }))?.text, 'Thẻ căn cước còn hạn?');
  });

  it('unanswered messages are claimed for handing again once, until answered', async () => {
    const m = await receiveSmsPart(rt.store, part({ source: '84966666666', shortMessage: Buffer.from('NHA') }), { clock });
    assert.ok(m);
    assert.equal((await claimUnansweredSms(rt.store, { clock, retryAfterMs: 1000, limit: 100 })).some((x) => x.id === m.id), false, 'just handed');
    clock.advance(2000);
    const claimed = await claimUnansweredSms(rt.store, { clock, retryAfterMs: 1000, limit: 100 });
    assert.ok(claimed.some((x) => x.id === m.id));
    assert.equal((await claimUnansweredSms(rt.store, { clock, retryAfterMs: 1000, limit: 100 })).some((x) => x.id === m.id), false, 'claimed once');
    assert.equal(await markSmsAnswered(rt.store.db, m.id, clock), true);
    assert.equal(await markSmsAnswered(rt.store.db, m.id, clock), false);
    clock.advance(5000);
    assert.equal((await claimUnansweredSms(rt.store, { clock, retryAfterMs: 1000, limit: 100 })).some((x) => x.id === m.id), false);
  });

  it('an outbox message past its expiry is marked expired and never claimed', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60_000);
    await enqueueSms(rt.store.db, { to: '+84912345678', text: 'Mã 1234', key: 'exp-1', kind: 'otp', expiresAt }, clock);
    clock.advance(61_000);
    assert.equal(await expireOverdue(rt.store.db, clock.now().toISOString()), 1);
    const claimed = await claimDueMessages(rt.store.db, 'gw-test', clock.now().toISOString(), new Date(clock.now().getTime() + 1000).toISOString(), 10);
    assert.equal(claimed.some((c) => c.key === 'exp-1'), false);
    assert.equal((await findOutboxByKey(rt.store.db, 'exp-1'))?.state, 'expired');
    await assert.rejects(enqueueSms(rt.store.db, { to: '0912345678', text: 'x', key: 'bad', kind: 'notice' }), RangeError);
    await assert.rejects(enqueueSms(rt.store.db, { to: '+84912345678', text: 'ạ'.repeat(67 * 10 + 1), key: 'long', kind: 'notice' }), RangeError);
  });
});
