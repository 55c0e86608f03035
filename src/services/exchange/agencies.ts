/**
 * The ministry's side of the exchange: agencies and their focal points (and the public directory),
 * connections through their lifecycle with security assessments, policies and key rotation.
 * Every transition is made by an administrator with a reason and recorded as a connection event.
 */
import { randomBytes } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { AGENCY_TYPES, jwksProblems, type Agency, type AgencyInput, type Jwks } from '../../domain/exchange/agency.js';
import { credentialsWork, nextConnectionState, type ConnectionAction } from '../../domain/exchange/connection-lifecycle.js';
import { policyProblems, type Policy } from '../../domain/exchange/policy.js';
import { policyConsentProblems } from '../../domain/exchange/consent.js';
import { findAgency, findConnection, insertAgency, insertConnection, listAgencies, listConnectionEvents, listConnections, recordConnectionEvent, updateAgency, updateConnection, type Connection, type ConnectionEvent } from '../../store/repositories/agencies.js';
import { deleteExchangeTokens } from '../../store/repositories/exchange-tokens.js';
import { appendPrincipalEvent } from '../../store/repositories/principal-events.js';
import type { Db } from '../../store/schema.js';
import type { Actor, ServiceContext } from '../context.js';
import { publishedCatalogue } from './catalogue.js';
import { lockAgency, lockConnection } from '../../store/locks.js';

export async function registerAgency(ctx: ServiceContext, input: AgencyInput): Promise<Agency> {
  const at = ctx.clock.now().toISOString();
  const agency: Agency = { ...input, version: 1, createdAt: at, updatedAt: at };
  await insertAgency(ctx.store.db, agency);
  return agency;
}

/** The agency `code`, or undefined (the demo registers its agencies once). */
export const lookUpAgency = (store: ServiceContext['store'], code: string): Promise<Agency | undefined> => findAgency(store.db, code);

export async function getAgency(db: Db, code: string): Promise<Agency> {
  const a = await findAgency(db, code);
  if (!a) throw new RegistryError('AGENCY_NOT_FOUND');
  return a;
}

/** Changes what `input` names, merged in the change's transaction (a caller changing only focal points cannot undo a concurrent change of the rest). */
export async function changeAgency(ctx: ServiceContext, code: string, input: Partial<Omit<AgencyInput, 'code'>>, actorId: string): Promise<Agency> {
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    await lockAgency(tx, code);
    const before = await getAgency(tx, code);
    const after = await updateAgency(tx, before, { ...before, ...input, code, updatedAt: at });
    // Who changed what the directory publishes: the fields' names (not the focal points' contacts), with its leaf.
    const fields = (Object.keys(input) as (keyof typeof input)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
    if (fields.length > 0) await appendPrincipalEvent(tx, { principalId: agencyEventSubject(code), at, actorId, kind: 'agency-changed', details: { fields } });
    return after;
  });
}

/** The agency's change record lives under this subject in the principal events (as relying parties' do). */
export const agencyEventSubject = (code: string) => `agency:${code}`;

export const listAllAgencies = (ctx: ServiceContext) => listAgencies(ctx.store.db);

/** The public directory: who connects, their focal points, what data they are ready to share, which services they use. */
export async function agencyDirectory(ctx: ServiceContext) {
  const [agencies, connections] = await Promise.all([listAgencies(ctx.store.db), listConnections(ctx.store.db)]);
  return agencies.map((a) => ({
    code: a.code,
    name: a.name,
    type: a.type,
    typeName: AGENCY_TYPES[a.type],
    ...(a.dataOffer ? { dataOffer: a.dataOffer } : {}),
    focalPoints: a.focalPoints,
    services: [...new Set(connections.filter((c) => c.agencyCode === a.code && (c.state === 'active' || c.state === 'testing')).flatMap((c) => c.policy?.grants.map((g) => g.service) ?? []))].sort(),
  }));
}

// ---------------------------------------------------------------- connections

export interface ConnectionRequest {
  agencyCode: string;
  systemName: string;
  viaPlatform?: string;
  services: string[];
  purposes: string[];
  jwks: Jwks;
}

function checkJwks(jwks: Jwks): void {
  const problems = jwksProblems(jwks);
  if (problems.length > 0) throw new RegistryError('JWKS_INVALID', { fields: problems.map((m) => ({ field: 'jwks', code: 'JWKS_INVALID', message: m })) });
}

const CONNECTION_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** An agency system asks to connect: state `requested`. The connection ID is also its OAuth client_id. */
export async function requestConnection(ctx: ServiceContext, actor: Actor, r: ConnectionRequest): Promise<Connection> {
  checkJwks(r.jwks);
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    await getAgency(tx, r.agencyCode);
    const suffix = [...randomBytes(10)].map((b) => CONNECTION_ALPHABET[b & 31]).join('');
    const c: Connection = {
      connectionId: `${r.agencyCode.toLowerCase()}.${suffix}`,
      agencyCode: r.agencyCode,
      systemName: r.systemName,
      ...(r.viaPlatform ? { viaPlatform: r.viaPlatform } : {}),
      state: 'requested',
      requested: { services: r.services, purposes: r.purposes },
      jwks: r.jwks,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await insertConnection(tx, c, { at, actorId: actor.principalId, kind: 'request', toState: 'requested', details: { services: r.services, purposes: r.purposes, ...(r.viaPlatform ? { viaPlatform: r.viaPlatform } : {}) } });
    return c;
  });
}

