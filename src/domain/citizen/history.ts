/**
 * Citizen history as versions. Each version stores only what changed ({field: [before, after]});
 * the record as it stood at an earlier instant is the current record with the later changes
 * undone, newest first. Version 1 (registration) has no changes to undo.
 */
import { Type, type Static, type TTuple, type TUnknown } from '@sinclair/typebox';
import type { Citizen } from './citizen.js';

export const ChangeSource = Type.Union(
  [
    Type.Literal('officer'),
    Type.Literal('civil_status'),
    Type.Literal('residence'),
    Type.Literal('identity_card'),
    Type.Literal('insurance'),
    Type.Literal('tax'),
    Type.Literal('health'),
    Type.Literal('generator'),
    Type.Literal('system'),
  ],
  { description: 'Where the data came from: an officer, or a provider database' },
);
export type ChangeSource = Static<typeof ChangeSource>;

export const ChangeKind = Type.Union([
  Type.Literal('registerBirth'),
  Type.Literal('update'),
  Type.Literal('recordDeath'),
  Type.Literal('declareMissing'),
  Type.Literal('reissuePersonalId'),
  Type.Literal('seed'),
  Type.Literal('residence'),
]);
export type ChangeKind = Static<typeof ChangeKind>;

/** Field → [value before, value after]; absent values are null. */
export type Changes = Record<string, [unknown, unknown]>;

export const HistoryEntry = Type.Object({
  personalId: Type.String(),
  version: Type.Integer(),
  recordedAt: Type.String({ format: 'date-time' }),
  actorId: Type.String(),
  source: ChangeSource,
  kind: ChangeKind,
  reason: Type.Optional(Type.String()),
  legalBasis: Type.Optional(Type.String()),
  changes: Type.Record(Type.String(), Type.Array(Type.Unknown(), { minItems: 2, maxItems: 2, description: '[value before, value after]' }) as unknown as TTuple<[TUnknown, TUnknown]>),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

/** Who made a change, from where and why — the part of a history entry the caller supplies. */
export interface ChangeRecord {
  actorId: string;
  source: ChangeSource;
  kind: ChangeKind;
  reason?: string;
  legalBasis?: string;
  at: string;
}

/** Fields compared for history: everything but bookkeeping. */
const IGNORED = new Set(['version', 'createdAt', 'updatedAt']);

function canonical(v: unknown): string {
  return JSON.stringify(v ?? null);
}

/** Field-by-field differences between two versions of any record (bookkeeping fields ignored). */
export function diffRecords(before: object, after: object): Changes {
  const changes: Changes = {};
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (IGNORED.has(key)) continue;
    if (canonical(b[key]) !== canonical(a[key])) changes[key] = [b[key] ?? null, a[key] ?? null];
  }
  return changes;
}

export function diffCitizens(before: Citizen, after: Citizen): Changes {
  return diffRecords(before, after);
}

/** Undoes one version's changes. */
export function undoChanges(record: Citizen, changes: Changes): Citizen {
  const out: Record<string, unknown> = { ...record };
  for (const [key, [before]] of Object.entries(changes)) {
    if (before === null || before === undefined) delete out[key];
    else out[key] = before;
  }
  return out as Citizen;
}

/**
 * The record as it stood at `instant`, or undefined if it did not yet exist. `history` holds the
 * versions of this person in any order.
 */
export function citizenAsOf(current: Citizen, history: HistoryEntry[], instant: string): Citizen | undefined {
  if (current.createdAt > instant) return undefined;
  const later = history.filter((h) => h.recordedAt > instant && h.version > 1).sort((a, b) => b.version - a.version);
  let record = current;
  for (const h of later) {
    record = undoChanges(record, h.changes);
    record = { ...record, version: h.version - 1 };
  }
  if (later.length > 0) {
    const previous = history.find((h) => h.version === record.version);
    record = { ...record, updatedAt: previous?.recordedAt ?? record.createdAt };
  }
  return record;
}

/** The record as it stood at a given version (1 = as registered). */
export function citizenAtVersion(current: Citizen, history: HistoryEntry[], version: number): Citizen {
  let record = current;
  for (const h of history.filter((e) => e.version > version).sort((a, b) => b.version - a.version)) {
    record = { ...undoChanges(record, h.changes), version: h.version - 1 };
  }
  const at = history.find((h) => h.version === record.version)?.recordedAt;
  return at && record.version !== current.version ? { ...record, updatedAt: at } : record;
}
