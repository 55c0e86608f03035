/**
 * Dates as Vietnamese people write them: day/month/year with two-digit day and month (05/03/2024),
 * partial dates as the registry keeps them (03/2024, 2024), and instants in Vietnam's time
 * (UTC+7 all year, no daylight saving) as "08:30 05/03/2024". Pure and locale-independent, so the
 * same text appears in every browser.
 */

const pad = (n: number) => String(n).padStart(2, '0');

const FULL = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const VIETNAM_OFFSET_MS = 7 * 3600_000;

/**
 * A calendar date (YYYY-MM-DD), partial date (YYYY-MM, YYYY) or instant (ISO 8601 with zone) in
 * Vietnamese order. Text that is none of these is returned as it came: a page shows what it got
 * rather than nothing.
 */
export function formatDate(value: string): string {
  const full = FULL.exec(value);
  if (full) return `${full[3]}/${full[2]}/${full[1]}`;
  const month = MONTH.exec(value);
  if (month) return `${month[2]}/${month[1]}`;
  if (YEAR.test(value)) return value;
  if (INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return formatInstantDate(ms);
  }
  return value;
}

/** The day in Vietnam of an instant, dd/mm/yyyy. */
function formatInstantDate(ms: number): string {
  const d = new Date(ms + VIETNAM_OFFSET_MS);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** An instant as "HH:MM dd/mm/yyyy" in Vietnam's time. */
export function formatDateTime(value: string): string {
  if (!INSTANT.test(value)) return formatDate(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const d = new Date(ms + VIETNAM_OFFSET_MS);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${formatInstantDate(ms)}`;
}

/**
 * What a person typed as a date (dd/mm/yyyy, with / . or - between, one or two digits for day and
 * month) as YYYY-MM-DD, or undefined when it is not a real calendar date.
 */
export function parseDate(text: string): string | undefined {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || year < 1) return undefined;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return undefined;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}
