/**
 * A file of subscriber lines read as its text arrives, in pieces cut anywhere (decisions 0039 and
 * 0049): cut into lines exactly as node:readline cuts them, numbered, parsed, and gathered into the
 * batches the import commits. Pure: the caller decodes the bytes (with the decoder readline uses)
 * and passes the text; a worker thread runs this while the event loop writes the previous batch.
 */
import { csvHeader, parseCsvLine, parseJsonLine, splitCsv, type LineProblem, type ParsedLine, type SubscriberLine } from './subscriber-lines.js';

export type SubscriberFileFormat = 'ndjson' | 'csv';

/** A line longer than this (UTF-16 units) is refused without being parsed. */
export const MAX_LINE = 4_096;
/**
 * A CSV header is read whatever its length up to this; past it the file is refused for its header
 * (a real one names a few columns) rather than held, which could exhaust a worker's heap.
 */
export const MAX_HEADER = 1 << 20;

/** readline's line endings: LF, CRLF, a lone CR, and the Unicode line and paragraph separators. */
const LINE_ENDING = /\r?\n|\r(?!\n)|\u2028|\u2029/;
const RARE_ENDING = /[\r\u2028\u2029]/;
/** What `text.trim() === ''` says, for a line whose text is no longer held. */
const BLANK = /^\s*$/;

/** A line past the length kept: only whether it was blank (whitespace only) is known. */
export interface LongLine {
  blank: boolean;
}

/**
 * Cuts text into lines as node:readline does with `crlfDelay: Infinity`: a CR at the end of one
 * piece and an LF at the start of the next are one line ending; a last line without its ending is a
 * line unless empty. Lines longer than `maxChars` are not held (a file with no line breaks cannot
 * fill memory): they come out as a LongLine. The first `keepWhole` lines are held up to `wholeMaxChars`.
 */
export class LineSplitter {
  private partial = '';
  private long: LongLine | undefined;
  private sawCr = false;
  private count = 0;

  constructor(
    private readonly maxChars: number,
    private readonly keepWhole = 0,
    private readonly wholeMaxChars = Infinity,
  ) {}

  push(text: string, out: (string | LongLine)[]): void {
    // readline forgets a CR seen at the end of the previous piece once it reads the next, empty or not.
    if (this.sawCr) {
      this.sawCr = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    if (text === '') return;
    const parts = RARE_ENDING.test(text) ? text.split(LINE_ENDING) : text.split('\n');
    const last = parts.length - 1;
    if (last === 0) {
      this.append(text);
      return;
    }
    this.sawCr = text.endsWith('\r');
    for (let i = 0; i < last; i++) {
      this.append(parts[i]!);
      out.push(this.take());
    }
    this.append(parts[last]!);
  }

  /** The input ended: its last line, if it has one. */
  end(out: (string | LongLine)[]): void {
    if (this.long || this.partial.length > 0) out.push(this.take());
  }

  private append(s: string): void {
    if (s === '') return;
    if (this.long) {
      if (this.long.blank && !BLANK.test(s)) this.long.blank = false;
      return;
    }
    this.partial = this.partial === '' ? s : this.partial + s;
    if (this.partial.length > (this.count < this.keepWhole ? this.wholeMaxChars : this.maxChars)) {
      this.long = { blank: BLANK.test(this.partial) };
      this.partial = '';
    }
  }

  private take(): string | LongLine {
    const line = this.long ?? this.partial;
    this.long = undefined;
    this.partial = '';
    this.count++;
    return line;
  }
}

export interface FileReading {
  format: SubscriberFileFormat;
  /** The instant of the import (lines dated after it are refused). */
  now: string;
  /** Lines already committed by an earlier run of the same import: counted, not parsed again. */
  skip: number;
  /** Most lines the input may hold (an upload's limit). */
  maxLines?: number;
  /** Lines per batch (counted lines: not the CSV header, skipped or blank lines). */
  batchLines: number;
}

/** One transaction's worth of lines: the valid ones to apply and the refused ones to record. */
export interface ParsedBatch {
  valid: { lineNo: number; line: SubscriberLine }[];
  rejects: { lineNo: number; problem: LineProblem }[];
  /** Lines read when the batch closed: its marker's `lines_done`. */
  linesDone: number;
  /** The input's last batch (possibly empty). */
  done: boolean;
}

export type FileRefusal = 'SUBSCRIBER_UPLOAD_TOO_LARGE' | 'SUBSCRIBER_CSV_HEADER_INVALID';

/** What a piece of text completed: whole batches, then the whole file's refusal if it came to one. */
export interface ReadStep {
  batches: ParsedBatch[];
  refused?: FileRefusal;
}

/**
 * The import's reading of a file: the CSV header, resumption after `skip` lines, blank lines, the
 * line limit, each line parsed and validated, batches of `batchLines` counted lines. A refusal of
 * the file (past `maxLines`, a CSV without a usable header) ends the reading: later text is ignored.
 */
export class SubscriberFileReader {
  private readonly splitter: LineSplitter;
  private header: { columns: Map<string, number>; width: number } | undefined;
  private valid: ParsedBatch['valid'] = [];
  private rejects: ParsedBatch['rejects'] = [];
  private lineNo = 0;
  private refused: FileRefusal | undefined;
  private readonly lines: (string | LongLine)[] = [];

