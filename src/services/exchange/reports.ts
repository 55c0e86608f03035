/**
 * Reading the access log: monthly fee statements per agency (computed from the log itself, so
 * they reconcile with it exactly), the inspectors' query, an agency's own usage, and the
 * monitoring summary per agency and service.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { buildStatement, FIRST_STATEMENT_YEAR, isStatementMonth, monthBounds, type LogLine, type Statement } from '../../domain/exchange/fees.js';
import { accessLogOfAgency, accessLogSince, listOutbox, queryAccessLog, type AccessLogFilter, type StoredAccessEntry } from '../../store/repositories/access-log.js';
import type { ServiceContext } from '../context.js';
import { getAgency } from './agencies.js';
import { decodeCursor, encodeCursor } from '../cursor.js';

export async function monthlyStatement(ctx: ServiceContext, agencyCode: string, month: string): Promise<Statement & { agencyName: string; stateBudgetFunded: boolean }> {
  if (!isStatementMonth(month)) throw new RegistryError('VALIDATION_FAILED', { detail: `month is YYYY-MM, from ${FIRST_STATEMENT_YEAR} on` });
  const agency = await getAgency(ctx.store.db, agencyCode);
  const { from, to } = monthBounds(month);
  const entries = await accessLogOfAgency(ctx.store.db, agencyCode, from, to);
  const lines: LogLine[] = entries.map((e) => ({
    at: e.at, agencyCode, connectionId: e.connectionId ?? '', service: e.action, outcome: e.outcome, feeVnd: e.feeVnd, requestId: e.requestId ?? '', logId: e.entryId,
    ...(e.testStage ? { testStage: true } : {}),
  }));
  return { ...buildStatement(agencyCode, month, lines), agencyName: agency.name, stateBudgetFunded: agency.stateBudgetFunded };
}

export interface LogQuery {
  agencyCode?: string;
  personalId?: string;
  service?: string;
  outcome?: 'served' | 'refused';
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

/** An exchange call as the exchange's inspection API shows it. */
export interface ExchangeLogItem {
  logId: string;
  at: string;
  agencyCode?: string;
  connectionId?: string;
  service: string;
  requestId?: string;
  purpose?: string;
  officerId?: string;
  personalIds: string[];
  fields: string[];
  outcome: 'served' | 'refused';
  errorCode?: string;
  httpStatus: number;
  latencyMs: number;
  feeVnd: number;
  catalogueYear?: number;
  sourceIp?: string;
  testStage?: true;
}

function exchangeItem(e: StoredAccessEntry): ExchangeLogItem {
  const { entryId, action, subjectKey: _k, primary: _p, subjectCount: _c, callerKind: _ck, channel: _ch, principalId: _pi, role: _r, unit: _u, ...rest } = e;
  return { logId: entryId, service: action, ...rest };
}

export async function inspectAccessLog(ctx: ServiceContext, q: LogQuery): Promise<{ items: ExchangeLogItem[]; nextCursor?: string }> {
  const limit = Math.min(q.limit ?? 100, 500);
  const cursor = q.cursor ? decodeCursor(q.cursor, ['at', 'logId']) : undefined;
  const before: AccessLogFilter['before'] = cursor ? { at: cursor.at, entryId: cursor.logId } : undefined;
  for (const t of [q.from, q.to]) if (t !== undefined && Number.isNaN(Date.parse(t))) throw new RegistryError('INVALID_INSTANT');
  const rows = await queryAccessLog(ctx.store.db, {
    ...(q.agencyCode ? { agencyCode: q.agencyCode } : {}),
    ...(q.personalId ? { personalId: q.personalId } : {}),
    ...(q.service ? { action: q.service } : {}),
    channel: 'exchange',
    ...(q.outcome ? { outcome: q.outcome } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    ...(before ? { before } : {}),
    limit,
  });
  const items = rows.map(exchangeItem);
  const last = items[items.length - 1];
  return { items, ...(items.length === limit && last ? { nextCursor: encodeCursor({ at: last.at, logId: last.logId }) } : {}) };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface MonitoringRow {
  agencyCode: string;
  service: string;
  calls: number;
  served: number;
  refused: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Counts, errors and latency percentiles per agency and service over the last `hours` hours, from the log. */
export async function monitoringSummary(ctx: ServiceContext, hours: number): Promise<{ since: string; rows: MonitoringRow[] }> {
  const since = new Date(ctx.clock.now().getTime() - hours * 3_600_000).toISOString();
  const groups = new Map<string, { agencyCode: string; service: string; served: number; refused: number; latencies: number[] }>();
  for (const e of await accessLogSince(ctx.store.db, since)) {
    const key = `${e.agencyCode ?? '-'}|${e.service}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { agencyCode: e.agencyCode ?? '-', service: e.service, served: 0, refused: 0, latencies: [] }));
    if (e.outcome === 'served') g.served++;
    else g.refused++;
    g.latencies.push(e.latencyMs);
  }
  const rows = [...groups.values()]
    .map((g) => {
      const sorted = [...g.latencies].sort((a, b) => a - b);
      return { agencyCode: g.agencyCode, service: g.service, calls: g.served + g.refused, served: g.served, refused: g.refused, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99) };
    })
    .sort((a, b) => a.agencyCode.localeCompare(b.agencyCode) || a.service.localeCompare(b.service));
  return { since, rows };
}

/** Notifications queued for focal points, newest first. */
export const outboxMessages = (ctx: ServiceContext) => listOutbox(ctx.store.db);
