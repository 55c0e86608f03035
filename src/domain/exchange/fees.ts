/**
 * Charging for data-exchange calls and the monthly statement of an agency.
 * Rules:
 * - A call costs its service's price (whole đồng) only when it was served, outside the connection's
 *   test stage, and neither free nor funded by the state budget; refused calls cost nothing.
 * - Served calls of the test stage (testing connections, synthetic data only) are counted on their
 *   own (testServed) and nowhere else: served × unitPriceVnd = amountVnd holds for what is billed.
 * - The fee is fixed when the call is logged (LogLine.feeVnd); a statement sums logged fees, so a
 *   price change mid-month shows as a line with several prices (unitPriceVnd null).
 * - A statement covers one agency and one local (Vietnam, UTC+07:00) calendar month, by the local
 *   time of each call; services are listed by code (code-unit order).
 * - CSV: RFC 4180 (comma, CRLF, fields quoted when they hold a comma, quote or line break),
 *   amounts as integers, a header line, one line per service and a TOTAL line; test_served is the
 *   last column, so readers of the earlier columns are unaffected. The text is UTF-8;
 *   a caller serving it to spreadsheet users may prepend a BOM.
 */
import { daysInMonth } from '../dates/partial-date.js';
import { instantAt, localTime, VIETNAM_UTC_OFFSET } from '../residence/working-days.js';

export interface ChargeInput {
  /** The service's price, whole đồng. */
  priceVnd: number;
  free: boolean;
  stateBudgetFunded: boolean;
  /** The connection is in its test stage: calls are free. */
  testStage: boolean;
  outcome: 'served' | 'refused';
}

export interface LogLine {
  at: string;
  agencyCode: string;
  connectionId: string;
  service: string;
  outcome: 'served' | 'refused';
  feeVnd: number;
  /** Served in the connection's test stage (absent = no). */
  testStage?: boolean;
  requestId: string;
  logId: string;
}

export interface StatementLine {
  service: string;
  /** Served outside the test stage (billed calls). */
  served: number;
  refused: number;
  /** Served in the test stage: free, counted here only. */
  testServed: number;
  /** The fee every served call was charged; null when served calls were charged at several prices, or none was served. */
  unitPriceVnd: number | null;
  amountVnd: number;
}

export interface Statement {
  agencyCode: string;
  /** YYYY-MM, local month. */
  month: string;
  lines: StatementLine[];
  /** Every call: served, refused and served in the test stage. */
  totalCalls: number;
  totalServed: number;
  totalTestServed: number;
  totalAmountVnd: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/**
 * The first year a statement can cover: nothing is logged before the Unix epoch, and the months of
 * years 0000 and 0001 start before year 1 in UTC, which PostgreSQL cannot compare with (a 500 the
 * fuzz test found for /my-agency/statements/0000-07).
 */
export const FIRST_STATEMENT_YEAR = 1970;

/** A month a statement can be asked for: YYYY-MM, from FIRST_STATEMENT_YEAR on. */
export function isStatementMonth(month: string): boolean {
  const m = MONTH.exec(month);
  return m !== null && Number(m[1]) >= FIRST_STATEMENT_YEAR;
}

function checkAmount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer number of đồng: ${n}`);
}

function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH.exec(month);
  if (!m || Number(m[1]) < FIRST_STATEMENT_YEAR) throw new RangeError(`not a YYYY-MM month: ${month}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** The fee of one call (RangeError when the price is not a non-negative integer). */
export function feeFor(i: ChargeInput): number {
  checkAmount(i.priceVnd, 'priceVnd');
  return i.outcome === 'served' && !i.testStage && !i.free && !i.stateBudgetFunded ? i.priceVnd : 0;
}

/** The local month (YYYY-MM) of an instant. */
export function localMonthOf(instant: string, offset: string = VIETNAM_UTC_OFFSET): string {
  return localTime(instant, offset).day.slice(0, 7);
}

/** UTC ISO instants of the start of the local month and of the next month (half-open range). */
export function monthBounds(month: string, offset: string = VIETNAM_UTC_OFFSET): { from: string; to: string } {
  const { year, month: m } = parseMonth(month);
  const first = `${month}-01`;
  const last = `${month}-${String(daysInMonth(year, m)).padStart(2, '0')}`;
  return { from: instantAt(first, 0, offset), to: instantAt(last, 24 * 60, offset) };
}

interface Accumulator {
  served: number;
  refused: number;
  testServed: number;
  amountVnd: number;
  prices: Set<number>;
}

/** The statement of `agencyCode` for `month` from any log lines (others are skipped). */
export function buildStatement(agencyCode: string, month: string, lines: Iterable<LogLine>, offset: string = VIETNAM_UTC_OFFSET): Statement {
  parseMonth(month);
  const byService = new Map<string, Accumulator>();
  for (const line of lines) {
    if (line.agencyCode !== agencyCode || localMonthOf(line.at, offset) !== month) continue;
    checkAmount(line.feeVnd, 'feeVnd');
    let acc = byService.get(line.service);
    if (!acc) {
      acc = { served: 0, refused: 0, testServed: 0, amountVnd: 0, prices: new Set() };
      byService.set(line.service, acc);
    }
    if (line.outcome === 'served' && line.testStage === true) {
      acc.testServed++;
    } else if (line.outcome === 'served') {
      acc.served++;
      acc.prices.add(line.feeVnd);
    } else {
      acc.refused++;
    }
    acc.amountVnd += line.feeVnd;
  }
  const services = [...byService.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: StatementLine[] = services.map((service) => {
    const acc = byService.get(service) as Accumulator;
    const unitPriceVnd = acc.prices.size === 1 ? ([...acc.prices][0] as number) : null;
    return { service, served: acc.served, refused: acc.refused, testServed: acc.testServed, unitPriceVnd, amountVnd: acc.amountVnd };
  });
  return {
    agencyCode,
    month,
    lines: out,
    totalCalls: out.reduce((s, l) => s + l.served + l.refused + l.testServed, 0),
    totalServed: out.reduce((s, l) => s + l.served, 0),
    totalTestServed: out.reduce((s, l) => s + l.testServed, 0),
    totalAmountVnd: out.reduce((s, l) => s + l.amountVnd, 0),
  };
}

/** One CSV field, quoted per RFC 4180 when needed. */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const STATEMENT_CSV_HEADER = ['agency_code', 'month', 'service', 'served', 'refused', 'unit_price_vnd', 'amount_vnd', 'test_served'] as const;

/** The statement as CSV text (see the module rules). */
export function statementCsv(s: Statement): string {
  const rows: (string | number | null)[][] = [
    [...STATEMENT_CSV_HEADER],
    ...s.lines.map((l) => [s.agencyCode, s.month, l.service, l.served, l.refused, l.unitPriceVnd, l.amountVnd, l.testServed]),
    [s.agencyCode, s.month, 'TOTAL', s.totalServed, s.totalCalls - s.totalServed - s.totalTestServed, null, s.totalAmountVnd, s.totalTestServed],
  ];
  return rows.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}
