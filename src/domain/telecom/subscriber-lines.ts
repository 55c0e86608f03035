/**
 * The subscriber register's input and its one rule (decision 0039). Operators send lines — a link of
 * a number to a citizen, or the end of one — one at a time or in files (NDJSON or CSV); each line
 * carries the operator's own record ID, which makes it idempotent. This module parses a line and
 * applies a run of lines to the owners of the numbers they touch: a number has at most one current
 * owner, a new owner ends the old link, an old confirmation never undoes a newer one.
 */
import { normalizePhoneNumber } from './phone-number.js';

export type SubscriberAction = 'link' | 'end';

/** One validated line: the number in E.164, the instant in UTC ISO form. */
export interface SubscriberLine {
  recordId: string;
  action: SubscriberAction;
  number: string;
  personalId: string;
  /** When the operator confirmed the link (link) or when it ended (end). */
  at: string;
}

export type LineCode =
  | 'SUBSCRIBER_LINE_MALFORMED'
  | 'SUBSCRIBER_FIELD_MISSING'
  | 'SUBSCRIBER_FIELD_INVALID'
  | 'PHONE_NUMBER_INVALID'
  | 'DATE_IN_FUTURE'
  | 'CITIZEN_NOT_FOUND'
  | 'SUBSCRIBER_LINK_NOT_FOUND'
  | 'SUBSCRIBER_LINK_OTHER_OPERATOR'
  | 'SUBSCRIBER_LINK_STALE'
  | 'SUBSCRIBER_RECORD_ID_REUSED';

export interface LineProblem {
  code: LineCode;
  field?: string;
}

export type ParsedLine = { ok: true; line: SubscriberLine } | { ok: false; problem: LineProblem };

/** The columns of a line, as NDJSON properties and CSV header names. */
export const LINE_FIELDS = ['recordId', 'action', 'number', 'personalId', 'confirmedAt', 'endedAt'] as const;

const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const PERSONAL_ID = /^\d{12}$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * An ISO 8601 instant with its offset (or Z), or a calendar day read as Vietnam's midnight (UTC+7):
 * operators' systems write local days. Undefined for anything else, impossible days included.
 */
