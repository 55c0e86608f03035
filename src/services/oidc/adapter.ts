/**
 * oidc-provider's storage over Kysely, on both stores (decision 0043): every model in `oidc_model`
 * (migration 0023), except relying parties, read from `oidc_client` at every request so that a
 * registration change or a suspension is effective at once (a suspended one is not found: its
 * requests fail as an unknown client would). Expiry follows oidc-provider's own clock (the wall
 * clock: token lifetimes are real time); expired rows are never answered and are swept.
 */
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Store } from '../../store/connect.js';
import { consumeModel, deleteGrantRow, destroyGrant, destroyModel, findModel, grantOfModel, sweepExpiredModels, upsertModel } from '../../store/repositories/oidc-models.js';
import { lockPrincipal } from '../../store/repositories/login-accounts.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import { findOidcClient, type OidcClient } from '../../store/repositories/oidc-clients.js';

/** oidc-provider's clock — the wall clock, not the injected one: its rows expire in real time (decision 0043). */
export const providerNow = (): string => new Date().toISOString();
const nowIso = providerNow;

/** A registration as oidc-provider's client metadata: private_key_jwt, code flow, PKCE (required by configuration). */
export function clientMetadata(c: OidcClient): AdapterPayload {
  return {
    client_id: c.clientId,
    client_name: c.name,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris,
    jwks: c.jwks as never,
    token_endpoint_auth_method: 'private_key_jwt',
    grant_types: c.refreshTokens ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    response_types: ['code'],
    subject_type: c.subjectType,
    require_pushed_authorization_requests: c.requirePar,
    id_token_signed_response_alg: 'RS256',
  };
}

interface GrantPayload {
  openid?: { scope?: string; claims?: string[] };
  rejected?: { openid?: { claims?: string[] } };
}

/**
 * A grant revoked by the provider (a code or refresh token used twice, a revocation): its rows go
 * and the citizen's `oidc-grant-revoked` event records it, in one transaction.
 */
async function revokeGrant(store: Store, grantId: string, by: 'reused' | 'provider'): Promise<void> {
  await store.transaction(async (tx) => {
    const owner = await deleteGrantRow(tx, grantId);
    await destroyGrant(tx, grantId);
    if (!owner) return;
    await lockPrincipal(tx, owner.accountId);
    await appendPrincipalEvent(tx, { principalId: owner.accountId, at: nowIso(), actorId: 'system:oidc-provider', kind: 'oidc-grant-revoked', details: { clientId: owner.clientId, grants: 1, by } });
  });
}

export function adapterFor(store: Store): new (name: string) => Adapter {
  return class KyselyAdapter implements Adapter {
    constructor(readonly name: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.name === 'Client') throw new Error('relying parties are registered by administrators (oidc-clients)');
      const p = payload as AdapterPayload & { accountId?: string; clientId?: string };
      const row = {
        kind: this.name,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        account_id: typeof p.accountId === 'string' ? p.accountId : null,
        client_id: typeof p.clientId === 'string' ? p.clientId : null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
      };
      if (this.name !== 'Grant' || !row.account_id) return upsertModel(store.db, row);
      // What the citizen allowed a relying party is recorded as its revocation is: the grant row and
      // its event (with its transparency-log leaf) in one transaction.
      const g = payload as GrantPayload;
      await store.transaction(async (tx) => {
        await upsertModel(tx, row);
        await lockPrincipal(tx, row.account_id!);
        await appendPrincipalEvent(tx, {
          principalId: row.account_id!,
          at: nowIso(),
          actorId: row.account_id!,
          kind: 'oidc-grant-given',
          details: { clientId: row.client_id, scope: g.openid?.scope ?? '', claims: g.openid?.claims ?? [], declined: g.rejected?.openid?.claims ?? [] },
        });
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === 'Client') {
        const c = await findOidcClient(store.db, id);
        return c && c.state === 'active' ? clientMetadata(c) : undefined;
      }
      return this.answer(await findModel(store.db, this.name, 'id', id, nowIso()));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.answer(await findModel(store.db, this.name, 'user_code', userCode, nowIso()));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.answer(await findModel(store.db, this.name, 'uid', uid, nowIso()));
    }

    async consume(id: string): Promise<void> {
      // oidc-provider reads "consumed?" and then consumes: two exchanges of one code at once would
      // both pass its read. The conditional update lets one through; the other is a reuse, treated
      // as oidc-provider treats a reuse — the grant and everything issued under it revoked.
      if (await consumeModel(store.db, this.name, id, nowIso())) return;
      const grantId = await grantOfModel(store.db, this.name, id);
      if (grantId) await revokeGrant(store, grantId, 'reused');
      throw new errors.InvalidGrant(`${this.name === 'AuthorizationCode' ? 'authorization code' : 'token'} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      if (this.name === 'Grant') return revokeGrant(store, id, 'provider');
      await destroyModel(store.db, this.name, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await revokeGrant(store, grantId, 'provider');
    }

    private answer(row: Awaited<ReturnType<typeof findModel>>): AdapterPayload | undefined {
      if (!row) return undefined;
      // oidc-provider reads `consumed` (a time in seconds) to refuse a code used twice.
      return row.consumedAt ? { ...row.payload, consumed: Math.floor(Date.parse(row.consumedAt) / 1000) } : row.payload;
    }
  };
}

/** Sweeps expired rows now and every ten minutes; returns the stop function. */
export function sweepExpired(store: Store): () => void {
  const sweep = () => void sweepExpiredModels(store.db, nowIso()).catch(() => undefined);
  sweep();
  const t = setInterval(sweep, 10 * 60_000);
  t.unref();
  return () => clearInterval(t);
}