/** The connection `connectionId`, or undefined. */
export const lookUpConnection = (store: ServiceContext['store'], connectionId: string): Promise<Connection | undefined> => findConnection(store.db, connectionId);

export async function getConnection(db: Db, connectionId: string): Promise<Connection> {
  const c = await findConnection(db, connectionId);
  if (!c) throw new RegistryError('CONNECTION_NOT_FOUND');
  return c;
}

export async function connectionWithEvents(ctx: ServiceContext, connectionId: string): Promise<Connection & { events: ConnectionEvent[]; credentials: ReturnType<typeof credentialsWork> }> {
  const c = await getConnection(ctx.store.db, connectionId);
  return { ...c, credentials: credentialsWork(c.state), events: await listConnectionEvents(ctx.store.db, connectionId) };
}

export const findConnections = (ctx: ServiceContext, filter: Parameters<typeof listConnections>[1]) => listConnections(ctx.store.db, filter);

function requireReason(reason: string | undefined): string {
  if (!reason?.trim()) throw new RegistryError('REASON_REQUIRED');
  return reason.trim();
}

/** A security assessment (required before approval; mandatory for systems connecting through another platform). */
export async function recordAssessment(ctx: ServiceContext, actor: Actor, connectionId: string, a: { result: 'passed' | 'failed'; summary: string; assessor: string }): Promise<ConnectionEvent[]> {
  const at = ctx.clock.now().toISOString();
  await ctx.store.transaction(async (tx) => {
    await lockConnection(tx, connectionId);
    const c = await getConnection(tx, connectionId);
    if (c.state === 'terminated') throw new RegistryError('CONNECTION_TERMINATED');
    await recordConnectionEvent(tx, connectionId, { at, actorId: actor.principalId, kind: 'assessment', reason: a.summary, details: { result: a.result, assessor: a.assessor, viaPlatform: c.viaPlatform ?? null } });
  });
  return listConnectionEvents(ctx.store.db, connectionId);
}

/** The newest assessment decides: a failed re-assessment withdraws an earlier pass. */
export function hasPassedAssessment(events: readonly ConnectionEvent[]): boolean {
  const last = [...events].reverse().find((e) => e.kind === 'assessment');
  return last?.details?.result === 'passed';
}

export async function transitionConnection(ctx: ServiceContext, actor: Actor, connectionId: string, action: ConnectionAction, reason: string | undefined): Promise<Connection> {
  const why = requireReason(reason);
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    await lockConnection(tx, connectionId);
    const before = await getConnection(tx, connectionId);
    const events = await listConnectionEvents(tx, connectionId);
    const next = nextConnectionState(before.state, action, { hasPassedAssessment: hasPassedAssessment(events), viaPlatform: Boolean(before.viaPlatform) });
    if ('refused' in next) throw new RegistryError(next.refused, { extra: { state: before.state, action } });
    if ((action === 'approve_for_test' || action === 'activate' || action === 'resume') && !before.policy) throw new RegistryError('POLICY_REQUIRED');
    // Termination revokes the credentials for good; suspension is read on every request.
    if (next.state === 'terminated') await deleteExchangeTokens(tx, connectionId);
    return updateConnection(tx, before, { ...before, state: next.state, updatedAt: at }, { at, actorId: actor.principalId, kind: action, fromState: before.state, toState: next.state, reason: why });
  });
}

export async function setPolicy(ctx: ServiceContext, actor: Actor, connectionId: string, policy: Policy): Promise<Connection> {
  const at = ctx.clock.now().toISOString();
  const catalogue = await publishedCatalogue(ctx);
  const problems = policyProblems(policy, catalogue.services);
  if (problems.length > 0) throw new RegistryError('POLICY_INVALID', { fields: problems.map((m) => ({ field: 'policy', code: 'POLICY_INVALID', message: m })) });
  return ctx.store.transaction(async (tx) => {
    await lockConnection(tx, connectionId);
    const before = await getConnection(tx, connectionId);
    if (before.state === 'terminated') throw new RegistryError('CONNECTION_TERMINATED');
    // Consent may be waived only where the law allows it (decision 0044).
    const agency = await findAgency(tx, before.agencyCode);
    const waived = policyConsentProblems(policy, agency?.type, agency?.stateBudgetFunded ?? false);
    if (waived.length > 0) throw new RegistryError('POLICY_INVALID', { fields: waived.map((m) => ({ field: 'policy', code: 'POLICY_INVALID', message: m })) });
    return updateConnection(tx, before, { ...before, policy, updatedAt: at }, { at, actorId: actor.principalId, kind: 'policy', details: { policy } });
  });
}

/** Key rotation: the new set replaces the old; assertions signed with a removed key fail from now on. */
export async function rotateKeys(ctx: ServiceContext, actor: Actor, connectionId: string, jwks: Jwks): Promise<Connection> {
  checkJwks(jwks);
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    await lockConnection(tx, connectionId);
    const before = await getConnection(tx, connectionId);
    if (before.state === 'terminated') throw new RegistryError('CONNECTION_TERMINATED');
    return updateConnection(tx, before, { ...before, jwks, updatedAt: at }, { at, actorId: actor.principalId, kind: 'keys', details: { kids: jwks.keys.map((k) => k.kid) } });
  });
}
