/**
 * The oracle for reading subscriber files (decision 0049): the import's reading as it was before it
 * moved to a worker thread — node:readline over the bytes, then the header, resumption, blank-line,
 * length and line-limit rules, in the import's own loop — kept here, unchanged, to compare the
 * worker's reading with. And random files to compare them on (fast-check): valid and invalid
 * lines, NDJSON and CSV, every line ending readline knows, invalid UTF-8, cut into chunks anywhere.
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { csvHeader, parseCsvLine, parseJsonLine, splitCsv, type LineProblem, type ParsedLine, type SubscriberLine } from '../../src/domain/telecom/subscriber-lines.js';
import type { FileReading, ParsedBatch } from '../../src/domain/telecom/subscriber-file.js';

export interface Reading {
  batches: ParsedBatch[];
  refused?: string;
}

/** The loop importSubscriberLinks ran before decision 0049, with its writes replaced by collecting the batches. */
export async function referenceReading(chunks: readonly Uint8Array[], o: FileReading): Promise<Reading> {
  const batches: ParsedBatch[] = [];
  let header: { columns: Map<string, number>; width: number } | undefined;
  let valid: { lineNo: number; line: SubscriberLine }[] = [];
  let rejects: { lineNo: number; problem: LineProblem }[] = [];
  let pending = 0;
  let lineNo = 0;
  const flush = (done: boolean) => {
    batches.push({ valid, rejects, linesDone: lineNo, done });
    valid = [];
    rejects = [];
    pending = 0;
  };
  const lines = createInterface({ input: Readable.from(chunks.map((c) => Buffer.from(c))), crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      lineNo++;
      if (o.maxLines !== undefined && lineNo > o.maxLines) return { batches, refused: 'SUBSCRIBER_UPLOAD_TOO_LARGE' };
      if (o.format === 'csv' && lineNo === 1) {
        const columns = csvHeader(text);
        if (!columns) return { batches, refused: 'SUBSCRIBER_CSV_HEADER_INVALID' };
        header = { columns, width: splitCsv(text.replace(/^\uFEFF/, ''))!.length };
        continue;
      }
      if (lineNo <= o.skip) continue;
      if (text.trim() === '') continue;
      const parsed: ParsedLine =
        text.length > 4_096 ? { ok: false, problem: { code: 'SUBSCRIBER_LINE_MALFORMED' } } : o.format === 'csv' ? parseCsvLine(text, header!.columns, header!.width, o.now) : parseJsonLine(text, o.now);
      if (parsed.ok) valid.push({ lineNo, line: parsed.line });
      else rejects.push({ lineNo, problem: parsed.problem });
      if (++pending >= o.batchLines) flush(false);
    }
  } finally {
    lines.close();
  }
  if (lineNo === 0 && o.format === 'csv') return { batches, refused: 'SUBSCRIBER_CSV_HEADER_INVALID' };
  flush(true);
  return { batches };
}

export const NOW = '2026-06-01T00:00:00.000Z';

const FIELDS = ['recordId', 'action', 'number', 'personalId', 'confirmedAt', 'endedAt'] as const;
/** Mostly a valid value, so that whole lines are often valid; sometimes one of the wrong ones. */
const mostly = (valid: string[], wrong: string[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...wrong) });
const values: Record<(typeof FIELDS)[number] | 'note', fc.Arbitrary<string>> = {
  recordId: mostly(['R-1', 'R-2', 'a.b:c/d-e_9'], ['', 'bad id', 'Ngô-1']),
  action: mostly(['link', 'link', 'end'], ['move', '']),
  number: mostly(['0912345678', '+84 912 345 678', '0084-98-000-0001'], ['0212345678', '12', '']),
  personalId: mostly(['001200000001', '079999999999'], ['0012', '']),
  confirmedAt: mostly(['2026-01-02', '2026-01-02T03:04:05Z', '2026-01-02T10:04:05.5+07:00'], ['2027-01-01', '2026-02-30', '']),
  endedAt: mostly(['2026-01-03', '2026-05-31T23:59:59Z'], ['2026-06-02', 'x', '']),
  // Multi-byte characters, readline's rarer line endings inside a JSON string, CSV's quote and comma.
  note: fc.constantFrom('', 'Nguyễn Văn Ấn', '🙂🙂', 'a\u2028b', 'x\u2029y', 'tab\there', 'say "hi"', 'a,b', 'cr\rlf'),
};
const REQUIRED = ['recordId', 'action', 'number', 'personalId'];

/** A valid link line padded to exactly `length` UTF-16 units (MAX_LINE is 4,096). */
const paddedLink = (length: number) => {
  const base = JSON.stringify({ recordId: 'R-1', action: 'link', number: '0912345678', personalId: '001200000001', confirmedAt: '2026-01-02', pad: '' });
  return base.replace('"pad":""', `"pad":"${'🙂'.repeat((length - base.length) >> 1)}${(length - base.length) % 2 ? 'p' : ''}"`);
};

const ndjsonLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.record(values).map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.record(values, { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.constantFrom('{"recordId": broken', '[1,2]', 'null', '"text"', '{}', ' {"recordId":"R-9"} ') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t \u00a0', '\ufeff') },
  // Around MAX_LINE (4,096 UTF-16 units): blank, padded JSON, astral characters counting two.
  { weight: 1, arbitrary: fc.constantFrom(paddedLink(4_096), paddedLink(4_097), ' '.repeat(5_000), 'x'.repeat(4_097), 'é'.repeat(4_096), '🙂'.repeat(2_049), `{"recordId":"R-1","pad":"${'p'.repeat(4_070)}"}`, ` ${'\u3000'.repeat(4_200)} `) },
);

/** CSV: a header naming some columns in any order (maybe with a BOM, quotes, extras), rows under it. */
const csvFile: fc.Arbitrary<string[]> = fc
  .record({
    columns: fc.oneof(
      { weight: 4, arbitrary: fc.shuffledSubarray(['confirmedAt', 'endedAt', 'note', ' other ', 'recordId']).chain((more) => fc.shuffledSubarray([...REQUIRED, ...more], { minLength: REQUIRED.length + more.length })) },
      { weight: 1, arbitrary: fc.shuffledSubarray([...FIELDS, 'note', ' number', 'other'], { minLength: 1 }) },
    ),
    bom: fc.boolean(),
    quoteHeader: fc.boolean(),
    rows: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(fc.record(values), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), fc.integer({ min: -1, max: 1 })) },
        { weight: 1, arbitrary: fc.constantFrom('', '  ', '"unclosed,x', 'a"b,c', 'x'.repeat(4_100), ' '.repeat(4_100)) },
      ),
      { maxLength: 25 },
    ),
    headerless: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  })
  .map(({ columns, bom, quoteHeader, rows, headerless }) => {
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const header = `${bom ? '\ufeff' : ''}${columns.map((c) => (quoteHeader ? quote(c) : c)).join(',')}`;
    const body = rows.map((r) => {
      if (typeof r === 'string') return r;
      const [fields, quoted, widthChange] = r;
      const cells = columns.map((c, i) => {
        const v = (fields as Record<string, string>)[c.trim()] ?? 'z';
        return quoted[i % 9] || v.includes(',') || v.includes('"') ? quote(v) : v;
      });
      if (widthChange < 0) cells.pop();
      if (widthChange > 0) cells.push('more');
      return cells.join(',');
    });
    return headerless ? body : [header, ...body];
  });

const ending = fc.oneof({ weight: 8, arbitrary: fc.constant('\n') }, { weight: 3, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\r', '\u2028', '\u2029') });

export interface FileCase {
  reading: FileReading;
  bytes: Uint8Array;
  /** The bytes cut into non-empty chunks (a stream's chunks are never empty). */
  chunks: Uint8Array[];
}

/** A random file and a random way to cut it, with random reading options. */
export const fileCase: fc.Arbitrary<FileCase> = fc
  .oneof(fc.record({ format: fc.constant('ndjson' as const), lines: fc.array(ndjsonLine, { maxLength: 30 }) }), fc.record({ format: fc.constant('csv' as const), lines: csvFile }))
  .chain(({ format, lines }) =>
    fc.record({
      format: fc.constant(format),
      lines: fc.constant(lines),
      endings: fc.array(ending, { minLength: lines.length, maxLength: lines.length }),
      lastEnding: fc.boolean(),
      // Bytes no UTF-8 decoder reads as they are: a lone continuation, cut sequences, an invalid lead.
      junk: fc.array(fc.tuple(fc.nat(), fc.constantFrom([0xff], [0x80], [0xe1, 0xba], [0xf0, 0x9f, 0x99], [0xc3], [0xed, 0xa0, 0x80])), { maxLength: 2 }),
      skip: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: lines.length + 2 }) }),
      maxLines: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat({ max: lines.length + 2 }) }),
      batchLines: fc.integer({ min: 1, max: 7 }),
      cuts: fc.array(fc.nat(), { maxLength: 12 }),
    }),
  )
  .map(({ format, lines, endings, lastEnding, junk, skip, maxLines, batchLines, cuts }) => {
    const text = lines.map((l, i) => (i < lines.length - 1 || lastEnding ? l + endings[i] : l)).join('');
    const bytes = [...Buffer.from(text, 'utf8')];
    for (const [at, b] of junk) bytes.splice(bytes.length === 0 ? 0 : at % (bytes.length + 1), 0, ...b);
    const all = Uint8Array.from(bytes);
    const points = [...new Set(cuts.map((c) => (all.length === 0 ? 0 : c % all.length)))].filter((c) => c > 0).sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let from = 0;
    for (const p of [...points, all.length]) {
      if (p > from) chunks.push(all.subarray(from, p));
      from = p;
    }
    const reading: FileReading = { format, now: NOW, skip, batchLines, ...(maxLines === undefined ? {} : { maxLines }) };
    return { reading, bytes: all, chunks };
  });
