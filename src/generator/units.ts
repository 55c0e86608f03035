/**
 * Administrative units as the generator uses them: provinces of both unit sets with their communes,
 * weighted by commune count (a rough stand-in for population that needs no extra input).
 */
import { idProvinceCode } from '../domain/identity/personal-id.js';
import { type Random, WeightedTable } from './random.js';

export interface UnitLists {
  pre2025Provinces: { code: string; communes: string[] }[];
  provinces2025: { code: string; communes: string[] }[];
}

/**
 * The generator's unit lists from administrative-unit rows (e.g. loadReferenceData().adminUnits):
 * communes grouped by province per unit set, each code once (a code re-dated in 2026 is one commune).
 */
export function unitListsFrom(
  rows: readonly { unitSet: 'pre2025' | '2025'; level: string; code: string; provinceCode: string }[],
): UnitLists {
  const group = (unitSet: 'pre2025' | '2025'): UnitLists['provinces2025'] => {
    const byProvince = new Map<string, Set<string>>();
    for (const r of rows) {
      if (r.unitSet !== unitSet) continue;
      if (r.level === 'province' && !byProvince.has(r.code)) byProvince.set(r.code, new Set());
      if (r.level !== 'commune') continue;
      let communes = byProvince.get(r.provinceCode);
      if (communes === undefined) byProvince.set(r.provinceCode, (communes = new Set()));
      communes.add(r.code);
    }
    return [...byProvince]
      .filter(([, communes]) => communes.size > 0)
      .map(([code, communes]) => ({ code, communes: [...communes] }));
  };
  return { pre2025Provinces: group('pre2025'), provinces2025: group('2025') };
}

export interface ProvinceUnits {
  code: string; // 2 digits
  idCode: string; // "0" + code: the PPP part of personal IDs (vn-domain §2.4)
  communes: readonly string[]; // 5-digit codes
  /**
   * For a pre-2025 province, the 2025 province that reuses its code, if any (vn-domain §6.4): a family
   * registered in an old province usually lives in the new one that kept the code. Old provinces
   * whose code disappeared get no fixed successor (the merger mapping is not part of the input).
   */
  successor?: ProvinceUnits;
}

function clean(list: UnitLists['provinces2025'], what: string): ProvinceUnits[] {
  if (list.length === 0) throw new RangeError(`units.${what} must not be empty`);
  return list.map((p) => {
    if (!/^\d{2}$/.test(p.code)) throw new RangeError(`units.${what}: province code "${p.code}" is not 2 digits`);
    if (p.communes.length === 0) throw new RangeError(`units.${what}: province ${p.code} has no communes`);
    for (const c of p.communes) {
      if (!/^\d{5}$/.test(c)) throw new RangeError(`units.${what}: commune code "${c}" is not 5 digits`);
    }
    return { code: p.code, idCode: idProvinceCode(p.code), communes: p.communes };
  });
}

export class UnitPools {
  readonly pre: ProvinceUnits[];
  readonly post: ProvinceUnits[];
  private readonly preTable: WeightedTable;
  private readonly postTable: WeightedTable;

  constructor(units: UnitLists) {
    this.pre = clean(units.pre2025Provinces, 'pre2025Provinces');
    this.post = clean(units.provinces2025, 'provinces2025');
    this.preTable = new WeightedTable(this.pre.map((p) => p.communes.length));
    this.postTable = new WeightedTable(this.post.map((p) => p.communes.length));
    const byCode = new Map(this.post.map((p) => [p.code, p]));
    for (const p of this.pre) {
      const next = byCode.get(p.code);
      if (next !== undefined) p.successor = next;
    }
  }

  randomPre(rng: Random): ProvinceUnits {
    return this.pre[rng.weighted(this.preTable)]!;
  }

  randomPost(rng: Random): ProvinceUnits {
    return this.post[rng.weighted(this.postTable)]!;
  }

  /** The 2025 province a family from `pre` lives in. */
  postFor(rng: Random, pre: ProvinceUnits): ProvinceUnits {
    return pre.successor ?? this.randomPost(rng);
  }

  commune(rng: Random, p: ProvinceUnits): string {
    return p.communes[rng.int(p.communes.length)]!;
  }

  /** Every PPP code an ID from this input can carry (for validatePersonalId). */
  idProvinceCodes(): Set<string> {
    return new Set([...this.pre, ...this.post].map((p) => p.idCode));
  }
}
