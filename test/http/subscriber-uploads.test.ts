/**
 * Uploads of subscriber files over real HTTP (decision 0039): a connection dropped mid-body is a
 * clean refusal (400 UPLOAD_INCOMPLETE in the access log, never a 500) and the same upload sent
 * again continues after the last committed batch; an upload that stalls is refused the same way and
 * its connection closed by the server, while a complete one leaves its connection open for the next
 * request; any refusal answered while the body is still arriving (401, 403, a hook's 429) closes the
 * connection, one answered after the whole body keeps it; a large import does not hold up other
 * requests — they are answered while it is still running.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { connect, Socket } from 'node:net';
import { startTestServer, type TestServer } from '../support/http.js';
import { admin, agencyBody, connectIn } from '../support/exchange.js';
import { seedPopulation } from '../../src/services/seed.js';
import { IMPORT_BATCH_LINES } from '../../src/services/subscribers/index.js';

const PURPOSE = 'TB-CAPNHAT';
let s: TestServer;
let people: string[];
let token: string;
/** An active connection of a bank, which is no telecom operator. */
let bank: string;

before(async () => {
  s = await startTestServer('2026-06-01T08:00:00.000Z');
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 13, count: 200 });
  people = (await s.runtime.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').execute()).map((r) => r.personal_id);
  token = await operatorToken(s);
  const grants = { grants: [{ service: 'importSubscriberLinks', fields: ['report'], purposes: [PURPOSE] }], ratePerMinute: 10_000 };
  bank = (await connectIn(s, agencyBody('UPLBANK'), grants, 'active')).token!;
});
after(async () => s?.close());

