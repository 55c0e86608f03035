/**
 * The one mechanism that serves every exchange call (DESIGN §3.4–3.5): authenticate the access
 * token, read the connection's state and policy afresh (a suspension refuses the very next call),
 * check purpose, request ID, officer, network, rate and quota (claiming the call's place in the
 * usage counters), run the service, cut the answer to the policy's fields, charge it, and append the
 * access-log entry — served or refused — before anything leaves. A call whose entry cannot be written
 * is not answered, and a call not served gives its place in the counters back.
 */
import { performance } from 'node:perf_hooks';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { ErrorCode } from '../../domain/errors/codes.js';
import type { CatalogueService, ServiceCode } from '../../domain/exchange/catalogue.js';
import { credentialsWork } from '../../domain/exchange/connection-lifecycle.js';
import { feeFor } from '../../domain/exchange/fees.js';
import { checkPolicy, pickFields, type ServiceGrant } from '../../domain/exchange/policy.js';
import { localDayOf, localHourOf, localMinuteOf, minuteLimit, quotaDecision, rateDecision } from '../../domain/exchange/rate-limit.js';
import { claimUsage, claimUsages, releaseUsage, type UsageClaim, type UsageClaimRequest } from '../../store/repositories/connection-usage.js';
import { findCaller, type CallerConnection } from '../../store/repositories/exchange-tokens.js';
import type { UsagePeriods } from '../../store/repositories/access-log.js';
import { isSqlite } from '../../store/dialect.js';
import type { Db } from '../../store/schema.js';
import { storeFailureOf } from '../../store/failures.js';
import type { CategoryCatalogue } from '../categories.js';
import type { ServiceContext } from '../context.js';
import { catalogueInForce } from './catalogue.js';
import { HANDLERS, type Served } from './handlers.js';
import type { ExchangeMetrics } from './metrics.js';
import { hashExchangeToken } from './tokens.js';
import type { AnomalyWatch } from './anomaly-watch.js';
import { grantNeedsConsent } from '../../domain/exchange/consent.js';
import { batchConsentUses, consentsOfCall, cutBatchToConsents, grantWithin, serveBatchWithConsent, type PersonConsent } from './consent-check.js';

export interface ExchangeDeps {
  ctx: ServiceContext;
  catalogue: CategoryCatalogue;
  metrics: ExchangeMetrics;
  anomaly: AnomalyWatch;
}

export interface ExchangeCall {
  service: string;
  token: string | undefined;
  requestId: string | undefined;
  purpose: string | undefined;
  officerId: string | undefined;
  sourceIp: string;
  body: unknown;
}

export interface ExchangeAnswer {
  status: number;
  body: unknown;
  retryAfterSeconds?: number;
  error?: RegistryError;
}

const STATE_REFUSAL: Record<string, ErrorCode> = { requested: 'CONNECTION_NOT_ACTIVE', suspended: 'CONNECTION_SUSPENDED', terminated: 'CONNECTION_TERMINATED' };

class Refusal extends Error {
  constructor(readonly error: RegistryError, readonly retryAfterSeconds?: number) {
    super(error.message);
  }
}

const refuse = (code: ErrorCode, retryAfterSeconds?: number): never => {
  throw new Refusal(new RegistryError(code), retryAfterSeconds);
};

/** Only the policy's fields; structure (the key asked, list wrappers) is kept. */
function filterBody(served: Served, grant: ServiceGrant): { body: Record<string, unknown>; fields: string[] } {
  const fields = new Set<string>();
  const cut = (o: Record<string, unknown>) => {
    const picked = pickFields(o, grant.fields);
    for (const k of Object.keys(picked)) fields.add(k);
    return { personalId: o.personalId, ...picked };
  };
  if (served.filter === 'none') {
    for (const f of grant.fields) fields.add(f);
    return { body: served.body, fields: [...fields] };
  }
  if (served.filter === 'items') {
    const items = (served.body.items as Record<string, unknown>[]).map(cut);
    return { body: { items, notFound: served.body.notFound }, fields: [...fields].sort() };
  }
  const body = cut(served.body);
  return { body, fields: [...fields].sort() };
}

