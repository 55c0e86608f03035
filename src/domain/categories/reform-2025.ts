/**
 * The 1 July 2025 reform, old unit → new unit (vn-domain §6.4; ADR 0011). Built from the dvhcvn
 * mapping files (LLM-assisted upstream, see reference-data/dvhcvn-2025-mapping/PROVENANCE.md) and
 * checked against our own unit tables; what does not check out is reported and answered as
 * `unknown`, never guessed. Addresses keep their pre-2025 codes: the mapping only changes how an
 * address is shown. Pure: the files come in parsed.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Address, UnitSet } from '../citizen/citizen.js';
import { REFORM_2025_FIRST_DAY, type AdminUnit } from './admin-units.js';
import {
  categoryNameKey,
  findUnit,
  findUnitAnyDate,
  formatAddress,
  unitHistory,
  type Categories,
  type FormattedAddress,
} from './categories.js';

// Upstream shapes (dvhcvn/20250701 mapping/*.json); only the fields we read, extra ones allowed.
const Target = Type.Object({ new_id: Type.String({ pattern: '^\\d{2,5}$' }), name: Type.String() });
const Targets = Type.Array(Target, { minItems: 1 });
const Source = Type.Object({
  old_id: Type.String({ pattern: '^\\d{2,5}$' }),
  name: Type.String(),
  type: Type.Union([Type.Literal('full'), Type.Literal('partial')]),
});
const Sources = Type.Array(Source, { minItems: 1 });

/** splits.json: old → new, per old province; `level2s` only for the five island districts. */
export const SplitsFile = Type.Object({
  data: Type.Array(
    Type.Object({
      level1_id: Type.String({ pattern: '^\\d{2}$' }),
      name: Type.String(),
      splits: Targets,
      level2s: Type.Optional(Type.Array(Type.Object({ level2_id: Type.String(), name: Type.String(), splits: Targets }))),
      level3s: Type.Array(Type.Object({ level3_id: Type.String({ pattern: '^\\d{5}$' }), name: Type.String(), splits: Targets })),
    }),
  ),
});
export type SplitsFile = Static<typeof SplitsFile>;

/** merges.json: new → old, per new province; `type` says whether all of the old unit went there. */
export const MergesFile = Type.Object({
  data: Type.Array(
    Type.Object({
      level1_id: Type.String({ pattern: '^\\d{2}$' }),
      name: Type.String(),
      merges: Sources,
      level2s: Type.Array(Type.Object({ level2_id: Type.String({ pattern: '^\\d{5}$' }), name: Type.String(), merges: Sources })),
    }),
  ),
});
export type MergesFile = Static<typeof MergesFile>;

/**
 * Codes of the mapping that differ from the final GSO list (thanglequoc v3.0.2, our 2025 table).
 * dvhcvn took them from Công văn 1027/CTK-CSCL (25/06/2025), which the final list changed:
 * Xã Ba Chẽ (Quảng Ninh) 06970 → 06978 — 06970 was Thị trấn Ba Chẽ's old code;
 * Xã Ia Mơ (Gia Lai) 23737 → 23938 — 23737 was Xã Ia Mơ Nông's old code, 23938 old Ia Mơ's own.
 * Applied to new-side codes only: as old codes, 06970 and 23737 are the old units named above.
 */
export const NEW_CODE_CORRECTIONS: ReadonlyMap<string, string> = new Map([
  ['06970', '06978'],
  ['23737', '23938'],
]);

/** What one old unit became. `one` may be a province (for an old province or district) or a commune. */
export type Successor =
  | { readonly kind: 'one'; readonly newCode: string; readonly level: AdminUnit['level'] }
  | { readonly kind: 'split'; readonly candidates: readonly string[] }
  | { readonly kind: 'unknown' };

/** Everything in the files that did not check out against our unit tables (all lists sorted). */
export interface ReformMappingReport {
  /** Corrections applied (NEW_CODE_CORRECTIONS) and how many old → new links of splits.json each changed. */
  readonly corrected: readonly { readonly from: string; readonly to: string; readonly links: number }[];
  /** Old codes in the files that our pre-2025 table lacks; left out of the mapping. */
  readonly oldCodesNotInUnits: readonly string[];
  /** Our pre-2025 provinces and communes the files do not map (districts follow their province). */
  readonly unitsNotInMapping: readonly string[];
  /** New codes (after corrections) that our 2025 table lacks. */
  readonly newCodesNotInUnits: readonly string[];
  /** Our 2025 units that no old unit maps to. */
  readonly newUnitsNotInMapping: readonly string[];
  /** Old codes on which splits.json and merges.json disagree (targets, or one/full vs split/partial). */
  readonly inconsistent: readonly string[];
  /** Old → new links leaving the new province that took over the old one's province. */
  readonly outsideProvince: readonly { readonly oldCode: string; readonly newCode: string }[];
  /** Codes whose upstream name is not ours even after folding (a hint of a mistyped code). */
  readonly nameMismatches: readonly { readonly unitSet: UnitSet; readonly code: string; readonly ours: string; readonly upstream: string }[];
}