/** The catalogue published and the operator UPLTEL's connection active: its exchange token. */
async function operatorToken(server: TestServer): Promise<string> {
  await admin(server, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(server, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  const grants = { grants: [{ service: 'importSubscriberLinks', fields: ['report'], purposes: [PURPOSE] }], ratePerMinute: 10_000 };
  return (await connectIn(server, agencyBody('UPLTEL', { type: 'telecom_operator', name: 'Nhà mạng tải lên' }), grants, 'active')).token!;
}

/** `count` link lines from `from` on, each a number of its own (prefix keeps files apart). */
function lines(prefix: string, digit: string, from: number, count: number): string {
  let out = '';
  for (let i = from; i < from + count; i++) {
    out += `{"recordId":"${prefix}${i}","action":"link","number":"09${digit}${String(i).padStart(7, '0')}","personalId":"${people[i % people.length]}","confirmedAt":"2026-05-01T00:00:00Z"}\n`;
  }
  return out;
}

const marker = (requestId: string) =>
  s.runtime.store.db.selectFrom('subscriber_import').select(['lines_done', 'status']).where('operator_code', '=', 'UPLTEL').where('import_key', '=', `http:${requestId}`).executeTakeFirst();

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function headerBlock(requestId: string, contentLength: number, server = s, bearer = token): string {
  const { port } = new URL(server.baseUrl);
  return (
    `POST /exchange/services/importSubscriberLinks HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${bearer}\r\n` +
    `x-request-id: ${requestId}\r\nx-purpose: ${PURPOSE}\r\nx-officer-id: NV-0001\r\ncontent-type: application/x-ndjson\r\ncontent-length: ${contentLength}\r\n\r\n`
  );
}

test('an upload dropped mid-body: refused as UPLOAD_INCOMPLETE (no 500), committed batches kept; sent again it continues', { timeout: 300_000 }, async () => {
  const total = IMPORT_BATCH_LINES * 3;
  const body = lines('D', '1', 0, total);
  const sent = lines('D', '1', 0, IMPORT_BATCH_LINES * 2 + 2_000);
  const requestId = randomUUID();
  const { port } = new URL(s.baseUrl);
  // A raw socket: the request declares the whole body, sends part of it, and is then cut.
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write(headerBlock(requestId, Buffer.byteLength(body)));
  socket.write(sent);
  // Two batches committed: the server has read past them; the third is still open when the socket goes.
  await until('two batches', async () => ((await marker(requestId)) && Number((await marker(requestId))!.lines_done) >= IMPORT_BATCH_LINES * 2 ? true : undefined));
  socket.destroy();

  const entry = await until('the access entry', () =>
    s.runtime.store.db.selectFrom('access_entry').select(['outcome', 'error_code']).where('request_id', '=', requestId).where('action', '=', 'importSubscriberLinks').executeTakeFirst(),
  );
  assert.deepEqual(entry, { outcome: 'refused', error_code: 'UPLOAD_INCOMPLETE' });
  const m = (await marker(requestId))!;
  assert.deepEqual([Number(m.lines_done), m.status], [IMPORT_BATCH_LINES * 2, 'running']);
  const kept = await s.runtime.store.db.selectFrom('subscriber_record').select((eb) => eb.fn.countAll<number>().as('n')).where('operator_code', '=', 'UPLTEL').executeTakeFirstOrThrow();
  assert.equal(Number(kept.n), IMPORT_BATCH_LINES * 2, 'the open batch left nothing');

  // The same upload again, whole, under the same request ID: it continues after the committed lines.
  const res = await fetch(`${s.baseUrl}/exchange/services/importSubscriberLinks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId, 'x-purpose': PURPOSE, 'x-officer-id': 'NV-0001', 'content-type': 'application/x-ndjson' },
    body,
  });
  const report = (await res.json()) as { status: string; linesDone: number; applied: number; duplicates: number; rejected: number };
  assert.equal(res.status, 200, JSON.stringify(report));
  assert.deepEqual([report.status, report.linesDone, report.applied, report.duplicates, report.rejected], ['done', total, total, 0, 0]);
  const owners = await s.runtime.store.db.selectFrom('subscriber_number').select((eb) => eb.fn.countAll<number>().as('n')).where('operator_code', '=', 'UPLTEL').where('number', 'like', '+8491%').executeTakeFirstOrThrow();
  assert.equal(Number(owners.n), total);
});

test('an upload that stalls: 400 UPLOAD_INCOMPLETE after the silence limit, and the server closes its connection', { timeout: 120_000 }, async () => {
  // A server of its own: an input silent for DANCU_CPU_TIMEOUT_MS fails the import (decision 0049).
  const quiet = await startTestServer('2026-06-01T08:00:00.000Z', { cpu: { timeoutMs: 1_000 } });
  const socket = new Socket();
  try {
    const bearer = await operatorToken(quiet);
    const body = lines('S', '3', 0, 1_000);
    let received = '';
    let answeredAt = 0;
    socket.on('data', (d) => {
      received += d;
      answeredAt ||= Date.now();
    });
    socket.on('error', () => undefined);
    const ended = new Promise<number>((r) => socket.once('end', () => r(Date.now())));
    socket.connect(Number(new URL(quiet.baseUrl).port), '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    // The whole body declared, a part of it sent, then nothing more (the socket stays open).
    socket.write(headerBlock(randomUUID(), Buffer.byteLength(body), quiet, bearer));
    socket.write(body.slice(0, 2_000));
    const stalledAt = Date.now();
    const closedAt = await Promise.race([ended, new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000).unref())]);
    assert.match(received, /^HTTP\/1\.1 400 /);
    assert.match(received, /"code":"UPLOAD_INCOMPLETE"/);
    assert.ok(answeredAt - stalledAt < 20_000, `answered ${answeredAt - stalledAt} ms after the stall`);
    assert.ok(closedAt !== undefined, `the connection was still open 30 s after the stall: ${received.slice(0, 400)}`);
    assert.ok(closedAt - answeredAt < 5_000, `closed ${closedAt - answeredAt} ms after the answer`);
    assert.match(received, /\r\nconnection: close\r\n/i);
  } finally {
    socket.destroy();
    await quiet.close();
  }
});

test('a complete upload on a keep-alive connection leaves it open: the next request goes on the same socket', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { port } = new URL(s.baseUrl);
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; connection: string | undefined; reused: boolean; port: number | undefined; text: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: Number(port), method, path, headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, reused: req.reusedSocket, port: req.socket?.localPort, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    const body = lines('K', '4', 0, 10);
    const upload = await send('POST', '/exchange/services/importSubscriberLinks', { authorization: `Bearer ${token}`, 'x-request-id': randomUUID(), 'x-purpose': PURPOSE, 'x-officer-id': 'NV-0001', 'content-type': 'application/x-ndjson', 'content-length': String(Buffer.byteLength(body)) }, body);
    assert.equal(upload.status, 200, upload.text);
    assert.notEqual(upload.connection?.toLowerCase(), 'close');
    const next = await send('GET', '/health', {});
    assert.equal(next.status, 200, next.text);
    assert.equal(next.reused, true, 'the second request went on the upload\'s connection');
    assert.equal(next.port, upload.port);
  } finally {
    agent.destroy();
  }
});

/** A raw connection: what the server sent, and when it closed the connection (undefined while open). */
async function rawConnection(server: TestServer) {
  const socket = connect(Number(new URL(server.baseUrl).port), '127.0.0.1');
  // Bytes, not text: Content-Length counts bytes and a problem's text may not be ASCII.
  const state = { received: Buffer.alloc(0), closedAt: undefined as number | undefined };
  socket.on('data', (d: Buffer) => (state.received = Buffer.concat([state.received, d])));
  socket.on('error', () => undefined);
  socket.on('close', () => (state.closedAt = Date.now()));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  /** The next whole answer (the server sends a Content-Length), taken off what was received. */
  const answer = async () => {
    const split = () => {
      const end = state.received.indexOf('\r\n\r\n');
      const head = end < 0 ? '' : state.received.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? NaN);
      return end >= 0 && state.received.length >= end + 4 + length ? { head, body: state.received.subarray(end + 4, end + 4 + length) } : undefined;
    };
    const { head, body } = await until('an answer', async () => split(), 10_000);
    state.received = state.received.subarray(head.length + 4 + body.length);
    return { status: Number(head.split(' ')[1]), head, body: JSON.parse(body.toString('utf8')) as { code?: string } };
  };
  /** When the server closes the connection, if it does within `ms`. */
  const closed = (ms: number) => until('', async () => state.closedAt, ms).catch(() => undefined);
  return { socket, answer, closed };
}

/** Headers and a part of the body of a refused upload are sent, then nothing: the answer closes the connection. */
async function refusedWhileSending(server: TestServer, bearer: string): Promise<{ status: number; code: string | undefined }> {
  const body = lines('R', '5', 0, 1_000);
  const c = await rawConnection(server);
  try {
    c.socket.write(headerBlock(randomUUID(), Buffer.byteLength(body), server, bearer) + body.slice(0, 2_000));
    const a = await c.answer();
    assert.match(a.head, /\r\ncontent-type: application\/problem\+json/i);
    assert.match(a.head, /\r\nconnection: close/i);
    const closedAt = await c.closed(5_000);
    assert.ok(closedAt !== undefined, `the connection was still open 5 s after the ${a.status} answer`);
    return { status: a.status, code: a.body.code };
  } finally {
    c.socket.destroy();
  }
}

test('refused while its body is still coming (401, 403): the problem answer closes the connection; the client need not send the rest', { timeout: 60_000 }, async () => {
  assert.deepEqual(await refusedWhileSending(s, 'not-a-token'), { status: 401, code: 'EXCHANGE_TOKEN_INVALID' });
  assert.deepEqual(await refusedWhileSending(s, bank), { status: 403, code: 'AGENCY_NOT_TELECOM_OPERATOR' });
});

test('refused after the whole body arrived (401): the connection stays open and serves the next request; a 429 from a hook mid-body closes it', { timeout: 60_000 }, async () => {
  // A server of its own with one authentication failure a minute: the second request is refused by the rate-limit hook.
  const limited = await startTestServer('2026-06-01T08:00:00.000Z', { rateLimits: { anonymous: 0, verification: 0, token: 0, authFailures: 1 } });
  const c = await rawConnection(limited);
  try {
    const body = lines('W', '6', 0, 5);
    c.socket.write(headerBlock(randomUUID(), Buffer.byteLength(body), limited, 'not-a-token') + body);
    const refused = await c.answer();
    assert.deepEqual([refused.status, refused.body.code], [401, 'EXCHANGE_TOKEN_INVALID']);
    assert.doesNotMatch(refused.head, /\r\nconnection: close/i);
    c.socket.write(`GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
    const health = await c.answer();
    assert.equal(health.status, 200, 'the next request was answered on the same connection');
    assert.equal(await c.closed(1_000), undefined, 'the connection is still open');
    // The failure counted: the next upload is refused before its body is read, by the hook.
    const big = lines('W', '6', 0, 1_000);
    c.socket.write(headerBlock(randomUUID(), Buffer.byteLength(big), limited, 'not-a-token') + big.slice(0, 2_000));
    const tooMany = await c.answer();
    assert.deepEqual([tooMany.status, tooMany.body.code], [429, 'TOO_MANY_REQUESTS']);
    assert.match(tooMany.head, /\r\nconnection: close/i);
    assert.ok((await c.closed(5_000)) !== undefined, 'the connection was still open 5 s after the 429');
  } finally {
    c.socket.destroy();
    await limited.close();
  }
});

test('while a large import runs over HTTP, other requests are answered before it ends', { timeout: 600_000 }, async () => {
  const total = 200_000;
  const body = lines('L', '2', 0, total);
  const requestId = randomUUID();
  let finished = false;
  const upload = fetch(`${s.baseUrl}/exchange/services/importSubscriberLinks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId, 'x-purpose': PURPOSE, 'x-officer-id': 'NV-0001', 'content-type': 'application/x-ndjson' },
    body,
  }).then(async (r) => {
    finished = true;
    return { status: r.status, body: (await r.json()) as { linesDone: number; applied: number } };
  });
  await until('the first committed batch', async () => ((await marker(requestId)) && Number((await marker(requestId))!.lines_done) > 0 ? true : undefined));
  // Each answer must arrive while the upload has not been answered and its import is not done.
  const answered: string[] = [];
  for (let i = 0; i < 3; i++) {
    const health = await fetch(`${s.baseUrl}/health`);
    assert.equal(health.status, 200);
    assert.equal(finished, false, 'the health check waited for the import');
    const read = await s.call('GET', `/citizens/${people[i]}`, { token: s.tokens.officer });
    assert.equal(read.status, 200);
    assert.equal(finished, false, 'the citizen read waited for the import');
    answered.push(`health+read ${i}`);
  }
  const during = (await marker(requestId))!;
  assert.equal(during.status, 'running');
  assert.ok(Number(during.lines_done) < total);
  const done = await upload;
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.deepEqual([done.body.linesDone, done.body.applied], [total, total]);
  assert.equal(answered.length, 3);
});
