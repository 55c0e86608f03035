/**
 * What a citizen allowed relying parties (decision 0043): the grants oidc-provider keeps, with the
 * claims each may receive and when it first and last received them (from the access log), and
 * their revocation — the grant, its codes and tokens go at once, and a principal event records it.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { releasedClaims, type ClaimName } from '../../domain/oidc/claims.js';
import { destroyGrant, grantsOfAccount } from '../../store/repositories/oidc-models.js';
import { findOidcClients } from '../../store/repositories/oidc-clients.js';
import { lockPrincipal } from '../../store/repositories/login-accounts.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { Principal } from '../../store/repositories/principals.js';
import type { ServiceContext } from '../context.js';
import { usesByReceiver } from '../../store/repositories/citizen-usage.js';
import { numbersOfPerson } from '../../store/repositories/personal-ids.js';
import { citizenStateOf } from './account-state.js';
import { providerNow } from './adapter.js';
import { allowedClaims } from './clients.js';
import { OIDC_CHANNEL, receiverOf } from './release.js';

export interface RelyingPartyGrant {
  clientId: string;
  name: string;
  purpose: string;
  claims: ClaimName[];
  declined: string[];
  firstUse?: string;
  lastUse?: string;
}

interface GrantPayload {
  openid?: { scope?: string; claims?: string[] };
  rejected?: { openid?: { claims?: string[] } };
}

export async function relyingPartiesOf(ctx: ServiceContext, principal: Principal): Promise<RelyingPartyGrant[]> {
  const db = ctx.store.db;
  const grants = await grantsOfAccount(db, principal.id, providerNow());
  const clients = new Map((await findOidcClients(db, [...new Set(grants.map((g) => g.clientId))])).map((c) => [c.clientId, c]));
  const state = await citizenStateOf(db, principal.id, ctx.clock.now().getTime());
  const personalId = principal.personalId ?? state?.personalId ?? '';
  // Releases made before a legal re-issue are recorded under the number cancelled since: still the person's.
  const useOf = grants.length ? await usesByReceiver(db, await numbersOfPerson(db, personalId), OIDC_CHANNEL) : new Map<string, { first: string; last: string }>();
  const out: RelyingPartyGrant[] = [];
  for (const g of grants) {
    const c = clients.get(g.clientId);
    if (!c) continue;
    const p = g.payload as GrantPayload;
    const declined = p.rejected?.openid?.claims ?? [];
    const asked = Object.fromEntries((p.openid?.claims ?? []).map((n) => [n, null]));
    const claims = releasedClaims('userinfo', p.openid?.scope ?? '', asked, allowedClaims(c), state?.level ?? 1, declined);
    const u = useOf.get(receiverOf(c.clientId));
    out.push({ clientId: c.clientId, name: c.name, purpose: c.purpose, claims, declined, ...(u?.first ? { firstUse: u.first } : {}), ...(u?.last ? { lastUse: u.last } : {}) });
  }
  return out;
}

/** Revokes what the citizen allowed the relying party: its grants, codes and tokens, at once. */
export async function revokeRelyingParty(ctx: ServiceContext, principal: Principal, clientId: string): Promise<void> {
  const grants = (await grantsOfAccount(ctx.store.db, principal.id, providerNow())).filter((g) => g.clientId === clientId);
  if (grants.length === 0) throw new RegistryError('RELYING_PARTY_NOT_GRANTED');
  const at = ctx.clock.now().toISOString();
  await ctx.store.transaction(async (tx) => {
    for (const g of grants) await destroyGrant(tx, g.grantId);
    await lockPrincipal(tx, principal.id); // the provider may record a revocation of this citizen's at the same moment
    await appendPrincipalEvent(tx, { principalId: principal.id, at, actorId: principal.id, kind: 'oidc-grant-revoked', details: { clientId, grants: grants.length } });
  });
}