export interface ReformMapping {
  /** Old code (2, 3 or 5 digits, pre-2025 set) → successor; only codes our pre-2025 table has. */
  readonly successors: ReadonlyMap<string, Successor>;
  /** Old province code → new province code (from the province-level merges). */
  readonly newProvinceOf: ReadonlyMap<string, string>;
  readonly report: ReformMappingReport;
}

const UNKNOWN: Successor = { kind: 'unknown' };
const fix = (code: string): string => NEW_CODE_CORRECTIONS.get(code) ?? code;
const pre = (cats: Categories, code: string): AdminUnit | undefined => unitHistory(cats, 'pre2025', code)[0];
const post = (cats: Categories, code: string): AdminUnit | undefined => unitHistory(cats, '2025', code)[0];

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Builds and checks the mapping. Never throws on content: an old unit whose entry fails a check
 * (unknown new code, files disagreeing, a target outside its new province) gets `unknown`, and the
 * failure is listed in `report`. An entry is kept or dropped whole: dropping one candidate of a
 * split could turn it into a `one`, which would be a guess.
 */
export function buildReformMapping(splits: SplitsFile, merges: MergesFile, cats: Categories): ReformMapping {
  // Old code → new codes, from both files; upstream names kept for the name check (old and new
  // apart: codes were reused, 00004 is Trúc Bạch on one side and Ba Đình on the other).
  const forward = new Map<string, string[]>();
  const backward = new Map<string, { code: string; full: boolean }[]>();
  const oldNames = new Map<string, string>();
  const newNames = new Map<string, string>();
  const duplicates = new Set<string>();
  const corrected = new Map<string, number>();
  const link = (oldCode: string, rawNew: string): void => {
    const newCode = fix(rawNew);
    if (newCode !== rawNew) corrected.set(rawNew, (corrected.get(rawNew) ?? 0) + 1);
    addTo(forward, oldCode, newCode);
  };
  for (const p of splits.data) {
    for (const t of p.splits) link(p.level1_id, t.new_id);
    for (const u of [...(p.level2s ?? []), ...p.level3s]) {
      const oldCode = 'level3_id' in u ? u.level3_id : u.level2_id;
      if (forward.has(oldCode)) duplicates.add(oldCode);
      for (const t of u.splits) {
        link(oldCode, t.new_id);
        newNames.set(fix(t.new_id), t.name);
      }
      oldNames.set(oldCode, u.name);
    }
  }
  const newProvinceOf = new Map<string, string>();
  for (const p of merges.data) {
    for (const s of p.merges) {
      addTo(backward, s.old_id, { code: p.level1_id, full: s.type === 'full' });
      newProvinceOf.set(s.old_id, p.level1_id);
    }
    for (const n of p.level2s) for (const s of n.merges) addTo(backward, s.old_id, { code: fix(n.level2_id), full: s.type === 'full' });
  }

  const successors = new Map<string, Successor>();
  const oldNotInUnits: string[] = [];
  const newNotInUnits = new Set<string>();
  const inconsistent: string[] = [];
  const outside: { oldCode: string; newCode: string }[] = [];
  const mismatches: { unitSet: UnitSet; code: string; ours: string; upstream: string }[] = [];
  const reached = new Set<string>();

  for (const [oldCode, targets] of forward) {
    const old = pre(cats, oldCode);
    if (!old) {
      oldNotInUnits.push(oldCode);
      continue;
    }
    const back = backward.get(oldCode) ?? [];
    const agree =
      !duplicates.has(oldCode) &&
      back.length === targets.length &&
      new Set(targets).size === targets.length &&
      back.every((b) => targets.includes(b.code) && b.full === (targets.length === 1));
    const newUnits = targets.map((code) => post(cats, code));
    const expectedProvince = newProvinceOf.get(old.provinceCode);
    let ok = agree;
    if (!agree) inconsistent.push(oldCode);
    targets.forEach((code, i) => {
      const unit = newUnits[i];
      if (!unit) {
        newNotInUnits.add(code);
        ok = false;
      } else if (unit.provinceCode !== expectedProvince) {
        outside.push({ oldCode, newCode: code });
        ok = false;
      } else reached.add(code);
    });
    const name = oldNames.get(oldCode);
    if (name !== undefined && categoryNameKey(name) !== categoryNameKey(old.fullName)) {
      mismatches.push({ unitSet: 'pre2025', code: oldCode, ours: old.fullName, upstream: name });
    }
    const first = newUnits[0];
    if (!ok || !first) successors.set(oldCode, UNKNOWN);
    else if (targets.length === 1) successors.set(oldCode, { kind: 'one', newCode: first.code, level: first.level });
    else successors.set(oldCode, { kind: 'split', candidates: [...targets].sort() });
  }
  for (const code of backward.keys()) if (!forward.has(code) && pre(cats, code)) inconsistent.push(code);
  for (const [code, name] of newNames) {
    const unit = post(cats, code);
    if (unit && categoryNameKey(name) !== categoryNameKey(unit.fullName)) {
      mismatches.push({ unitSet: '2025', code, ours: unit.fullName, upstream: name });
    }
  }

  // Districts: the island districts have their own entry (each became one đặc khu); every other
  // district goes to the new province that took over its province: the district tier is gone.
  const unitsNotInMapping: string[] = [];
  const newUnitsNotInMapping: string[] = [];
  for (const rows of cats.unitRows.values()) {
    const u = rows[0];
    if (!u) continue;
    if (u.unitSet === '2025') {
      if (!reached.has(u.code)) newUnitsNotInMapping.push(u.code);
    } else if (!successors.has(u.code)) {
      const province = u.level === 'district' ? successors.get(u.provinceCode) : undefined;
      if (province) successors.set(u.code, province);
      else unitsNotInMapping.push(u.code);
    }
  }

  const sorted = (codes: Iterable<string>): string[] => [...codes].sort();
  return {
    successors,
    newProvinceOf,
    report: {
      corrected: sorted(corrected.keys()).map((from) => ({ from, to: fix(from), links: corrected.get(from) ?? 0 })),
      oldCodesNotInUnits: sorted(oldNotInUnits),
      unitsNotInMapping: sorted(unitsNotInMapping),
      newCodesNotInUnits: sorted(newNotInUnits),
      newUnitsNotInMapping: sorted(newUnitsNotInMapping),
      inconsistent: sorted(inconsistent),
      outsideProvince: outside.sort((a, b) => a.oldCode.localeCompare(b.oldCode)),
      nameMismatches: mismatches.sort((a, b) => a.code.localeCompare(b.code) || a.unitSet.localeCompare(b.unitSet)),
    },
  };
}

