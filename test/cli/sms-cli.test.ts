/** dancu sms status | queue | send-test, run as real processes against the test store and a running gateway. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';
import { openRuntime, type Runtime } from '../../src/services/runtime.js';
import { startTestSmsc, type TestSmsc } from '../../src/channels/sms/test-smsc.js';
import { connectHandset, type Handset } from '../../src/channels/sms/test-handset.js';
import { startSmsGateway, type SmsGateway } from '../../src/channels/sms/gateway.js';
import { parseSmppUrls } from '../../src/channels/sms/smpp-url.js';
import { findOutboxMessage } from '../../src/store/repositories/sms-outbox.js';
import { listSmsLinks } from '../../src/store/repositories/sms-links.js';
import { runDancu, runDancuAsync } from '../support/cli.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let database: TestDatabase;
let dataDir: string;

const dancu = (args: string[]) => runDancu(args, { DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir });
// While a gateway runs in this process: its heartbeat must go on during the command.
const dancuAsync = (args: string[]) => runDancuAsync(args, { DANCU_DATABASE_URL: database.url, DANCU_DATA_DIR: dataDir });

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe(`dancu sms (${TEST_STORE})`, () => {
  let rt: Runtime;
  let smsc: TestSmsc;
  let gateway: SmsGateway | undefined;
  let phone: Handset;
  before(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'dancu-sms-cli-'));
    rt = await openRuntime({ databaseUrl: database.url, dataDir, pgPoolSize: 2 });
    smsc = await startTestSmsc({ systemId: 'dancu', password: 'secret' });
    phone = await connectHandset(smsc.url, '+84912345678');
  });
  after(async () => {
    await gateway?.close();
    await phone?.close();
    await smsc?.close();
    await rt?.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('--help on each', () => {
    for (const args of [['sms'], ['sms', 'status'], ['sms', 'queue'], ['sms', 'send-test']]) {
      const r = dancu([...args, '--help']);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /Usage: dancu sms/);
    }
  });

  test('send-test queues through the outbox; queue and status show it masked, without its text; a gateway sends it', async () => {
    assert.equal(dancu(['sms', 'send-test', '--to', '12345']).code, 2);
    const sent = dancu(['sms', 'send-test', '--to', '0912 345 678', '--text', 'Kiểm tra kênh SMS', '--json']);
    assert.equal(sent.code, 0, sent.stderr);
    const queued = JSON.parse(sent.stdout);
    assert.equal(queued.to, '*********678');
    assert.equal(queued.state, 'queued');
    assert.equal(queued.alphabet, 'ucs2');

    const list = dancu(['sms', 'queue', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const q = JSON.parse(list.stdout);
    assert.equal(q.byState.queued, 1);
    assert.deepEqual(q.messages.map((m: { messageId: string; to: string; kind: string }) => [m.messageId, m.to, m.kind]), [[queued.messageId, '*********678', 'notice']]);
    for (const out of [list.stdout, dancu(['sms', 'queue']).stdout, dancu(['sms', 'status']).stdout]) {
      assert.doesNotMatch(out, /Kiểm tra|912345678/, 'no text, no full number');
    }
    const idle = JSON.parse(dancu(['sms', 'status', '--json']).stdout);
    assert.deepEqual(idle.links, []);
    assert.equal(idle.queueDepth, 1);

    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url), pollMs: 20, log: () => undefined });
    assert.equal((await phone.nextMessage(10_000)).text, 'Kiểm tra kênh SMS');
    await until(async () => (await findOutboxMessage(rt.store.db, queued.messageId))?.state === 'delivered', 30_000);
    assert.deepEqual(JSON.parse((await dancuAsync(['sms', 'queue', '--state', 'delivered', '--json'])).stdout).messages.map((m: { messageId: string }) => m.messageId), [queued.messageId]);

    const status = JSON.parse((await dancuAsync(['sms', 'status', '--json'])).stdout);
    assert.equal(status.queueDepth, 0);
    assert.equal(status.outbox.delivered, 1);
    assert.deepEqual(status.links.map((l: { smsc: string; state: string; gateway: string }) => [l.smsc, l.state, l.gateway]), [[`127.0.0.1:${smsc.port}`, 'bound', gateway.id]]);
    const text = (await dancuAsync(['sms', 'status'])).stdout;
    assert.match(text, new RegExp(`127\\.0\\.0\\.1:${smsc.port}\\s+bound`));
    assert.match(text, /Queue depth: 0/);
    assert.equal((await dancuAsync(['sms', 'queue', '--state', 'nonsense'])).code, 1);
  });

  test('a refused bind shows in status with its error', async () => {
    const bad = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(smsc.url.replace(':secret@', ':wrong@')), pollMs: 20, log: () => undefined, timings: { backoffBaseMs: 50, backoffMaxMs: 100 } });
    try {
      await until(() => bad.links()[0]!.bindFailures >= 2);
      await until(async () => (await listSmsLinks(rt.store.db, new Date(Date.now() - 30_000).toISOString())).some((l) => l.gateway === bad.id && l.bindFailures >= 1), 30_000);
      const text = (await dancuAsync(['sms', 'status'])).stdout;
      assert.match(text, /down .*bind failures [1-9].*last error: bind refused \(status 0xe\)/);
    } finally {
      await bad.close();
    }
  });
});
