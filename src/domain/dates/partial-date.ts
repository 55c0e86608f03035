/**
 * Dates as the registers hold them: a full date (YYYY-MM-DD), a month and year (YYYY-MM) or a
 * year only (YYYY). The precision is the shape of the string, so it is never stored twice.
 */
export type DatePrecision = 'day' | 'month' | 'year';

const SHAPE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function precisionOf(date: string): DatePrecision {
  return date.length === 10 ? 'day' : date.length === 7 ? 'month' : 'year';
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

/** True when the string is a real calendar date of one of the three precisions (year ≥ 1800). */
export function isValidPartialDate(date: string): boolean {
  const m = SHAPE.exec(date);
  if (!m) return false;
  const y = Number(m[1]);
  if (y < 1800) return false;
  if (m[2] === undefined) return true;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return false;
  if (m[3] === undefined) return true;
  const d = Number(m[3]);
  return d >= 1 && d <= daysInMonth(y, mo);
}

/** True when a full date string is a valid calendar date. */
export function isValidFullDate(date: string): boolean {
  return date.length === 10 && isValidPartialDate(date);
}

/** The earliest full date a partial date can stand for ("1990" → "1990-01-01"). */
export function earliestDay(date: string): string {
  if (date.length === 10) return date;
  if (date.length === 7) return `${date}-01`;
  return `${date}-01-01`;
}

/**
 * The forms under which a person born on `query` may be recorded: a search for 1990-05-12 must also
 * find people whose register only holds 1990-05 or 1990.
 */
export function coarserForms(query: string): string[] {
  const forms = [query];
  if (query.length >= 7) forms.push(query.slice(0, 4));
  if (query.length === 10) forms.push(query.slice(0, 7));
  return forms;
}

/** The calendar date (UTC) of an instant, as YYYY-MM-DD. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Compares two partial dates by their earliest day; usable with Array.prototype.sort. */
export function comparePartialDates(a: string, b: string): number {
  const x = earliestDay(a);
  const y = earliestDay(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A (partial) date as Vietnamese documents print it: dd/mm/yyyy, mm/yyyy or yyyy. */
export function dateVi(date: string): string {
  const [y, m, d] = date.split('-');
  return d ? `${d}/${m}/${y}` : m ? `${m}/${y}` : y!;
}
