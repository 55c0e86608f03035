/**
 * A subscriber file parsed in a worker thread (services/subscribers/file-parsing.ts, decision 0049):
 * the same batches and refusals as the import's reading before it (readline in the import's loop),
 * for random files cut anywhere; input paused while the worker and the writer are behind; a worker
 * that crashes, exits or stops answering fails the reading with 503 SUBSCRIBER_IMPORT_INTERRUPTED
 * after the batches it gave; a failed input is UPLOAD_INCOMPLETE; too many workers at once, WORKERS_BUSY.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { parsedBatches, parsingWorkers, type ParsingLimits } from '../../src/services/subscribers/file-parsing.js';
import { RegistryError } from '../../src/domain/errors/registry-error.js';
import type { FileReading, ParsedBatch } from '../../src/domain/telecom/subscriber-file.js';
import { fileCase, NOW, referenceReading, type Reading } from '../support/subscriber-files.js';

const LIMITS: ParsingLimits = { timeoutMs: 15_000, memoryMb: 64, maxWorkers: 4 };
const FAULTY = new URL('../support/file-parsing-faulty-worker.ts', import.meta.url);

async function workerReading(input: Readable, reading: FileReading, limits = LIMITS, entry?: URL): Promise<Reading & { error?: string }> {
  const out: Reading & { error?: string } = { batches: [] };
  try {
    for await (const b of parsedBatches(input, reading, limits, ...(entry ? [entry] : []))) out.batches.push(b);
  } catch (e) {
    assert.ok(e instanceof RegistryError, String(e));
    if (e.code === 'SUBSCRIBER_UPLOAD_TOO_LARGE' || e.code === 'SUBSCRIBER_CSV_HEADER_INVALID') out.refused = e.code;
    else out.error = e.code;
  }
  return out;
}

const link = (i: number) => `{"recordId":"R${i}","action":"link","number":"09${String(i % 1e8).padStart(8, '0')}","personalId":"001200000001","confirmedAt":"2026-01-02T00:00:00Z"}\n`;
const fileOf = (from: number, count: number) => Array.from({ length: count }, (_, i) => link(from + i)).join('');
const ndjson = (batchLines: number): FileReading => ({ format: 'ndjson', now: NOW, skip: 0, batchLines });
const lineCount = (batches: ParsedBatch[]) => batches.reduce((n, b) => n + b.valid.length + b.rejects.length, 0);

describe('subscriber files parsed in a worker thread', () => {
  test('property: the same batches and refusal as readline and the import loop, the bytes cut anywhere', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fileCase, async ({ reading, chunks }) => {
        const got = await workerReading(Readable.from(chunks.map((c) => Buffer.from(c))), reading);
        assert.deepEqual(got, await referenceReading(chunks, reading));
      }),
      { numRuns: 40 },
    );
    assert.equal(parsingWorkers(), 0, 'every worker ended with its reading');
  });

  test('a large file: every line, in order, in batches of the size asked', { timeout: 120_000 }, async () => {
    const text = Buffer.from(fileOf(0, 30_000));
    const chunks = Array.from({ length: Math.ceil(text.length / 65_536) }, (_, i) => text.subarray(i * 65_536, (i + 1) * 65_536));
    const got = await workerReading(Readable.from(chunks), ndjson(4_000));
    assert.equal(got.error, undefined);
    assert.deepEqual(got, await referenceReading(chunks, ndjson(4_000)));
    assert.deepEqual(got.batches.map((b) => b.linesDone), [4_000, 8_000, 12_000, 16_000, 20_000, 24_000, 28_000, 30_000]);
  });

  test('memory is bounded: while the writer is behind, the input is read no further than about two batches ahead', { timeout: 60_000 }, async () => {
    const total = 40_000;
    let produced = 0;
    let next = 0;
    const input = new Readable({
      read() {
        if (next >= total) return void this.push(null);
        const chunk = Buffer.from(fileOf(next, 200));
        next += 200;
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const batches = parsedBatches(input, ndjson(100), LIMITS);
    const first = await batches.next();
    assert.equal(first.done, false);
    // A slow writer: the event loop runs, the input is paused once the worker and the queue are full.
    await new Promise((r) => setTimeout(r, 1_000));
    // A batch of bytes in the worker (64 KiB at the least), two parsed batches and one in the making,
    // the stream's own buffer, a chunk past the mark.
    const bound = 64 * 1024 + 3 * 100 * 200 + 64 * 1024 + 2 * 200 * 200;
    assert.ok(produced < bound, `read ${produced} bytes ahead (bound ${bound}) of a ${total * 150}-byte input`);
    let lines = first.value!.valid.length;
    for await (const b of { [Symbol.asyncIterator]: () => batches }) lines += b.valid.length;
    assert.equal(lines, total);
  });

  for (const format of ['ndjson', 'csv'] as const) {
    test(`memory is bounded for very short lines too (${format}): two parsed batches wait for the writer at most, the same batches as readline`, { timeout: 120_000 }, async () => {
      const text = Buffer.from((format === 'csv' ? 'recordId,action,number,personalId,confirmedAt\n' : '') + 'x\n'.repeat(100_000));
      const chunks = Array.from({ length: Math.ceil(text.length / 65_536) }, (_, i) => text.subarray(i * 65_536, (i + 1) * 65_536));
      const reading: FileReading = { format, now: NOW, skip: 0, batchLines: 100 };
      let most = 0;
      const got: ParsedBatch[] = [];
      for await (const b of parsedBatches(Readable.from(chunks), reading, { ...LIMITS, onWaiting: (n) => (most = Math.max(most, n)) })) {
        got.push(b);
        // A writer slower than the parser.
        if (got.length % 20 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(most >= 1 && most <= 2, `${most} batches waited at once`);
      assert.deepEqual({ batches: got }, await referenceReading(chunks, reading));
      assert.equal(got.length, 1_001);
    });
  }

  for (const kind of ['throw', 'exit', 'spin'] as const) {
    test(`a worker that ${kind === 'spin' ? 'stops answering' : kind === 'exit' ? 'exits' : 'crashes'}: 503 SUBSCRIBER_IMPORT_INTERRUPTED after the batches it gave, the thread ended`, { timeout: 60_000 }, async () => {
      const text = Buffer.from(fileOf(0, 3_000));
      const chunks = Array.from({ length: 30 }, (_, i) => text.subarray(i * 100 * link(0).length, (i + 1) * 100 * link(0).length));
      const reading = { ...ndjson(250), fault: { after: 12, kind } } as FileReading;
      const started = performance.now();
      const got = await workerReading(Readable.from(chunks), reading, { ...LIMITS, timeoutMs: 500 }, FAULTY);
      assert.equal(got.error, 'SUBSCRIBER_IMPORT_INTERRUPTED');
      assert.ok(performance.now() - started < 20_000);
      const reference = await referenceReading(chunks, ndjson(250));
      assert.ok(got.batches.length < reference.batches.length);
      assert.deepEqual(got.batches, reference.batches.slice(0, got.batches.length), 'the batches before the fault are the right ones');
      assert.equal(parsingWorkers(), 0);
    });
  }

  test('an input that fails or stops before its end: UPLOAD_INCOMPLETE; a refusal of our own passes through', { timeout: 30_000 }, async () => {
    const failing = (how: (r: Readable) => void) => {
      const r = new Readable({ read() {} });
      r.push(fileOf(0, 50));
      setTimeout(() => how(r), 50);
      return r;
    };
    assert.equal((await workerReading(failing((r) => r.destroy(new Error('ECONNRESET'))), ndjson(10))).error, 'UPLOAD_INCOMPLETE');
    assert.equal((await workerReading(failing((r) => r.destroy()), ndjson(10))).error, 'UPLOAD_INCOMPLETE');
    assert.equal((await workerReading(failing((r) => r.destroy(new RegistryError('SUBSCRIBER_UPLOAD_TOO_LARGE'))), ndjson(10))).refused, 'SUBSCRIBER_UPLOAD_TOO_LARGE');
    assert.equal(parsingWorkers(), 0);
  });

  test('an input that stops sending, at once or after a batch: UPLOAD_INCOMPLETE after the silence limit, the batch before it kept, the thread ended', { timeout: 30_000 }, async () => {
    const silent = new Readable({ read() {} });
    const started = performance.now();
    const none = await workerReading(silent, ndjson(10), { ...LIMITS, timeoutMs: 300 });
    assert.deepEqual(none, { batches: [], error: 'UPLOAD_INCOMPLETE' });
    assert.ok(performance.now() - started >= 300);
    assert.equal(parsingWorkers(), 0);

    const stalled = new Readable({ read() {} });
    stalled.push(fileOf(0, 15));
    const got = await workerReading(stalled, ndjson(10), { ...LIMITS, timeoutMs: 300 });
    assert.equal(got.error, 'UPLOAD_INCOMPLETE');
    assert.deepEqual(got.batches, (await referenceReading([Buffer.from(fileOf(0, 15))], ndjson(10))).batches.slice(0, 1), 'the whole batch before the stall, handed out to be written');
    assert.equal(parsingWorkers(), 0);
  });

  test('a refused file whose input goes on: left paused, nothing read after the refusal', { timeout: 30_000 }, async () => {
    for (let run = 0; run < 5; run++) {
      let n = 0;
      const endless = new Readable({
        // Asynchronous, as a socket is: a stream resumed by mistake must not starve the event loop.
        read() {
          setImmediate(() => this.push(n++ === 0 ? 'phone,who\n' : 'x,y\n'.repeat(20_000)));
        },
      });
      const got = await workerReading(endless, { format: 'csv', now: NOW, skip: 0, batchLines: 10 });
      assert.equal(got.refused, 'SUBSCRIBER_CSV_HEADER_INVALID');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(endless.isPaused(), true);
      const read = n;
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(n, read, 'nothing read after the refusal');
      endless.destroy();
    }
    assert.equal(parsingWorkers(), 0);
  });

  test('more parsing workers at once than allowed: 503 WORKERS_BUSY; free again once one ends', { timeout: 30_000 }, async () => {
    const open = new Readable({ read() {} });
    const one = parsedBatches(open, ndjson(10), { ...LIMITS, maxWorkers: 1 });
    const first = one.next();
    await assert.rejects(parsedBatches(Readable.from([fileOf(0, 5)]), ndjson(10), { ...LIMITS, maxWorkers: 1 }).next(), (e) => e instanceof RegistryError && e.code === 'WORKERS_BUSY');
    open.push(fileOf(0, 5));
    open.push(null);
    assert.equal((await first).value!.valid.length, 5);
    assert.equal((await one.next()).done, true);
    assert.equal(lineCount((await workerReading(Readable.from([fileOf(0, 5)]), ndjson(10), { ...LIMITS, maxWorkers: 1 })).batches), 5);
    assert.equal(parsingWorkers(), 0);
  });
});