/**
 * The usage periods of an instant and the minute before, kept for the current minute: every call in
 * a minute shares them (the offset is whole hours, so the UTC minute decides them all), and working
 * them out is a good share of a call's own work.
 */
let lastPeriods: { utcMinute: string; periods: UsagePeriods; previousMinute: string } | undefined;

function periodsOf(now: Date, at: string): { periods: UsagePeriods; previousMinute: string } {
  const utcMinute = at.slice(0, 16);
  if (lastPeriods?.utcMinute !== utcMinute) {
    lastPeriods = {
      utcMinute,
      periods: { day: localDayOf(at), hour: localHourOf(at), minute: localMinuteOf(at) },
      previousMinute: localMinuteOf(new Date(now.getTime() - 60_000).toISOString()),
    };
  }
  return lastPeriods;
}

export async function serveExchange(d: ExchangeDeps, call: ExchangeCall): Promise<ExchangeAnswer> {
  const started = performance.now();
  const now = d.ctx.clock.now();
  const at = now.toISOString();
  const { periods, previousMinute } = periodsOf(now, at);
  let connection: CallerConnection | undefined;
  let agencyCode: string | undefined;
  let personalIds: string[] = [];
  let service: CatalogueService | undefined;
  let catalogueYear: number | undefined;
  let answer: ExchangeAnswer;
  let fields: string[] = [];
  let fee = 0;
  let failure: unknown;
  let hourCalls = 0;
  let testStage = false;
  /** Set once the call holds its place in the connection's usage counters (given back unless served). */
  let claimed = false;
  /** The consents that allowed the release (decision 0044): recorded with the entry. */
  let consentUsed: { personalId: string; consentId: string }[] | undefined;
  let batchConsents: PersonConsent[] | undefined;
  let consentUses: { personalId: string; consentId: string; fields: string[] }[] = [];
  try {
    if (!call.token) refuse('EXCHANGE_TOKEN_INVALID');
    const caller = await findCaller(d.ctx.store.db, hashExchangeToken(call.token!), { ...periods, previousMinute });
    if (!caller || caller.expiresAt <= at) refuse('EXCHANGE_TOKEN_INVALID');
    connection = caller!.connection;
    agencyCode = connection.agencyCode;
    const access = credentialsWork(connection!.state);
    if (access === 'none') refuse(STATE_REFUSAL[connection!.state] ?? 'CONNECTION_NOT_ACTIVE');
    if (!call.requestId || call.requestId.length > 40) refuse('REQUEST_ID_REQUIRED');
    if (!call.officerId || call.officerId.length > 40) refuse('OFFICER_ID_REQUIRED');
    const catalogue = await catalogueInForce(d.ctx);
    catalogueYear = catalogue?.year;
    service = catalogue?.services.find((s) => s.code === call.service);
    if (!service) refuse('SERVICE_NOT_IN_CATALOGUE');
    const decision = checkPolicy(connection!.policy ?? { grants: [], ratePerMinute: 1 }, { service: call.service, purpose: call.purpose, sourceIp: call.sourceIp });
    if (!decision.allowed) refuse(decision.code);
    let grant = (decision as { grant: ServiceGrant }).grant;
    const policy = connection!.policy!;
    // The data subject's consent (decision 0044), read afresh on every call: a call for one person
    // without a consent in force is refused here; a batch answers per person below.
    if (grantNeedsConsent(grant, caller!.agencyType, caller!.stateBudgetFunded)) {
      const consents = await consentsOfCall(d.ctx.store.db, { connectionId: connection!.connectionId, service: call.service, purpose: call.purpose!, body: call.body, grant, now: at });
      if (call.service === 'batchLookupCitizens') batchConsents = consents;
      else {
        // Every person the call is about must have consented; what leaves is within each consent.
        if (consents.length === 0) refuse('SUBJECT_CONSENT_REQUIRED');
        consentUsed = [];
        for (const c of consents) {
          if (!c.decision.allowed) refuse(c.decision.code);
          const allowed = c.decision as { consentId: string; fields: readonly string[] };
          grant = grantWithin(grant, allowed.fields);
          consentUsed.push({ personalId: c.personalId, consentId: allowed.consentId });
        }
      }
    }
    // Limits from the usage counters in the store, which every server process writes and reads.
    const usage = caller!.usage;
    const limited = rateDecision({ previous: usage.previousMinute, current: usage.minute }, policy.ratePerMinute, now.getTime());
    if (!limited.allowed) refuse('RATE_LIMITED', limited.retryAfterSeconds);
    const quota = quotaDecision(usage.day, policy.dailyQuota, at);
    if (!quota.allowed) refuse('QUOTA_EXCEEDED', quota.retryAfterSeconds);
    // The counts just read miss the calls being served right now, here and in other processes: the
    // call claims its place against the same limits in one conditional statement before it is
    // served, so that calls arriving together never pass a limit together (decision 0036).
    const allowance = minuteLimit(usage.previousMinute, policy.ratePerMinute, now.getTime());
    // In the recorder's next group transaction (one commit for the claims and entries waiting then):
    // still one conditional statement per call, whose result decides this call.
    const limits = { ...(policy.dailyQuota !== undefined ? { dayLimit: policy.dailyQuota } : {}), minuteLimit: allowance };
    const claim = await claimPlace(d, { connectionId: connection!.connectionId, periods, limits });
    if (!claim.claimed) {
      if (claim.full === 'day') refuse('QUOTA_EXCEEDED', quotaDecision(policy.dailyQuota!, policy.dailyQuota, at).retryAfterSeconds);
      refuse('RATE_LIMITED', rateDecision({ previous: usage.previousMinute, current: Math.max(usage.minute, allowance) }, policy.ratePerMinute, now.getTime()).retryAfterSeconds);
    }
    claimed = true;
    hourCalls = (claim as { counts: { hour: number } }).counts.hour - 1;
    const handlerContext = { ctx: d.ctx, catalogue: d.catalogue, grant, agencyCode: agencyCode!, ...(policy.matching ? { matching: policy.matching } : {}), syntheticOnly: access === 'synthetic_only' };
    const served = batchConsents
      ? await serveBatchWithConsent(handlerContext, call.body, batchConsents)
      : await HANDLERS[call.service as ServiceCode](handlerContext, call.body);
    personalIds = served.personalIds;
    const filtered = batchConsents ? cutBatchToConsents(filterBody(served, grant), batchConsents) : filterBody(served, grant);
    fields = filtered.fields;
    if (consentUsed) consentUses = consentUsed.map((c) => ({ ...c, fields }));
    if (batchConsents) consentUses = batchConsentUses(filtered.body, batchConsents);
    fee = feeFor({ priceVnd: service!.priceVnd, free: service!.free, stateBudgetFunded: caller!.stateBudgetFunded, testStage: access === 'synthetic_only', outcome: 'served' });
    testStage = access === 'synthetic_only';
    answer = { status: 200, body: filtered.body };
  } catch (e) {
    // A failure of ours is logged as a refusal (INTERNAL) like any other, then surfaces as a 500.
    // A store that is down or a lost race is named as such (503 / 409), not as our failure.
    const known = e instanceof Refusal ? undefined : storeFailureOf(e);
    if (!(e instanceof Refusal) && !known) failure = e;
    const refusal = e instanceof Refusal ? e : new Refusal(known ?? new RegistryError('INTERNAL'));
    answer = { status: refusal.error.status, body: undefined, error: refusal.error, ...(refusal.retryAfterSeconds ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}) };
    fields = [];
    fee = 0;
    // The people a refused call asked about are logged too (they may later see who tried).
    if (personalIds.length === 0) personalIds = askedAbout(call.body);
  }
  // A call not served counts nowhere: the place it claimed is given back (a failure to do so leaves
  // the counter ahead, which refuses early, never late; it is set right on the next start).
  const giveBack = () =>
    claimed && connection
      ? usageWrite(d, connection.connectionId, (db) => releaseUsage(db, connection!.connectionId, [periods.day, periods.hour, periods.minute])).catch(() => undefined)
      : undefined;
  if (answer.status !== 200) await giveBack();
  const latencyMs = performance.now() - started;
  const outcome = answer.status === 200 ? 'served' : 'refused';
  try {
    await d.ctx.recorder.record({
      at,
      callerKind: connection ? 'connection' : 'anonymous',
      channel: 'exchange',
      ...(agencyCode ? { agencyCode } : {}),
      ...(connection ? { connectionId: connection.connectionId } : {}),
      action: call.service,
      ...(call.requestId ? { requestId: call.requestId.slice(0, 40) } : {}),
      ...(call.purpose ? { purpose: call.purpose.slice(0, 20) } : {}),
      ...(call.officerId ? { officerId: call.officerId.slice(0, 40) } : {}),
      // A caller who is not authenticated is recorded by its address, never under the IDs it names.
      personalIds: connection ? personalIds : [],
      fields,
      outcome,
      ...(answer.error ? { errorCode: answer.error.code } : {}),
      httpStatus: answer.status,
      latencyMs: Math.round(latencyMs * 1000) / 1000,
      feeVnd: fee,
      ...(catalogueYear !== undefined ? { catalogueYear } : {}),
      sourceIp: call.sourceIp,
      ...(testStage && outcome === 'served' ? { testStage: true as const } : {}),
      ...(outcome === 'served' && consentUses.length > 0 ? { consentUses } : {}),
    });
  } catch {
    if (outcome === 'served') await giveBack();
    return { status: 503, body: undefined, error: new RegistryError('ACCESS_LOG_UNAVAILABLE') };
  }
  d.metrics.observe(agencyCode ?? '-', call.service, outcome, answer.error?.code, latencyMs);
  // This call is counted in its hour: the calls claimed before it, plus itself.
  // The call is served, logged and charged: a store failure while watching for anomalies must not
  // turn its answer into an error (the next call is watched again).
  if (connection && outcome === 'served') {
    await d.anomaly.served(connection, at, hourCalls + 1).catch(() => undefined);
  }
  if (failure !== undefined) throw failure;
  return answer;
}

