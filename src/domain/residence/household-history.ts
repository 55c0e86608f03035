/**
 * Household history in the same form as citizen history: each version stores {field: [before,
 * after]}; members appear as `member:<personal ID>` with their relationship (null = not a member).
 * Also the kinds of residence events recorded for each person.
 */
import type { Address } from '../citizen/citizen.js';
import type { Relationship } from './household.js';

export interface HouseholdState {
  address: Address;
  headPersonalId: string | null;
  dissolvedAt?: string;
  members: Readonly<Record<string, Relationship>>;
}

export type HouseholdChangeKind =
  | 'create' | 'member_joined' | 'member_left' | 'split' | 'head_changed' | 'relationship_changed'
  | 'identity_data_adjusted' | 'address_renamed' | 'dissolved' | 'seed';

export type FieldChanges = Record<string, [unknown, unknown]>;

/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** What changed from `before` (null: the household is new) to `after`. */
export function diffHouseholds(before: HouseholdState | null, after: HouseholdState): FieldChanges {
  const out: FieldChanges = {};
  if (!same(before?.address, after.address)) out.address = [before?.address ?? null, after.address];
  if (!same(before?.headPersonalId, after.headPersonalId)) out.headPersonalId = [before?.headPersonalId ?? null, after.headPersonalId];
  if (!same(before?.dissolvedAt, after.dissolvedAt)) out.dissolvedAt = [before?.dissolvedAt ?? null, after.dissolvedAt ?? null];
  const ids = new Set([...Object.keys(before?.members ?? {}), ...Object.keys(after.members)]);
  for (const id of [...ids].sort()) {
    const b = before?.members[id] ?? null;
    const a = after.members[id] ?? null;
    if (b !== a) out[`member:${id}`] = [b, a];
  }
  return out;
}

/** What happened to a person's residence data; every event raises their residence revision. */
export type ResidenceEventKind =
  | 'permanent_registered' | 'permanent_ended' | 'temporary_registered' | 'temporary_extended' | 'temporary_ended'
  | 'absence_declared' | 'absence_ended' | 'household_changed' | 'relationship_changed' | 'identity_data_adjusted' | 'address_renamed';
