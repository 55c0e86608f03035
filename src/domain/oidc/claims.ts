/**
 * What the OpenID Connect provider releases (decision 0043), pure: the claims by e-ID level, the
 * scopes that ask for them, the `acr` values that name the levels, the level a request demands, and
 * which claims a release holds. No I/O.
 */

/** `acr` values: the e-ID level the citizen signed in with (NĐ 69/2024 levels 1 and 2). */
export const ACR_LEVEL1 = 'urn:dancu:eid:level1';
export const ACR_LEVEL2 = 'urn:dancu:eid:level2';
export const ACR_VALUES = [ACR_LEVEL1, ACR_LEVEL2] as const;

export type Level = 1 | 2;

export function acrOf(level: Level): string {
  return level === 2 ? ACR_LEVEL2 : ACR_LEVEL1;
}

export function levelOfAcr(acr: unknown): Level | undefined {
  return acr === ACR_LEVEL2 ? 2 : acr === ACR_LEVEL1 ? 1 : undefined;
}

/** The claims dancu releases, each with the lowest level that carries it. */
export const CLAIM_LEVELS = {
  name: 1,
  birthdate: 1,
  gender: 1,
  personal_id: 2,
  permanent_residence: 2,
  current_residence: 2,
  household: 2,
  card_status: 2,
} as const satisfies Record<string, Level>;

export type ClaimName = keyof typeof CLAIM_LEVELS;
export const CLAIM_NAMES = Object.keys(CLAIM_LEVELS) as ClaimName[];

export function isClaimName(v: string): v is ClaimName {
  return Object.prototype.hasOwnProperty.call(CLAIM_LEVELS, v);
}

/** Scopes and the claims they ask for (`profile` as OpenID Connect defines it, restricted to what dancu holds). */
export const SCOPE_CLAIMS: Record<string, readonly ClaimName[]> = {
  profile: ['name', 'birthdate', 'gender'],
  personal_id: ['personal_id'],
  residence: ['permanent_residence', 'current_residence'],
  household: ['household'],
  card: ['card_status'],
};

/** The claims a level carries. */
export function claimsOfLevel(level: Level): ClaimName[] {
  return CLAIM_NAMES.filter((c) => CLAIM_LEVELS[c] <= level);
}

/** The plain words a consent page shows for a claim, Vietnamese and English. */
export const CLAIM_WORDS: Record<ClaimName, { vi: string; en: string }> = {
  name: { vi: 'Họ, chữ đệm và tên', en: 'Your full name' },
  birthdate: { vi: 'Ngày, tháng, năm sinh', en: 'Your date of birth' },
  gender: { vi: 'Giới tính', en: 'Your sex' },
  personal_id: { vi: 'Số định danh cá nhân', en: 'Your personal ID number' },
  permanent_residence: { vi: 'Nơi thường trú', en: 'Your permanent residence' },
  current_residence: { vi: 'Nơi ở hiện tại', en: 'Where you live now' },
  household: { vi: 'Hộ gia đình: chủ hộ, các thành viên và quan hệ với chủ hộ', en: 'Your household: its head, its members and how they are related' },
  card_status: { vi: 'Tình trạng thẻ căn cước', en: 'The status of your identity card' },
};

/** A `claims` request parameter (OpenID Connect Core §5.5), as far as dancu reads it. */
export interface ClaimsParameter {
  id_token?: Record<string, unknown> | null;
  userinfo?: Record<string, unknown> | null;
}

/** Reads the `claims` parameter's JSON text; anything malformed asks for nothing. */
export function parseClaimsParameter(text: unknown): ClaimsParameter {
  if (typeof text !== 'string') return {};
  let o: Record<string, unknown> | undefined;
  try {
    o = objectOf(JSON.parse(text));
  } catch {
    return {};
  }
  const idToken = objectOf(o?.id_token);
  const userinfo = objectOf(o?.userinfo);
  return { ...(idToken ? { id_token: idToken } : {}), ...(userinfo ? { userinfo } : {}) };
}

