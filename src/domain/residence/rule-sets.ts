/**
 * Dated rule sets: the processing periods of residence procedures as each text in force set them.
 * An application is judged by the law in force on the day it was received, so a file received the
 * day before a change keeps the old period. Sources and quotations: docs/legal/residence.md.
 */
import type { WorkingPeriod } from './working-days.js';

export interface ResidencePeriods {
  permanentRegistration: WorkingPeriod;
  temporaryRegistration: WorkingPeriod;
  temporaryResidenceExtension: WorkingPeriod;
  householdSplit: WorkingPeriod;
  informationAdjustment: WorkingPeriod;
  deregistration: WorkingPeriod;
  absenceDeclaration: WorkingPeriod;
  absenceDeclarationComplex: WorkingPeriod;
  residenceConfirmation: WorkingPeriod;
  residenceConfirmationNotInDatabase: WorkingPeriod;
}

export interface ResidenceRuleSet {
  /** First day (local, inclusive) on which an application received falls under this set. */
  from: string;
  /** The texts that set these values, for the record of each application. */
  basis: string;
  periods: ResidencePeriods;
}

/** Luật Cư trú 2020 (in force 01/07/2021) with TT 55/2021; deregistration 3 days: a dancu choice (no text found). */
const LAW_2020: ResidenceRuleSet = {
  from: '2021-07-01',
  basis: 'Luật Cư trú 68/2020/QH14 Art. 22(3), 25(3), 26, 28(2)–(3), 31; TT 55/2021/TT-BCA Art. 17',
  periods: {
    permanentRegistration: { days: 7 },
    temporaryRegistration: { days: 3 },
    temporaryResidenceExtension: { days: 3 },
    householdSplit: { days: 5 },
    informationAdjustment: { days: 3 },
    deregistration: { days: 3 },
    absenceDeclaration: { days: 1 },
    absenceDeclarationComplex: { days: 2 },
    residenceConfirmation: { days: 0.5 },
    residenceConfirmationNotInDatabase: { days: 3 },
  },
};

/** NĐ 58/2026/NĐ-CP (in force 15/03/2026) Art. 4(6): deregistration within 01 working day. */
const DECREE_58_2026: ResidenceRuleSet = {
  from: '2026-03-15',
  basis: 'NĐ 58/2026/NĐ-CP Art. 4 (amending NĐ 154/2024/NĐ-CP Art. 9–10)',
  periods: { ...LAW_2020.periods, deregistration: { days: 1 } },
};

/** Oldest first; each set applies from its `from` until the next one's. */
export const RESIDENCE_RULE_SETS: readonly ResidenceRuleSet[] = [LAW_2020, DECREE_58_2026];

/**
 * The rule set in force on `receivedOn` (YYYY-MM-DD). A day before the first set still gets the
 * first: the registry holds no older law, and those files were decided long ago.
 */
export function ruleSetOn(receivedOn: string, sets: readonly ResidenceRuleSet[] = RESIDENCE_RULE_SETS): ResidenceRuleSet {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedOn)) throw new RangeError(`not a YYYY-MM-DD day: ${receivedOn}`);
  let found = sets[0];
  if (!found) throw new RangeError('no rule set');
  for (const s of sets) if (s.from <= receivedOn) found = s;
  return found;
}
