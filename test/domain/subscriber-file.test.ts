/**
 * Reading a subscriber file in pieces (domain/telecom/subscriber-file.ts, decision 0049): the same
 * lines, numbers, batches and refusals as the import's reading before it moved to a worker thread
 * (node:readline and the import's loop, test/support/subscriber-files.ts), whatever the file and
 * wherever its pieces are cut — inside a CRLF or a multi-byte character included.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StringDecoder } from 'node:string_decoder';
import fc from 'fast-check';
import { LineSplitter, MAX_HEADER, SubscriberFileReader, type FileReading, type LongLine } from '../../src/domain/telecom/subscriber-file.js';
import { fileCase, NOW, referenceReading, type Reading } from '../support/subscriber-files.js';

/** The worker's way: each chunk decoded as it comes, the text read by the pure reader. */
function pieceReading(chunks: readonly Uint8Array[], o: FileReading): Reading {
  const reader = new SubscriberFileReader(o);
  const decoder = new StringDecoder('utf8');
  const out: Reading = { batches: [] };
  for (const step of [...chunks.map((c) => reader.push(decoder.write(Buffer.from(c)))), reader.end()]) {
    out.batches.push(...step.batches);
    if (step.refused) {
      out.refused = step.refused;
      break;
    }
  }
  return out;
}

const bytes = (...parts: (string | number[])[]) => parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Uint8Array.from(p)));
const lines = (o: FileReading, ...chunks: Uint8Array[]) => pieceReading(chunks, o).batches.flatMap((b) => [...b.valid.map((v) => v.lineNo), ...b.rejects.map((r) => -r.lineNo)]);
const ndjson: FileReading = { format: 'ndjson', now: NOW, skip: 0, batchLines: 100 };
const link = (id: string) => JSON.stringify({ recordId: id, action: 'link', number: '0912345678', personalId: '001200000001', confirmedAt: '2026-01-02' });

describe('reading a subscriber file in pieces', () => {
  test('property: the same batches and refusal as readline and the import loop, for any file cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fileCase, async ({ reading, chunks }) => {
        assert.deepEqual(pieceReading(chunks, reading), await referenceReading(chunks, reading));
      }),
      { numRuns: 400 },
    );
  });

  test('line endings: a CRLF cut between its two bytes is one ending; a lone CR, U+2028 and U+2029 end lines too', () => {
    assert.deepEqual(lines(ndjson, ...bytes(`${link('A')}\r`, `\n${link('B')}\r${link('C')}\u2028${link('D')}\u2029${link('E')}`)), [1, 2, 3, 4, 5]);
    // LF then CR LF: an empty line between is blank, skipped but counted.
    assert.deepEqual(lines(ndjson, ...bytes(`${link('A')}\n\r\n${link('B')}\n`)), [1, 3]);
  });

  test('a multi-byte character cut between pieces reads whole; an incomplete one at the very end is dropped, as readline drops it', () => {
    const text = `${link('A')}\n{"note":"Nguyễn Ấn"}\n`;
    const whole = Buffer.from(text);
    for (let cut = 1; cut < whole.length; cut++) {
      const decoder = new StringDecoder('utf8');
      const out: (string | LongLine)[] = [];
      const s = new LineSplitter(4_096);
      s.push(decoder.write(whole.subarray(0, cut)), out);
      s.push(decoder.write(whole.subarray(cut)), out);
      assert.deepEqual(out, text.split('\n').slice(0, 2), `cut at byte ${cut}`);
    }
    // A line that is valid JSON but for two bytes of a three-byte character after it, at the end: read as valid.
    const cut = pieceReading(bytes(`${link('A')}\n${link('B')}`, [0xe1, 0xba]), ndjson);
    assert.deepEqual(cut.batches[0]!.valid.map((v) => v.line.recordId), ['A', 'B']);
  });

  test('CSV: a header after a BOM, its columns in any order; a line without its newline at the end counts', () => {
    const csv: FileReading = { format: 'csv', now: NOW, skip: 0, batchLines: 2 };
    const r = pieceReading(bytes('\ufeffnumber,personalId,recordId,action,confirmedAt\r\n', '0912345678,001200000001,K-1,link,2026-01-02\r\n0912345678,001200000001,K-2,link,2026-01-03'), csv);
    assert.deepEqual(
      r.batches.map((b) => [b.valid.map((v) => v.line.recordId), b.linesDone, b.done]),
      [
        [['K-1', 'K-2'], 3, false],
        [[], 3, true],
      ],
    );
    assert.equal(pieceReading(bytes('phone,who\n0912345678,x\n'), csv).refused, 'SUBSCRIBER_CSV_HEADER_INVALID');
    assert.equal(pieceReading([], csv).refused, 'SUBSCRIBER_CSV_HEADER_INVALID');
    // A long header is read whole, as before; past MAX_HEADER the file is refused for it instead of being held.
    const wide = `recordId,action,number,personalId,confirmedAt,${'x'.repeat(10_000)}\n0912345678`;
    assert.equal(pieceReading(bytes(wide), csv).refused, undefined);
    assert.equal(pieceReading(bytes(`recordId,action,number,personalId,${'x'.repeat(MAX_HEADER)}\n`), csv).refused, 'SUBSCRIBER_CSV_HEADER_INVALID');
  });

  test('resumed: lines up to `skip` are counted, not parsed; the line limit counts every line', () => {
    assert.deepEqual(lines({ ...ndjson, skip: 2 }, ...bytes(`${link('A')}\nbroken\n${link('C')}\n`)), [3]);
    const limited = pieceReading(bytes(`${link('A')}\n${link('B')}\n\n${link('C')}\n`), { ...ndjson, batchLines: 1, maxLines: 3 });
    assert.deepEqual([limited.batches.map((b) => b.linesDone), limited.refused], [[1, 2], 'SUBSCRIBER_UPLOAD_TOO_LARGE']);
  });
});

describe('LineSplitter', () => {
  test('a line past the length kept is not held: only whether it was blank is known', () => {
    const out: (string | LongLine)[] = [];
    const s = new LineSplitter(10);
    s.push('short\n0123456789', out);
    s.push('abc   ', out);
    s.push('   \n' + ' '.repeat(50), out);
    s.push(' \t\nend', out);
    s.end(out);
    assert.deepEqual(out, ['short', { blank: false }, { blank: true }, 'end']);
    // The first `keepWhole` lines are held up to their own limit (a CSV header).
    const header: (string | LongLine)[] = [];
    const h = new LineSplitter(4, 1, 20);
    h.push('recordId,action\nrecordId,action\n', header);
    assert.deepEqual(header, ['recordId,action', { blank: false }]);
    const over: (string | LongLine)[] = [];
    new LineSplitter(4, 1, 10).push('recordId,action\n', over);
    assert.deepEqual(over, [{ blank: false }]);
  });
});