  constructor(private readonly o: FileReading) {
    this.splitter = new LineSplitter(MAX_LINE, o.format === 'csv' ? 1 : 0, MAX_HEADER);
  }

  push(text: string): ReadStep {
    if (this.refused) return { batches: [] };
    this.splitter.push(text, this.lines);
    return this.read(false);
  }

  end(): ReadStep {
    if (this.refused) return { batches: [] };
    this.splitter.end(this.lines);
    return this.read(true);
  }

  private read(ended: boolean): ReadStep {
    const batches: ParsedBatch[] = [];
    const lines = this.lines.splice(0);
    for (const text of lines) {
      this.refused = this.line(text, batches);
      if (this.refused) return { batches, refused: this.refused };
    }
    if (ended) {
      if (this.lineNo === 0 && this.o.format === 'csv') {
        this.refused = 'SUBSCRIBER_CSV_HEADER_INVALID';
        return { batches, refused: this.refused };
      }
      batches.push(this.close(true));
    }
    return { batches };
  }

  private line(text: string | LongLine, batches: ParsedBatch[]): FileRefusal | undefined {
    const lineNo = ++this.lineNo;
    if (this.o.maxLines !== undefined && lineNo > this.o.maxLines) return 'SUBSCRIBER_UPLOAD_TOO_LARGE';
    if (this.o.format === 'csv' && lineNo === 1) {
      // The first CSV line is held whole up to MAX_HEADER (LineSplitter's keepWhole).
      if (typeof text !== 'string') return 'SUBSCRIBER_CSV_HEADER_INVALID';
      const first = text;
      const columns = csvHeader(first);
      if (!columns) return 'SUBSCRIBER_CSV_HEADER_INVALID';
      this.header = { columns, width: splitCsv(first.replace(/^\uFEFF/, ''))!.length };
      return undefined;
    }
    if (lineNo <= this.o.skip) return undefined;
    if (typeof text === 'string' ? text.trim() === '' : text.blank) return undefined;
    const parsed: ParsedLine =
      typeof text !== 'string' ? { ok: false, problem: { code: 'SUBSCRIBER_LINE_MALFORMED' } } : this.header ? parseCsvLine(text, this.header.columns, this.header.width, this.o.now) : parseJsonLine(text, this.o.now);
    if (parsed.ok) this.valid.push({ lineNo, line: parsed.line });
    else this.rejects.push({ lineNo, problem: parsed.problem });
    if (this.valid.length + this.rejects.length >= this.o.batchLines) batches.push(this.close(false));
    return undefined;
  }

  private close(done: boolean): ParsedBatch {
    const batch = { valid: this.valid, rejects: this.rejects, linesDone: this.lineNo, done };
    this.valid = [];
    this.rejects = [];
    return batch;
  }
}
