/**
 * When a citizen sees an entry about them (issue 13 item 3; decision 0032). Entries are shown at
 * once by default; a competent authority may delay or hide those of a requester:
 * - per requester, by a default decided in advance (e.g. a police investigation connection: hidden),
 *   applying to entries made while it is in force;
 * - per person, by a hold over a period of entries: delayed until a date, or hidden until released.
 * A release is a decision of its own: for a hold, it shows everything the hold covered; for a
 * requester's hidden default, it shows that person's entries made before the release. The
 * inspectors' entries of placing, listing or releasing holds on a person — refused ones too — are
 * kept back until a hold on them has ended after them (see holdActionVisibility). A hold on one
 * person keeps back the whole use from everyone it names (a read naming a suspect and their
 * household is hidden from the household too): see visibilityOf's `coNamed`.
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
  /** When the hold was placed; absent, it counts as in force from the beginning (the safe side). */
  decidedAt?: string | undefined;
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
 * The inspectors' own uses that place, list or release holds on a person, whatever their outcome:
 * shown to that person only once a hold on them has ended after the use — seeing "a hold was
 * placed" (or even "an inspector tried to") would defeat the hold.
 */
export const HOLD_ACTIONS: ReadonlySet<string> = new Set(['placeVisibilityHold', 'listVisibilityHolds', 'releaseVisibilityHold']);

export const NO_RULES: VisibilityRules = { holds: [], releases: [], defaults: [] };

/** One other person's holds and releases (a person named in the same use). */
export interface PersonHolds {
  holds: readonly VisibilityHold[];
  releases: readonly VisibilityRelease[];
}

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

/** When a hold stops keeping entries back: its release, or for a delay its date; undefined while neither. */
export function holdEnd(h: VisibilityHold, releases: readonly VisibilityRelease[], now: string): string | undefined {
  const released = releases.find((r) => r.holdId === h.holdId && r.releasedAt <= now)?.releasedAt;
  const expires = h.kind === 'delayed' ? h.until : undefined;
  if (released === undefined) return expires;
  return expires === undefined || released < expires ? released : expires;
}

/**
 * A hold action's entry (HOLD_ACTIONS) is shown from the first instant T at or after it at which a
 * hold on the person ended and no hold placed by T was still in force. One ended hold is not enough:
 * with a second hold placed meanwhile and still in force, showing "hold placed" would reveal it. Once
 * shown it stays shown (a hold placed later is placed after T). A use with no hold ending after it
 * — a refused first placement, a listing with nothing to list — stays hidden for good: no later
 * decision says it may be shown, and the auditors see it in the log all the same.
 */
export function holdActionVisibility(at: string, holds: readonly VisibilityHold[], releases: readonly VisibilityRelease[], now: string): Visibility {
  // A release recorded after `now` is not known yet; a delay's date may lie ahead (then: until).
  const ends = holds.map((h) => holdEnd(h, releases, now));
  const candidates = [...new Set(ends.filter((t): t is string => t !== undefined && t >= at))].sort();
  for (const t of candidates) {
    const quiet = holds.every((h, i) => (h.decidedAt ?? '') > t || (ends[i] !== undefined && (ends[i] as string) <= t));
    if (!quiet) continue;
    if (t <= now) return { visible: true };
    return { visible: false, until: t };
  }
  return { visible: false };
}

function covers(h: VisibilityHold, e: EntryFacts): boolean {
  return matchesRequester(h.requester, e) && !((h.from !== undefined && e.at < h.from) || (h.to !== undefined && e.at >= h.to));
}

/**
 * Whether the citizen sees the entry at `now`, and if delayed, from when. `coNamed` holds the holds
 * of the other people the same use named (its primary row lists them): a hold on any of them keeps
 * the entry back from this person too, as long as it keeps it back from them.
 */
export function visibilityOf(e: EntryFacts, rules: VisibilityRules, now: string, coNamed: readonly PersonHolds[] = []): Visibility {
  let hidden = false;
  let until: string | undefined;
  const block = (from?: string): void => {
    if (from === undefined) hidden = true;
    else if (now < from && (until === undefined || from > until)) until = from;
  };
  const released = (releases: readonly VisibilityRelease[], holdId: string, before?: string): boolean =>
    releases.some((r) => r.holdId === holdId && r.releasedAt <= now && (before === undefined || before < r.releasedAt));

  const requesters = new Set(rules.defaults.map((d) => d.requester));
  for (const requester of requesters) {
    if (!matchesRequester(requester, e)) continue;
    const d = defaultInForce(rules.defaults, requester, e.at);
    if (!d || d.kind === 'shown' || released(rules.releases, defaultReleaseId(requester), e.at)) continue;
    if (d.kind === 'hidden') block();
    else block(addDays(e.at, d.delayDays ?? 0));
  }
  for (const person of [rules, ...coNamed]) {
    for (const h of person.holds) {
      if (!covers(h, e) || released(person.releases, h.holdId)) continue;
      if (h.kind === 'hidden' || h.until === undefined) block();
      else block(h.until);
    }
  }
  if (e.action !== undefined && HOLD_ACTIONS.has(e.action)) {
    const v = holdActionVisibility(e.at, rules.holds, rules.releases, now);
    if (!v.visible) block(v.until);
  }
  if (hidden) return { visible: false };
  return until === undefined ? { visible: true } : { visible: false, until };
}
