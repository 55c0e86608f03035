/**
 * Residence choices the law leaves to someone else (a provincial council) or does not make at all.
 * Each is configuration with a default that follows the law: where the law is silent, the default
 * refuses nothing (docs/legal/residence.md, "policy choices"; decision 0023).
 */

export interface ResidencePolicy {
  /**
   * Shortest temporary registration accepted, in days (both ends counted). Art. 27(1) says a stay
   * of 30 days or more MUST be registered, not that a shorter one may not be: 0 = no minimum.
   */
  minTemporaryStayDays: number;
  /** Whether the household head may leave with a split-off group (no article forbids it). */
  headMaySplitOff: boolean;
  /**
   * Minimum floor area per person (m² of floor) for permanent registration in a rented, borrowed or
   * lodged dwelling, by province code (2 digits): the figure each provincial council resolves.
   */
  floorAreaM2ByProvince: Readonly<Record<string, number>>;
}

/** Art. 20(3)(b): "không thấp hơn 08 m2 sàn/người" — the national floor below any council figure. */
export const NATIONAL_MIN_FLOOR_AREA_M2 = 8;

export const DEFAULT_RESIDENCE_POLICY: ResidencePolicy = {
  minTemporaryStayDays: 0,
  headMaySplitOff: true,
  floorAreaM2ByProvince: {},
};

/**
 * The minimum floor area per person in a province: its council's figure, never below the national
 * floor (a council figure under 8 m² would contradict the law, so the law wins).
 */
export function minimumFloorAreaPerPerson(policy: ResidencePolicy, provinceCode: string | undefined): number {
  const local = provinceCode === undefined ? undefined : policy.floorAreaM2ByProvince[provinceCode];
  return Math.max(NATIONAL_MIN_FLOOR_AREA_M2, local ?? 0);
}

/** A policy from partial settings (a JSON file), rejecting values the rules cannot use. */
export function residencePolicyFrom(input: Partial<ResidencePolicy>): ResidencePolicy {
  const p = { ...DEFAULT_RESIDENCE_POLICY, ...input };
  if (!Number.isInteger(p.minTemporaryStayDays) || p.minTemporaryStayDays < 0) throw new RangeError('minTemporaryStayDays is a whole number ≥ 0');
  if (typeof p.headMaySplitOff !== 'boolean') throw new RangeError('headMaySplitOff is true or false');
  for (const [code, m2] of Object.entries(p.floorAreaM2ByProvince)) {
    if (!/^\d{2}$/.test(code) || typeof m2 !== 'number' || !(m2 > 0)) throw new RangeError(`floorAreaM2ByProvince: ${code} → ${String(m2)}`);
  }
  return p;
}
