/** /metrics reports the SMS channel from the store: binds per SMSC, queue depth, sent, delivered, failed, throttled. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { TEST_STORE } from '../support/store.js';
import { startTestSmsc, type TestSmsc } from '../../src/channels/sms/test-smsc.js';
import { connectHandset, type Handset } from '../../src/channels/sms/test-handset.js';
import { startSmsGateway, type SmsGateway } from '../../src/channels/sms/gateway.js';
import { parseSmppUrls } from '../../src/channels/sms/smpp-url.js';
import { enqueueSms } from '../../src/services/sms/outbox.js';
import { smsPrometheus, smsStatus } from '../../src/services/sms/status.js';

// The gateways run on real time (their backoffs must elapse); the server's clock is fixed.
const FAST = { pollMs: 20, retryBaseMs: 50, retryMaxMs: 200, throttleBaseMs: 50, throttleMaxMs: 100, log: () => undefined, timings: { backoffBaseMs: 50, backoffMaxMs: 100 } };

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The value of one Prometheus sample line (name with its labels), or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe(`SMS metrics (${TEST_STORE})`, () => {
  let s: TestServer;
  let smsc: TestSmsc;
  let good: SmsGateway;
  let bad: SmsGateway;
  let phone: Handset;
  before(async () => {
    s = await startTestServer();
    smsc = await startTestSmsc({ systemId: 'dancu', password: 'secret' });
    phone = await connectHandset(smsc.url, '+84912000111');
  });
  after(async () => {
    await good?.close();
    await bad?.close();
    await phone?.close();
    await smsc?.close();
    await s?.close();
  });

  it('binds up and down per SMSC, bind failures, queue depth, sent, delivered, throttled, received', async () => {
    const empty = await s.call('GET', '/metrics', { token: s.tokens.admin });
    assert.equal(empty.status, 200);
    assert.equal(sample(empty.body, 'dancu_sms_queue_depth'), 0);

    const name = `127.0.0.1:${smsc.port}`;
    good = startSmsGateway({ store: s.runtime.store, endpoints: parseSmppUrls(smsc.url), ...FAST });
    bad = startSmsGateway({ store: s.runtime.store, endpoints: parseSmppUrls(smsc.url.replace(':secret@', ':nope@')), ...FAST });
    await good.whenBound();
    await until(() => bad.links()[0]!.bindFailures >= 1);
    // Nothing sent yet: the messages wait in the queue (counted), then go.
    await good.close();
    await enqueueSms(s.runtime.store.db, { to: '+84912000111', text: 'Thông báo một', key: 'm1', kind: 'notice' }, s.clock);
    await enqueueSms(s.runtime.store.db, { to: '+84912000111', text: 'Thông báo hai', key: 'm2', kind: 'notice' }, s.clock);
    const waiting = (await s.call('GET', '/metrics', { token: s.tokens.admin })).body as string;
    assert.equal(sample(waiting, 'dancu_sms_queue_depth'), 2);
    assert.equal(sample(waiting, 'dancu_sms_messages{state="queued"}'), 2);

    smsc.throttleNext(1);
    good = startSmsGateway({ store: s.runtime.store, endpoints: parseSmppUrls(smsc.url), ...FAST });
    await until(() => phone.received.length === 2);
    await until(async () => (await smsStatus(s.runtime.store.db, s.clock)).outbox.delivered === 2);
    await phone.send('HELP');
    await until(async () => (await smsStatus(s.runtime.store.db, s.clock)).inbox.received === 1);

    const text = (await s.call('GET', '/metrics', { token: s.tokens.admin })).body as string;
    assert.equal(sample(text, `dancu_sms_binds{smsc="${name}"}`), 1, text);
    assert.equal(sample(text, `dancu_sms_links_down{smsc="${name}"}`), 1);
    assert.ok(sample(text, `dancu_sms_bind_failures_total{smsc="${name}"}`)! >= 1);
    assert.equal(sample(text, 'dancu_sms_queue_depth'), 0);
    assert.equal(sample(text, 'dancu_sms_sent_total'), 2);
    assert.equal(sample(text, 'dancu_sms_delivered_total'), 2);
    assert.equal(sample(text, 'dancu_sms_failed_total'), 0);
    assert.equal(sample(text, 'dancu_sms_throttled_total'), 1);
    assert.equal(sample(text, 'dancu_sms_received_total'), 1);
    assert.equal(sample(text, 'dancu_sms_unanswered'), 1);
    assert.match(text, /# TYPE dancu_exchange_calls_total counter|# TYPE dancu_sms_binds gauge/);
    // Only admins.
    assert.equal((await s.call('GET', '/metrics', { token: s.tokens.officer })).status, 403);
  });

  it('renders labels safely and no message text or number', async () => {
    const text = smsPrometheus(await smsStatus(s.runtime.store.db, s.clock));
    assert.doesNotMatch(text, /Thông báo|912000111/);
    assert.ok(text.endsWith('\n'));
  });
});
