/**
 * When a citizen sees an entry about them (issue 13 item 3; decision 0032). Entries are shown at
 * once by default; a competent authority may delay or hide those of a requester:
 * - per requester, by a default decided in advance (e.g. a police investigation connection: hidden),
 *   applying to entries made while it is in force;
 * - per person, by a hold over a period of entries: delayed until a date, or hidden until released.
 * A release is a decision of its own: for a hold, it shows everything the hold covered; for a
 * requester's hidden default, it shows that person's entries made before the release. The
 * inspectors' entries of placing or releasing holds on a person are kept back while any hold on
 * them is in force.
 *
 * Entries themselves never change (they are leaves of the transparency log): visibility is computed
 * from these decisions, which are committed rows of their own. Pure: `now` is given.
 */

/** Who made the entry: `agency:<code>`, `connection:<id>`, `unit:<unit>` or `principal:<id>`. */
export type Requester = string;

export const REQUESTER = /^(agency|connection|unit|principal):[^\s]{1,120}$/;

export interface EntryFacts {
  at: string;
  action?: string | undefined;
  agencyCode?: string | undefined;
  connectionId?: string | undefined;
  unit?: string | undefined;
  principalId?: string | undefined;
}

export interface VisibilityHold {
  holdId: string;
  requester: Requester;
  /** The entries covered: made at or after `from`, before `to` (either bound may be open). */
  from?: string | undefined;
  to?: string | undefined;
  kind: 'delayed' | 'hidden';
  /** For a delay: the instant from which the covered entries are shown. */
  until?: string | undefined;
}

export interface VisibilityDefault {
  requester: Requester;
  seq: number;
  kind: 'shown' | 'delayed' | 'hidden';
  /** For a delay: how many days after the entry it is shown. */
  delayDays?: number | undefined;
  decidedAt: string;
}

export interface VisibilityRelease {
  /** The hold released, or `default:<requester>` for a requester's hidden default. */
  holdId: string;
  releasedAt: string;
}

export interface VisibilityRules {
  holds: readonly VisibilityHold[];
  releases: readonly VisibilityRelease[];
  defaults: readonly VisibilityDefault[];
}

/**
 * The inspectors' own uses that place, list or release holds on a person: shown to that person only
 * when no hold on them is in force — seeing "a hold was placed" would defeat the hold.
 */
export const HOLD_ACTIONS: ReadonlySet<string> = new Set(['placeVisibilityHold', 'listVisibilityHolds', 'releaseVisibilityHold']);

export const NO_RULES: VisibilityRules = { holds: [], releases: [], defaults: [] };

export type Visibility = { visible: true } | { visible: false; until?: string };

export function defaultReleaseId(requester: Requester): string {
  return `default:${requester}`;
}

export function matchesRequester(requester: Requester, e: EntryFacts): boolean {
  const i = requester.indexOf(':');
  const kind = requester.slice(0, i);
  const value = requester.slice(i + 1);
  if (kind === 'agency') return e.agencyCode === value;
  if (kind === 'connection') return e.connectionId === value;
  if (kind === 'unit') return e.unit === value;
  if (kind === 'principal') return e.principalId === value;
  return false;
}

export function addDays(instant: string, days: number): string {
  return new Date(Date.parse(instant) + days * 86_400_000).toISOString();
}

/** The default of a requester in force when the entry was made (the latest decided by then). */
export function defaultInForce(defaults: readonly VisibilityDefault[], requester: Requester, at: string): VisibilityDefault | undefined {
  let found: VisibilityDefault | undefined;
  for (const d of defaults) {
    if (d.requester !== requester || d.decidedAt > at) continue;
    if (!found || d.seq > found.seq) found = d;
  }
  return found;
}

/** Whether the citizen sees the entry at `now`, and if delayed, from when. */
export function visibilityOf(e: EntryFacts, rules: VisibilityRules, now: string): Visibility {
  let hidden = false;
  let until: string | undefined;
  const block = (from?: string): void => {
    if (from === undefined) hidden = true;
    else if (now < from && (until === undefined || from > until)) until = from;
  };
  const released = (holdId: string, before?: string): boolean =>
    rules.releases.some((r) => r.holdId === holdId && r.releasedAt <= now && (before === undefined || before < r.releasedAt));

  const requesters = new Set(rules.defaults.map((d) => d.requester));
  for (const requester of requesters) {
    if (!matchesRequester(requester, e)) continue;
    const d = defaultInForce(rules.defaults, requester, e.at);
    if (!d || d.kind === 'shown' || released(defaultReleaseId(requester), e.at)) continue;
    if (d.kind === 'hidden') block();
    else block(addDays(e.at, d.delayDays ?? 0));
  }
  const aboutHolds = e.action !== undefined && HOLD_ACTIONS.has(e.action);
  for (const h of rules.holds) {
    const covered = matchesRequester(h.requester, e) && !((h.from !== undefined && e.at < h.from) || (h.to !== undefined && e.at >= h.to));
    if (!covered && !aboutHolds) continue;
    if (released(h.holdId)) continue;
    if (h.kind === 'hidden' || h.until === undefined) block();
    else block(h.until);
  }
  if (hidden) return { visible: false };
  return until === undefined ? { visible: true } : { visible: false, until };
}