export function parseInstant(text: string): string | undefined {
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms, zone] = m;
  const offset = zone === undefined ? '+07:00' : zone;
  const iso = `${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}.${(ms ?? '0').padEnd(3, '0')}${offset === 'Z' ? 'Z' : offset}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  // Date.parse rolls 31 February into March: the day must survive the round trip.
  const local = new Date(t + offsetMinutes(offset) * 60_000);
  if (local.getUTCFullYear() !== Number(y) || local.getUTCMonth() + 1 !== Number(mo) || local.getUTCDate() !== Number(d)) return undefined;
  if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
  return new Date(t).toISOString();
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

const bad = (code: LineCode, field?: string): ParsedLine => ({ ok: false, problem: field === undefined ? { code } : { code, field } });

/** Validates the fields of one line (from JSON or CSV alike) against the instant of the import. */
export function validateLine(fields: Readonly<Record<string, unknown>>, now: string): ParsedLine {
  for (const f of ['recordId', 'action', 'number', 'personalId'] as const) {
    if (fields[f] === undefined || fields[f] === null || fields[f] === '') return bad('SUBSCRIBER_FIELD_MISSING', f);
    if (typeof fields[f] !== 'string') return bad('SUBSCRIBER_FIELD_INVALID', f);
  }
  const recordId = fields.recordId as string;
  if (!RECORD_ID.test(recordId)) return bad('SUBSCRIBER_FIELD_INVALID', 'recordId');
  const action = fields.action as string;
  if (action !== 'link' && action !== 'end') return bad('SUBSCRIBER_FIELD_INVALID', 'action');
  const number = normalizePhoneNumber(fields.number as string);
  if (number === undefined) return bad('PHONE_NUMBER_INVALID', 'number');
  const personalId = fields.personalId as string;
  if (!PERSONAL_ID.test(personalId)) return bad('SUBSCRIBER_FIELD_INVALID', 'personalId');
  const timeField = action === 'link' ? 'confirmedAt' : 'endedAt';
  const rawAt = fields[timeField];
  if (rawAt === undefined || rawAt === null || rawAt === '') return bad('SUBSCRIBER_FIELD_MISSING', timeField);
  const at = typeof rawAt === 'string' ? parseInstant(rawAt) : undefined;
  if (at === undefined) return bad('SUBSCRIBER_FIELD_INVALID', timeField);
  if (at > now) return bad('DATE_IN_FUTURE', timeField);
  return { ok: true, line: { recordId, action, number, personalId, at } };
}

/** One NDJSON line: a JSON object with the fields above (others are ignored). */
export function parseJsonLine(text: string, now: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('SUBSCRIBER_LINE_MALFORMED');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad('SUBSCRIBER_LINE_MALFORMED');
  return validateLine(value as Record<string, unknown>, now);
}

/**
 * The fields of one CSV record (RFC 4180: commas, double quotes doubled inside quoted fields; a
 * record is one line — operators' values never hold line breaks). Undefined when the quoting is broken.
 */
export function splitCsv(text: string): string[] | undefined {
  if (!text.includes('"')) return text.split(',');
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        field += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
      if (i < text.length && text[i] !== ',') return undefined;
    } else {
      const c = text.indexOf(',', i);
      const end = c < 0 ? text.length : c;
      field = text.slice(i, end);
      if (field.includes('"')) return undefined;
      i = end;
    }
    out.push(field);
    if (i >= text.length) return out;
    i++; // the comma
  }
}

/** The CSV header: the column of each known field. Undefined unless it names the four required ones. */
export function csvHeader(text: string): Map<string, number> | undefined {
  const names = splitCsv(text.replace(/^\uFEFF/, ''));
  if (!names) return undefined;
  const columns = new Map<string, number>();
  names.forEach((n, i) => {
    const name = n.trim();
    if ((LINE_FIELDS as readonly string[]).includes(name) && !columns.has(name)) columns.set(name, i);
  });
  return ['recordId', 'action', 'number', 'personalId'].every((f) => columns.has(f)) ? columns : undefined;
}

/** One CSV record under its header. */
export function parseCsvLine(text: string, header: ReadonlyMap<string, number>, width: number, now: string): ParsedLine {
  const values = splitCsv(text);
  if (!values || values.length !== width) return bad('SUBSCRIBER_LINE_MALFORMED');
  const fields: Record<string, string> = {};
  for (const [name, i] of header) fields[name] = values[i]!.trim();
  return validateLine(fields, now);
}

// ---------------------------------------------------------------------------------------------
// Applying lines

/** The current link of a number. */
export interface NumberOwner {
  number: string;
  personalId: string;
  linkId: string;
  operator: string;
  recordId: string;
  confirmedAt: string;
}

/** A line already accepted under this operator's record ID (what it said). */
export interface KnownRecord {
  action: SubscriberAction;
  number: string;
  personalId: string;
  at: string;
}

export interface LinkEvent {
  personalId: string;
  /** The link: a new ID for `linked`, the link it ends for `ended`. */
  linkId: string;
  kind: 'linked' | 'ended';
  number: string;
  operator: string;
  recordId: string;
  at: string;
  /** Why a link ended: the operator said so, another owner took the number, or it moved operator. */
  reason: 'linked' | 'operator' | 'new_owner' | 'new_operator';
}

/** What the store holds about the lines of a batch, read before they are applied. */
export interface BatchState {
  /** Current owners of the batch's numbers (absent: no owner). Updated in place. */
  owners: Map<string, NumberOwner>;
  /** Personal IDs of the batch that name registered citizens. */
  citizens: ReadonlySet<string>;
  /** The operator's records already accepted, by record ID. Updated in place. */
  records: Map<string, KnownRecord>;
}

export type LineOutcome = 'applied' | 'unchanged' | 'duplicate';

export interface BatchResult {
  events: LinkEvent[];
  /** Records newly accepted (to store with the batch). */
  records: (KnownRecord & { recordId: string; outcome: LineOutcome })[];
  outcomes: ({ lineNo: number; outcome: LineOutcome } | { lineNo: number; problem: LineProblem })[];
  /** Numbers whose owner the batch changed. */
  touched: Set<string>;
}

const sameRecord = (a: KnownRecord, b: KnownRecord) => a.action === b.action && a.number === b.number && a.personalId === b.personalId && a.at === b.at;

/**
 * Applies lines in order to the state read for them. Pure. A line is
 * a duplicate when its record ID was accepted before with the same content (nothing changes), and
 * refused when the record ID was used for something else. New links take their IDs from `newId`.
 */
export function applyLines(state: BatchState, operator: string, lines: readonly { lineNo: number; line: SubscriberLine }[], newId: () => string): BatchResult {
  const result: BatchResult = { events: [], records: [], outcomes: [], touched: new Set() };
  for (const { lineNo, line } of lines) {
    const known = state.records.get(line.recordId);
    const content: KnownRecord = { action: line.action, number: line.number, personalId: line.personalId, at: line.at };
    if (known) {
      result.outcomes.push(sameRecord(known, content) ? { lineNo, outcome: 'duplicate' } : { lineNo, problem: { code: 'SUBSCRIBER_RECORD_ID_REUSED', field: 'recordId' } });
      continue;
    }
    const problem = line.action === 'link' ? link(state, operator, line, newId, result) : end(state, operator, line, result);
    if (typeof problem === 'object') {
      result.outcomes.push({ lineNo, problem });
      continue;
    }
    state.records.set(line.recordId, content);
    result.records.push({ ...content, recordId: line.recordId, outcome: problem });
    result.outcomes.push({ lineNo, outcome: problem });
  }
  return result;
}

function link(state: BatchState, operator: string, line: SubscriberLine, newId: () => string, r: BatchResult): LineOutcome | LineProblem {
  if (!state.citizens.has(line.personalId)) return { code: 'CITIZEN_NOT_FOUND', field: 'personalId' };
  const owner = state.owners.get(line.number);
  if (owner) {
    if (line.at < owner.confirmedAt) return { code: 'SUBSCRIBER_LINK_STALE', field: 'confirmedAt' };
    if (owner.personalId === line.personalId && owner.operator === operator) return 'unchanged';
    const reason = owner.personalId === line.personalId ? 'new_operator' : 'new_owner';
    r.events.push({ personalId: owner.personalId, linkId: owner.linkId, kind: 'ended', number: owner.number, operator: owner.operator, recordId: line.recordId, at: line.at, reason });
  }
  const linkId = newId();
  r.events.push({ personalId: line.personalId, linkId, kind: 'linked', number: line.number, operator, recordId: line.recordId, at: line.at, reason: 'linked' });
  state.owners.set(line.number, { number: line.number, personalId: line.personalId, linkId, operator, recordId: line.recordId, confirmedAt: line.at });
  r.touched.add(line.number);
  return 'applied';
}

function end(state: BatchState, operator: string, line: SubscriberLine, r: BatchResult): LineOutcome | LineProblem {
  const owner = state.owners.get(line.number);
  if (!owner || owner.personalId !== line.personalId) return { code: 'SUBSCRIBER_LINK_NOT_FOUND', field: 'number' };
  if (owner.operator !== operator) return { code: 'SUBSCRIBER_LINK_OTHER_OPERATOR', field: 'number' };
  if (line.at < owner.confirmedAt) return { code: 'SUBSCRIBER_LINK_STALE', field: 'endedAt' };
  r.events.push({ personalId: owner.personalId, linkId: owner.linkId, kind: 'ended', number: owner.number, operator, recordId: line.recordId, at: line.at, reason: 'operator' });
  state.owners.delete(line.number);
  r.touched.add(line.number);
  return 'applied';
}
