/**
 * The counter check's answer read for the officer (pure): what the verdict means, which fields of
 * the card's QR differ from the registry, and whether the card is usable today.
 */

export type Verdict = 'authentic' | 'outdated' | 'altered' | 'unknown_card' | 'unknown_person';

export interface FieldComparison {
  field: string;
  matches: boolean;
  qr: string | null;
  registry: string | null;
  note?: string;
  matchesAtIssue?: boolean;
}

export type Tone = 'good' | 'warn' | 'bad';

/** authentic: the card is as issued and the registry agrees; outdated: as issued, but the registry has moved on since; the rest: do not accept. */
export function verdictTone(verdict: Verdict): Tone {
  if (verdict === 'authentic') return 'good';
  if (verdict === 'outdated') return 'warn';
  return 'bad';
}

/**
 * Why each differing field differs: changed since the card was issued (the card was right then:
 * outdated, not forged) or never matched (altered).
 */
export type Difference = 'changed_since_issue' | 'never_matched';

export interface FieldDifference {
  field: string;
  difference: Difference;
}

export function differences(fields: readonly FieldComparison[]): FieldDifference[] {
  return fields.filter((f) => !f.matches).map((f) => ({ field: f.field, difference: f.matchesAtIssue === true ? 'changed_since_issue' : 'never_matched' }));
}

export type CardStatus = 'valid' | 'expired' | 'lost' | 'revoked' | 'replaced' | string;

/** A card is accepted at the counter today only when valid. */
export function cardUsable(status: CardStatus | undefined): boolean {
  return status === 'valid';
}