/** What an old (pre-2025) province, district or commune code became. */
export function successorsOf(mapping: ReformMapping, oldCode: string): Successor {
  return mapping.successors.get(oldCode) ?? UNKNOWN;
}

export type ReformReading =
  /** Not a pre-2025 address read on or after 2025-07-01: shown as formatAddress shows it. */
  | { readonly mapped: 'none' }
  /** One successor: `presented` is the address as shown (2025 unit, same detail); never stored. */
  | { readonly mapped: 'one'; readonly newUnitCode: string; readonly newUnitLevel: AdminUnit['level']; readonly presented: Address }
  /** Split: the text keeps the old names; an officer must pick among the candidates. */
  | { readonly mapped: 'split'; readonly candidates: readonly { readonly code: string; readonly fullName: string }[] }
  /** No trustworthy successor: the text keeps the old names. */
  | { readonly mapped: 'unknown' };

export type PresentedAddress = {
  /** The address as given, the same object, unchanged: history is never rewritten. */
  readonly original: Address;
  readonly text: string;
  readonly formatted: FormattedAddress;
} & ReformReading;

/**
 * An address as it reads on `date`. A `pre2025` address read on or after 2025-07-01 is shown with
 * its successor's names when there is exactly one; otherwise with its old names and the reason.
 * Addresses without a unit set are not mapped (a bare code may be old or new: ADR 0003).
 */
export function presentAddress(mapping: ReformMapping, cats: Categories, address: Address, date: string): PresentedAddress {
  const plain = (mapped: { mapped: 'none' } | { mapped: 'unknown' }): PresentedAddress => {
    const formatted = formatAddress(cats, address, date);
    return { original: address, text: formatted.text, formatted, ...mapped };
  };
  const abroad = address.country !== undefined && address.country !== 'VN';
  if (address.unitSet !== 'pre2025' || address.unitCode === undefined || abroad || date < REFORM_2025_FIRST_DAY) {
    return plain({ mapped: 'none' });
  }
  const successor = successorsOf(mapping, address.unitCode);
  if (successor.kind === 'one') {
    const presented: Address = { ...address, unitSet: '2025', unitCode: successor.newCode };
    const formatted = formatAddress(cats, presented, date);
    return {
      original: address,
      text: formatted.text,
      formatted,
      mapped: 'one',
      newUnitCode: successor.newCode,
      newUnitLevel: successor.level,
      presented,
    };
  }
  if (successor.kind === 'unknown') return plain({ mapped: 'unknown' });
  const formatted = formatAddress(cats, address, date);
  const candidates = successor.candidates.map((code) => {
    const unit = findUnit(cats, '2025', code, date) ?? findUnitAnyDate(cats, '2025', code);
    return { code, fullName: unit?.fullName ?? code };
  });
  return { original: address, text: formatted.text, formatted, mapped: 'split', candidates };
}
