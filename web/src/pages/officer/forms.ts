/** What the officer types, read (pure): lines of a list, and the citizen search's query. */
import { parseDate } from '../../format/date.js';

/** The lines a person typed, each trimmed, blank ones dropped (reasons, documents). */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export interface SearchInput {
  name: string;
  dateOfBirth: string;
  personalId: string;
  legacyIdNumber: string;
}

export type SearchQuery = { personalId: string } | { legacyIdNumber: string } | { name: string; dateOfBirth?: string };

/**
 * The search the officer means: a personal ID (12 digits) or a CMND number (9 digits) alone, else a
 * name (part of one) with, when given, the date of birth dd/mm/yyyy or the year. A date that is
 * not a date is an error ('dateOfBirth'); nothing usable is 'empty'.
 */
export function searchQueryOf(input: SearchInput): { ok: true; query: SearchQuery } | { ok: false; error: 'dateOfBirth' | 'empty' } {
  const personalId = input.personalId.replace(/\s+/g, '');
  if (/^\d{12}$/.test(personalId)) return { ok: true, query: { personalId } };
  const legacy = input.legacyIdNumber.replace(/\s+/g, '');
  if (/^\d{9}$/.test(legacy)) return { ok: true, query: { legacyIdNumber: legacy } };
  const name = input.name.normalize('NFC').trim().replace(/\s+/g, ' ');
  const dob = input.dateOfBirth.trim();
  let dateOfBirth: string | undefined;
  if (dob !== '') {
    dateOfBirth = /^\d{4}$/.test(dob) ? dob : parseDate(dob);
    if (dateOfBirth === undefined) return { ok: false, error: 'dateOfBirth' };
  }
  if (name === '') return { ok: false, error: 'empty' };
  return { ok: true, query: dateOfBirth ? { name, dateOfBirth } : { name } };
}

/**
 * Which household the head question is about: a residence file number (HS…), the household of a
 * member given by personal ID, or — left empty — the person's own household.
 */
export function householdQueryOf(personalId: string, text: string): { householdId: string } | { memberPersonalId: string } | undefined {
  const t = text.replace(/\s+/g, '').toUpperCase();
  if (t === '') return { memberPersonalId: personalId };
  if (/^\d{12}$/.test(t)) return { memberPersonalId: t };
  if (/^HS\d{5}[0-9A-Z]{8}$/.test(t)) return { householdId: t };
  return undefined;
}
