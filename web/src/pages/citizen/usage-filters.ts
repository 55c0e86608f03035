/**
 * The usage view's filters as typed (dates dd/mm/yyyy, a kind of user) → the /me/usage query:
 * a day's start and end in Vietnam's time (UTC+7), or which field is wrong. Pure (test/web).
 */
import { parseDate } from '../../format/date.js';

export const USAGE_KINDS = ['exchange', 'officer', 'inspector', 'system', 'citizen'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export interface TypedFilters {
  from: string;
  to: string;
  kind: string;
}
export interface UsageQuery {
  from?: string;
  to?: string;
  kind?: UsageKind;
}
/** 'date': not a real dd/mm/yyyy date; 'order': the period ends before it starts. */
export type FilterError = 'date' | 'order';
export type FilterResult = { ok: true; query: UsageQuery } | { ok: false; errors: { from?: FilterError; to?: FilterError } };

export const isUsageKind = (k: string): k is UsageKind => (USAGE_KINDS as readonly string[]).includes(k);

export function usageQuery(typed: TypedFilters): FilterResult {
  const from = typed.from.trim() === '' ? undefined : parseDate(typed.from) ?? null;
  const to = typed.to.trim() === '' ? undefined : parseDate(typed.to) ?? null;
  const errors: { from?: FilterError; to?: FilterError } = {};
  if (from === null) errors.from = 'date';
  if (to === null) errors.to = 'date';
  // Days as YYYY-MM-DD compare as text.
  if (from && to && to < from) errors.to = 'order';
  if (errors.from || errors.to) return { ok: false, errors };
  return {
    ok: true,
    query: {
      ...(from ? { from: `${from}T00:00:00+07:00` } : {}),
      ...(to ? { to: `${to}T23:59:59.999+07:00` } : {}),
      ...(isUsageKind(typed.kind) ? { kind: typed.kind } : {}),
    },
  };
}
