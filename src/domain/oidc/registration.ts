/**
 * A relying party's registration, checked before it is stored (decision 0043), pure: redirect URIs
 * (https, or plain http to this machine's loopback for tests and the demo; no fragment, no
 * credentials), one host for a pairwise client's redirect URIs (its sector), the claims it may ask
 * for (known, once each, within the level it may ask for). The key set is checked by the exchange's
 * own rule (domain/exchange/agency.ts: public keys only).
 */
import { CLAIM_LEVELS, isClaimName, type ClaimPermission, type Level } from './claims.js';

export const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why a redirect URI is refused, or undefined when it is acceptable. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > MAX_URI_LENGTH) return 'longer than 2000 characters';
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return 'not an absolute URL';
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname))) return 'must use https (plain http only to 127.0.0.1 or localhost)';
  // An empty fragment ("…/cb#") leaves u.hash empty: the text decides.
  if (uri.includes('#')) return 'must not have a fragment';
  if (u.username !== '' || u.password !== '') return 'must not carry credentials';
  return undefined;
}

/** The problems of a list of redirect URIs (field paths as in the request body). */
export function redirectUrisProblems(field: string, uris: readonly string[], atLeastOne: boolean): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (atLeastOne && uris.length === 0) out.push({ field, message: 'at least one is needed' });
  if (uris.length > MAX_REDIRECT_URIS) out.push({ field, message: `at most ${MAX_REDIRECT_URIS}` });
  uris.forEach((u, i) => {
    const p = redirectUriProblem(u);
    if (p) out.push({ field: `${field}/${i}`, message: p });
  });
  if (new Set(uris).size !== uris.length) out.push({ field, message: 'a URI is listed twice' });
  return out;
}

/** A pairwise client's sector: the one host of its redirect URIs (two hosts would need a sector document). */
export function sectorHostProblem(uris: readonly string[]): string | undefined {
  const hosts = new Set(uris.map((u) => (URL.canParse(u) ? new URL(u).host : u)));
  return hosts.size > 1 ? 'the redirect URIs of a pairwise client must share one host (its sector)' : undefined;
}

/** The problems of the claims a registration allows. */
export function claimPermissionsProblems(claims: readonly { claim: string; required: boolean }[], maxLevel: Level): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  claims.forEach((c, i) => {
    if (!isClaimName(c.claim)) out.push({ field: `claims/${i}/claim`, message: `unknown claim "${c.claim}"` });
    else if (CLAIM_LEVELS[c.claim] > maxLevel) out.push({ field: `claims/${i}/claim`, message: `"${c.claim}" is a level-2 claim; the registration allows level ${maxLevel}` });
    if (seen.has(c.claim)) out.push({ field: `claims/${i}/claim`, message: `"${c.claim}" is listed twice` });
    seen.add(c.claim);
  });
  return out;
}

export type ClaimPermissions = ClaimPermission[];
