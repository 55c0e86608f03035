/**
 * The citizen as oidc-provider sees them (decision 0043): an account found only while its e-ID
 * account is active and unlocked — checked at every authorization, code and refresh exchange and
 * UserInfo call (oidc-provider asks findAccount each time) — and the claims of one release, read
 * from the registry and recorded as a use of the citizen's data by the one recording mechanism
 * before they leave: the relying party as receiver, its registered purpose, the claims released.
 */
import type { Account, KoaContextWithOIDC } from 'oidc-provider';
import { isRegistryError } from '../../domain/errors/registry-error.js';
import { releasedClaims, type ClaimName, type Level } from '../../domain/oidc/claims.js';
import { localDay } from '../../domain/residence/working-days.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { findOidcClient, type OidcClient } from '../../store/repositories/oidc-clients.js';
import type { Address } from '../../domain/citizen/citizen.js';
import type { CategoryCatalogue } from '../categories.js';
import type { ServiceContext } from '../context.js';
import { getCurrentResidence, getHouseholdOf } from '../residence/queries.js';
import { getCardStatus } from '../cards/lifecycle.js';
import { citizenStateOf } from './account-state.js';
import { allowedClaims } from './clients.js';

/** The channel and actions under which releases are recorded (the citizen's usage view names them). */
export const OIDC_CHANNEL = 'oidc';
export const RELEASE_ACTIONS = { id_token: 'oidc:id-token', userinfo: 'oidc:userinfo' } as const;
/** Who a release was made to: the relying party, recorded as a system caller of its own. */
export const receiverOf = (clientId: string) => `oidc:${clientId}`;

/** An OpenID Connect birthdate: YYYY-MM-DD, or the year alone when the day is not known. */
function birthdateOf(d: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : d.slice(0, 4);
}

type Values = Partial<Record<ClaimName, unknown>>;

/** The values of the claims to release, and everyone whose data they carry (the citizen first). */
async function valuesOf(ctx: ServiceContext, catalogue: CategoryCatalogue, personalId: string, claims: readonly ClaimName[]): Promise<{ values: Values; people: string[] }> {
  const citizen = await findCitizen(ctx.store.db, personalId);
  if (!citizen) return { values: {}, people: [personalId] };
  const want = new Set(claims);
  const values: Values = {};
  const people = [personalId];
  if (want.has('name')) values.name = citizen.fullName;
  if (want.has('birthdate')) values.birthdate = birthdateOf(citizen.dateOfBirth);
  if (want.has('gender')) values.gender = citizen.sex;
  if (want.has('personal_id')) values.personal_id = citizen.personalId;
  if (want.has('permanent_residence') || want.has('current_residence')) {
    const today = localDay(ctx.clock.now().toISOString());
    const text = (a: Address | undefined) => (a ? catalogue.formatAddress(a, today).text : undefined);
    const r = await getCurrentResidence(ctx, catalogue, personalId);
    // Unit names as valid today; a record from before the residence register: its own addresses.
    const permanent = r.permanent?.place.today.text ?? text(citizen.permanentResidence);
    const current = r.livesAt?.today.text ?? text(citizen.currentResidence ?? citizen.temporaryResidence ?? citizen.permanentResidence);
    if (want.has('permanent_residence') && permanent) values.permanent_residence = { formatted: permanent, country: 'VN' };
    if (want.has('current_residence') && current) values.current_residence = { formatted: current, country: 'VN' };
  }
  if (want.has('household')) {
    const h = await getHouseholdOf(ctx, catalogue, { personalId }).catch((e: unknown) => {
      if (isRegistryError(e) && e.code === 'NOT_IN_A_HOUSEHOLD') return undefined;
      throw e;
    });
    if (h) {
      const head = h.members.find((m) => m.relationship === 'head');
      values.household = {
        household_id: h.householdId,
        head: head?.fullName ?? null,
        members: h.members.map((m) => ({ name: m.fullName, relationship: m.relationship, relationship_name: m.relationshipName })),
      };
      // The members' names and relationships are their data too: the use concerns them.
      for (const m of h.members) if (m.personalId !== personalId) people.push(m.personalId);
    }
  }
  if (want.has('card_status')) {
    const report = await getCardStatus(ctx, personalId);
    const card = report.current ?? report.cards.at(-1);
    values.card_status = card ? { status: card.status, generation: card.generation, expiry_date: card.expiryDate ?? null } : { status: 'none' };
  }
  return { values, people };
}

/** oidc-provider's findAccount: the citizen, while their e-ID account may be used. */
export function accountFinder(ctx: ServiceContext, catalogue: CategoryCatalogue) {
  return async (koa: KoaContextWithOIDC, sub: string): Promise<Account | undefined> => {
    const state = await citizenStateOf(ctx.store.db, sub, ctx.clock.now().getTime());
    if (!state || !state.usable) return undefined;
    return {
      accountId: sub,
      async claims(use, scope, claimsParam, rejected) {
        const clientId = koa.oidc.client?.clientId;
        const client = clientId ? await findOidcClient(ctx.store.db, clientId) : undefined;
        if (!client || client.state !== 'active') return { sub };
        const kind = use === 'id_token' ? 'id_token' : 'userinfo';
        const released = releasedClaims(kind, scope, claimsParam as Record<string, unknown> | undefined, allowedClaims(client), state.level, rejected);
        const { values, people } = await valuesOf(ctx, catalogue, state.personalId, released);
        await recordRelease(ctx, client, kind, people, ['sub', ...released.filter((c) => values[c] !== undefined)], koa.ip);
        return { sub, ...values };
      },
    };
  };
}

async function recordRelease(ctx: ServiceContext, client: OidcClient, use: 'id_token' | 'userinfo', people: string[], fields: string[], sourceIp: string): Promise<void> {
  await ctx.recorder.record({
    at: ctx.clock.now().toISOString(),
    callerKind: 'system',
    principalId: receiverOf(client.clientId),
    unit: client.name,
    channel: OIDC_CHANNEL,
    action: RELEASE_ACTIONS[use],
    purpose: client.purpose.slice(0, 200),
    personalIds: people,
    fields,
    outcome: 'served',
    httpStatus: 200,
    sourceIp,
    latencyMs: 0,
    feeVnd: 0,
  });
}

export type { Level };