/**
 * A write to a connection's usage counters. SQLite: in the recorder's next group transaction, keyed
 * by the connection (one writer: a transaction per claim was a commit of its own per call).
 * PostgreSQL: alone, one named statement on the pool (its own short transaction) — in a group it
 * would be an unnamed statement on the group's connection, and measured no cheaper (decision 0036).
 */
function usageWrite<T>(d: ExchangeDeps, connectionId: string, write: (db: Db) => Promise<T>): Promise<T> {
  return isSqlite(d.ctx.store.db) ? d.ctx.recorder.inGroup(`connection:${connectionId}`, write) : write(d.ctx.store.db);
}

/**
 * A call's claim of its place (decision 0036). SQLite: with the other claims of its connection in the
 * recorder's next group, made by one statement when they all fit (`claimUsages`). PostgreSQL: alone, as
 * `usageWrite` says.
 */
function claimPlace(d: ExchangeDeps, claim: UsageClaimRequest): Promise<UsageClaim> {
  return isSqlite(d.ctx.store.db)
    ? d.ctx.recorder.inGroupTogether(`connection:${claim.connectionId}`, claim, claimUsages)
    : claimUsage(d.ctx.store.db, claim.connectionId, claim.periods, claim.limits);
}

/** Personal IDs named in a request body, for logging a refused call. */
function askedAbout(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  const ids = [b.personalId, b.memberPersonalId, ...(Array.isArray(b.personalIds) ? b.personalIds : [])];
  return [...new Set(ids.filter((x): x is string => typeof x === 'string' && /^\d{12}$/.test(x)))].slice(0, 1000);
}