/** A JSON object (not null, not an array), or undefined. */
function objectOf(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The claims the request's scopes stand for. */
function claimsOfScopes(scope: string): Set<ClaimName> {
  const scopes = new Set(scope.split(' '));
  return new Set(CLAIM_NAMES.filter((c) => Object.entries(SCOPE_CLAIMS).some(([s, cs]) => scopes.has(s) && cs.includes(c))));
}

/**
 * The level a request demands: the lowest level among the known `acr` values it lists — in
 * `acr_values` or as the essential `acr` claim of the ID token (its `value` or `values`). Listing
 * only level 2 demands level 2; a request naming no known value demands nothing (level 1).
 * dancu treats `acr_values` as a demand (the issue: never a silent downgrade).
 */
export function demandedLevel(acrValues: unknown, claims: ClaimsParameter): Level {
  // Anything that is not a known acr value (empty, another type, unknown) names no level.
  const listed: unknown[] = [];
  if (typeof acrValues === 'string') listed.push(...acrValues.split(' '));
  const a = objectOf(claims.id_token?.acr);
  if (a?.essential === true) {
    listed.push(a.value);
    if (Array.isArray(a.values)) listed.push(...(a.values as unknown[]));
  }
  const levels = listed.map(levelOfAcr).filter((l): l is Level => l !== undefined);
  if (levels.length === 0) return 1;
  return Math.min(...levels) as Level;
}

/** The dancu claims a request asks for: through its scopes and through the `claims` parameter. */
export function requestedClaims(scope: string, claims: ClaimsParameter): ClaimName[] {
  const byScope = claimsOfScopes(scope);
  return CLAIM_NAMES.filter((c) => byScope.has(c) || Object.hasOwn(claims.id_token ?? {}, c) || Object.hasOwn(claims.userinfo ?? {}, c));
}

/** What a relying party's registration says of a claim. */
export interface ClaimPermission {
  claim: ClaimName;
  required: boolean;
}

/** One line of the consent page: a claim asked for, allowed to the relying party and held at the citizen's level. */
export interface ConsentItem {
  claim: ClaimName;
  required: boolean;
}

/**
 * The consent page's claims: those asked for that the registration allows. A claim the citizen's
 * level does not carry is `missing` (the page cannot offer it); when a required one is missing,
 * the sign-in cannot go on (the relying party gets an error, never a release without it).
 */
export function consentItems(asked: readonly ClaimName[], allowed: readonly ClaimPermission[], level: Level): { items: ConsentItem[]; missingRequired: ClaimName[] } {
  const byName = new Map(allowed.map((p) => [p.claim, p]));
  const items: ConsentItem[] = [];
  const missingRequired: ClaimName[] = [];
  for (const claim of asked) {
    const p = byName.get(claim);
    if (!p) continue;
    if (CLAIM_LEVELS[claim] > level) {
      if (p.required) missingRequired.push(claim);
      continue;
    }
    items.push({ claim, required: p.required });
  }
  return { items, missingRequired };
}

/**
 * The citizen's answer on the consent page: approve with the claims ticked, or cancel. Cancelling,
 * or leaving a required claim unticked, denies the request (`access_denied` to the relying party);
 * otherwise the unticked optional claims are declined and the rest granted.
 */
export function consentOutcome(items: readonly ConsentItem[], decision: string, ticked: readonly string[]): { denied: true; reason: 'cancelled' | 'required-declined' } | { denied: false; granted: ClaimName[]; declined: ClaimName[] } {
  if (decision !== 'approve') return { denied: true, reason: 'cancelled' };
  const yes = new Set(ticked);
  if (items.some((i) => i.required && !yes.has(i.claim))) return { denied: true, reason: 'required-declined' };
  return { denied: false, granted: items.filter((i) => yes.has(i.claim)).map((i) => i.claim), declined: items.filter((i) => !yes.has(i.claim)).map((i) => i.claim) };
}

/**
 * The dancu claims one release holds. An ID token (code flow, OpenID Connect's conforming
 * behaviour) carries only what the `claims` parameter asks of it; the UserInfo answer carries the
 * scopes' claims and what the parameter asks of it. Never a claim the registration does not allow,
 * the level does not carry, or the citizen declined.
 */
export function releasedClaims(use: 'id_token' | 'userinfo', scope: string, asked: Record<string, unknown> | undefined, allowed: readonly ClaimName[], level: Level, rejected: readonly string[]): ClaimName[] {
  const byScope = use === 'userinfo' ? claimsOfScopes(scope) : new Set<ClaimName>();
  const ok = new Set(allowed);
  const no = new Set(rejected);
  return CLAIM_NAMES.filter((c) => (byScope.has(c) || Object.hasOwn(asked ?? {}, c)) && ok.has(c) && CLAIM_LEVELS[c] <= level && !no.has(c));
}
