/**
 * Faults that once escaped the ESME or the handset (issue 14 follow-up): SMPP credentials longer than
 * the bind PDU can carry (refused at start; an endpoint built otherwise fails its binds without ending
 * the process), a burst of long replies to one phone (every message reassembled exactly), and many
 * handsets and links without a listener leak. Real TCP against the test SMSC; real store.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { openTestRuntime, TEST_STORE, type TestRuntime } from '../support/store.js';
import { startTestSmsc, type TestSmsc } from '../../src/channels/sms/test-smsc.js';
import { connectHandset, type Handset } from '../../src/channels/sms/test-handset.js';
import { startSmsGateway, type GatewayOptions, type SmsGateway } from '../../src/channels/sms/gateway.js';
import { parseSmppUrl, parseSmppUrls } from '../../src/channels/sms/smpp-url.js';
import { loadConfig } from '../../src/config.js';
import { enqueueSms } from '../../src/services/sms/outbox.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const FAST: Partial<GatewayOptions> = { pollMs: 20, retryBaseMs: 50, retryMaxMs: 200, leaseMs: 5000, timings: { backoffBaseMs: 30, backoffMaxMs: 100, responseTimeoutMs: 5000 } };

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('DANCU_SMPP_URL: bind fields within SMPP 3.4 §4.1.1', () => {
  const ascii = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~'.split('')), minLength: min, maxLength: max });

  it('accepts system_id ≤ 15, password ≤ 8, system_type ≤ 12 characters, as given', () => {
    fc.assert(
      fc.property(ascii(1, 15), ascii(0, 8), ascii(0, 12), (id, pw, type) => {
        const e = parseSmppUrl(`smpp://${encodeURIComponent(id)}:${encodeURIComponent(pw)}@127.0.0.1:2775?system_type=${encodeURIComponent(type)}`);
        assert.deepEqual([e.systemId, e.password, e.systemType], [id, pw, type]);
      }),
    );
  });

  it('refuses a longer one, naming the variable and the field, never the value', () => {
    fc.assert(
      fc.property(fc.constantFrom('system_id', 'password', 'system_type'), fc.integer({ min: 1, max: 40 }), (field, extra) => {
        const long = `S3cr3t${'x'.repeat(20)}`.slice(0, { system_id: 15, password: 8, system_type: 12 }[field] + extra);
        const url = field === 'system_id' ? `smpp://${long}:pw@h:1` : field === 'password' ? `smpp://dancu:${long}@h:1` : `smpp://dancu:pw@h:1?system_type=${long}`;
        assert.throws(
          () => parseSmppUrls(`smpp://ok:pw@a:1,${url}`),
          (e: Error) => e.message.startsWith('DANCU_SMPP_URL:') && e.message.includes(`the ${field} `) && !e.message.includes(long),
        );
      }),
    );
    // Characters a C-Octet String in latin1 would silently change.
    assert.throws(() => parseSmppUrl('smpp://dancu:m%E1%BA%ADt@h:1'), /DANCU_SMPP_URL: the password must be printable ASCII/);
  });

  it('loadConfig refuses it, and `dancu serve` exits at start with the message (the password not in it)', () => {
    assert.throws(() => loadConfig({ DANCU_SMPP_URL: 'smpp://dancu:longpassword1@127.0.0.1:2775' }), /DANCU_SMPP_URL: the password is 13 characters long; SMPP 3.4 allows at most 8/);
    const dir = mkdtempSync(join(tmpdir(), 'dancu-smpp-url-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--no-demo', '--port', '0'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, DANCU_DATA_DIR: dir, DANCU_DATABASE_URL: `sqlite:${dir}/dancu.sqlite`, DANCU_SMPP_URL: 'smpp://dancu:longpassword1@127.0.0.1:2775' },
      });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /DANCU_SMPP_URL: the password is 13 characters long/);
      assert.ok(!r.stderr.includes('longpassword1'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`SMS ESME and handset faults (${TEST_STORE})`, () => {
  let rt: TestRuntime;
  const gateways: SmsGateway[] = [];
  const handsets: Handset[] = [];
  const smscs: TestSmsc[] = [];
  const escaped: unknown[] = [];
  const warnings: string[] = [];
  const onEscaped = (e: unknown) => escaped.push(e);
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);

  before(async () => {
    rt = await openTestRuntime();
    // Collected, not fatal, so that the test can say what escaped (without the fix: the encode error).
    process.on('uncaughtException', onEscaped);
    process.on('unhandledRejection', onEscaped);
    process.on('warning', onWarning);
  });
  afterEach(async () => {
    for (const g of gateways.splice(0)) await g.close();
    for (const h of handsets.splice(0)) await h.close();
    for (const s of smscs.splice(0)) await s.close();
  });
  after(async () => {
    process.off('uncaughtException', onEscaped);
    process.off('unhandledRejection', onEscaped);
    process.off('warning', onWarning);
    await rt?.dropDatabase();
  });

  it('an endpoint whose bind cannot be encoded: each bind counted as failed and retried; nothing escapes', async () => {
    const smsc = await startTestSmsc({ systemId: 'dancu', password: 'secret' });
    smscs.push(smsc);
    // Built by hand, past parseSmppUrl (which would refuse it): the password is 20 characters.
    const endpoint = { ...parseSmppUrl(smsc.url), password: 'p'.repeat(20) };
    const g = startSmsGateway({ store: rt.store, endpoints: [endpoint], log: () => undefined, ...FAST });
    gateways.push(g);
    await until(() => (g.links()[0]?.bindFailures ?? 0) >= 3, 10_000, () => `3 bind failures (${JSON.stringify(g.links())})`);
    const link = g.links()[0]!;
    assert.equal(link.bound, false);
    assert.match(link.lastError ?? '', /^bind not sent \(field too long\)$/);
    assert.deepEqual(escaped, [], 'no exception or rejection escaped');
    // The SMSC never saw a bind with these credentials (none could be written).
    assert.equal(smsc.bindAttempts.length, 0);
  });

  it('40 five-part replies in a burst to one handset: every one reassembled exactly', async () => {
    const smsc = await startTestSmsc({ systemId: 'dancu', password: 'secret' });
    smscs.push(smsc);
    const number = `+8490${TEST_STORE === 'sqlite' ? 1 : 2}234567`;
    const h = await connectHandset(smsc.url, number);
    handsets.push(h);
    const texts = Array.from({ length: 40 }, (_, i) => `Trả lời ${i} ${TEST_STORE}: ${`Cư trú thường trú số ${i}. `.repeat(12)}`.slice(0, 300));
    await rt.store.transaction(async (tx) => {
      for (const [i, text] of texts.entries()) {
        const r = await enqueueSms(tx, { to: number, text, key: `burst-${TEST_STORE}-${i}`, kind: 'sms-reply' });
        assert.equal(r.message.parts, 5);
      }
    });
    const g = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST });
    gateways.push(g);
    await until(() => h.received.length >= 40, 30_000, () => `40 messages (${h.received.length}; ${smsc.submitted.length} parts submitted)`);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(h.received.map((m) => m.text).sort(), [...texts].sort());
    assert.ok(h.received.every((m) => m.parts === 5));
    assert.deepEqual(escaped, []);
  });

  it('concatenation references go on in sequence across a restart of the process that queues', () => {
    const run = (key: string): number[] => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/sms-enqueue-child.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, DANCU_DATABASE_URL: rt.databaseUrl, DANCU_DATA_DIR: rt.dataDir, SMS_TO: '+84905550001', SMS_KEY: `${key}-${TEST_STORE}`, SMS_COUNT: '3' },
      });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
    };
    const first = run('restart-a');
    const second = run('restart-b');
    const all = [...first, ...second];
    assert.deepEqual(all, all.map((_, i) => (first[0]! + i) % 256), `one sequence across the restart: ${JSON.stringify(all)}`);
  });

  it('a phone\'s 8-bit message reference going round: the 257th "CN" is a new question, a redelivery is still one', async () => {
    const smsc = await startTestSmsc({ systemId: 'dancu', password: 'secret' });
    smscs.push(smsc);
    const handed: string[] = [];
    const g = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST, handler: (m) => void handed.push(m.id) });
    gateways.push(g);
    await g.whenBound();
    const h = await connectHandset(smsc.url, `+8490${TEST_STORE === 'sqlite' ? 5 : 6}550002`);
    handsets.push(h);
    for (let i = 0; i < 300; i++) await h.send('CN');
    await until(() => smsc.moAcknowledged >= 300, 20_000, () => `300 acknowledged (${smsc.moAcknowledged})`);
    await until(() => handed.length >= 300, 5_000, () => `300 handed (${handed.length}; before the fix: 256)`);
    // The SMSC loses our deliver_sm_resp and delivers the 301st again: stored and handed once.
    smsc.loseNextMoResponses(1);
    await h.send('CN');
    await until(() => smsc.moAcknowledged >= 301, 10_000, () => `301 acknowledged (${smsc.moAcknowledged})`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(handed.length, 301);
    assert.equal(new Set(handed).size, 301);
  });

  it('many handsets and many rebinds: no MaxListenersExceededWarning', async () => {
    const smsc = await startTestSmsc({ systemId: 'dancu', password: 'secret' });
    smscs.push(smsc);
    const g = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), log: () => undefined, ...FAST });
    gateways.push(g);
    await g.whenBound();
    for (let i = 0; i < 30; i++) handsets.push(await connectHandset(smsc.url, `+849${TEST_STORE === 'sqlite' ? 3 : 4}${String(1_000_000 + i).slice(1)}`));
    // Each handset texts many times: each MO message is delivered to the ESME session.
    await Promise.all(handsets.map((h) => h.send('HD')));
    await Promise.all(handsets.map((h) => h.send('HD')));
    await until(() => smsc.moAcknowledged >= 60, 20_000, () => `60 MO acknowledged (${smsc.moAcknowledged})`);
    for (let i = 0; i < 15; i++) await handsets[i % handsets.length]!.send(`HD ${i}`);
    await until(() => smsc.moAcknowledged >= 75, 20_000, () => `75 MO acknowledged (${smsc.moAcknowledged})`);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
  });
});
