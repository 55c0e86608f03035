/**
 * A one-time code's text is not kept in the outbox once the message is done (decision 0038, review 1
 * item 5): sent, failed or expired, an 'otp' row's body is blanked; other kinds keep theirs.
 * Repository calls on a real store, SQLite and PostgreSQL (no SMSC needed for these state changes).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, TEST_STORE, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { enqueueSms } from '../../src/services/sms/outbox.js';
import { claimDueMessages, expireOverdue, findOutboxByKey, markExpired, markFailed, markSubmitted } from '../../src/store/repositories/sms-outbox.js';

const clock = fixedClock('2026-06-01T08:00:00.000Z');

describe(`SMS outbox: one-time codes are not kept (${TEST_STORE})`, () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await openTestRuntime(clock);
  });
  after(async () => rt?.dropDatabase());

  const body = async (key: string) => (await findOutboxByKey(rt.store.db, key))!.text;
  const claim = async (owner: string) => {
    const now = clock.now().toISOString();
    return claimDueMessages(rt.store.db, owner, now, new Date(clock.now().getTime() + 60_000).toISOString(), 100);
  };
  const idOf = async (key: string) => (await findOutboxByKey(rt.store.db, key))!.messageId;

  it('sent (submitted), failed, expired while claimed: the otp body is blank, a notice keeps its text', async () => {
    for (const k of ['sent', 'failed', 'claimed-expired']) {
      await enqueueSms(rt.store.db, { to: '+84912000001', text: `dancu: ma dang nhap 12345${k.length % 10}`, key: `otp-${k}`, kind: 'otp' }, clock);
      await enqueueSms(rt.store.db, { to: '+84912000002', text: `Thong bao ${k}`, key: `notice-${k}`, kind: 'notice' }, clock);
    }
    const claimed = await claim('gw-a');
    assert.equal(claimed.length, 6);
    const at = clock.now().toISOString();
    for (const kind of ['otp', 'notice']) {
      assert.equal(await markSubmitted(rt.store.db, await idOf(`${kind}-sent`), 'gw-a', 'smsc:1', at), true);
      assert.equal(await markFailed(rt.store.db, await idOf(`${kind}-failed`), 'gw-a', 'refused', at), true);
      assert.equal(await markExpired(rt.store.db, await idOf(`${kind}-claimed-expired`), 'gw-a', at), true);
    }
    for (const k of ['sent', 'failed', 'claimed-expired']) {
      assert.equal(await body(`otp-${k}`), '', `otp ${k}`);
      assert.equal(await body(`notice-${k}`), `Thong bao ${k}`, `notice ${k}`);
    }
  });

  it('expired in the queue: blank; still queued: kept (the gateway must send it)', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60_000);
    await enqueueSms(rt.store.db, { to: '+84912000003', text: 'dancu: ma dang nhap 654321', key: 'otp-queue-expired', kind: 'otp', expiresAt }, clock);
    await enqueueSms(rt.store.db, { to: '+84912000004', text: 'Thong bao het han', key: 'notice-queue-expired', kind: 'notice', expiresAt }, clock);
    await enqueueSms(rt.store.db, { to: '+84912000005', text: 'dancu: ma dang nhap 111222', key: 'otp-queued', kind: 'otp', expiresAt: new Date(clock.now().getTime() + 600_000) }, clock);
    clock.advance(61_000);
    assert.equal(await expireOverdue(rt.store.db, clock.now().toISOString()), 2);
    assert.equal(await body('otp-queue-expired'), '');
    assert.equal(await body('notice-queue-expired'), 'Thong bao het han');
    assert.equal(await body('otp-queued'), 'dancu: ma dang nhap 111222');
  });
});
