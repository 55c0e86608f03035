/**
 * The anomaly rule at work: after each served call, the connection's count for the current hour
 * is compared with its usual hourly volume — the median of the previous hours since it went live
 * (from the usage counters), or, while it has too little history, the hourly share of its policy's
 * daily quota (decision 0013). An anomalous hour suspends the connection at once — by the system,
 * with the reason — and notifies the agency's focal points through the outbox.
 */
import { randomUUID } from 'node:crypto';
import { declaredHourlyVolume, DEFAULT_ANOMALY_RULE, isAnomalous, usualVolume, type AnomalyRule } from '../../domain/exchange/anomaly.js';
import { localHourOf } from '../../domain/exchange/rate-limit.js';
import { insertOutboxMessages, usageOf } from '../../store/repositories/access-log.js';
import { findAgency, firstActiveAt } from '../../store/repositories/agencies.js';
import type { CallerConnection } from '../../store/repositories/exchange-tokens.js';
import type { Actor, ServiceContext } from '../context.js';
import { transitionConnection } from './agencies.js';

export const ANOMALY_ACTOR: Actor = { principalId: 'system:anomaly', role: 'system' };

export interface AnomalyWatch {
  /** After a served call: `hourCalls` is the connection's count for the call's hour, the call included. */
  served(connection: CallerConnection, at: string, hourCalls: number): Promise<void>;
  rule: AnomalyRule;
}

export function createAnomalyWatch(ctx: ServiceContext, rule: AnomalyRule = DEFAULT_ANOMALY_RULE): AnomalyWatch {
  // The usual volume of past hours does not change: read once per connection and hour, per process.
  // The current hour's count comes from the store's counters, so every process sees all calls.
  const baselines = new Map<string, { hour: string; baseline: number[] }>();
  return {
    rule,
    async served(connection, at, hourCalls) {
      if (hourCalls < rule.minimumCalls) return;
      const hour = localHourOf(at);
      let b = baselines.get(connection.connectionId);
      if (!b || b.hour !== hour) {
        const t = Date.parse(at);
        // History starts with the hour the connection went live: the hours before (the test stage,
        // or before it existed) are not a usual volume of zero; one never live has no history yet. Vietnam's offset is whole hours, so
        // UTC hour boundaries are local ones.
        const live = await firstActiveAt(ctx.store.db, connection.connectionId);
        const liveHours = live === undefined ? 0 : Math.floor(t / 3_600_000) - Math.floor(Date.parse(live) / 3_600_000);
        const n = Math.max(0, Math.min(rule.baselineHours, liveHours));
        const keys = Array.from({ length: n }, (_, i) => localHourOf(new Date(t - (n - i) * 3_600_000).toISOString()));
        const counts = await usageOf(ctx.store.db, connection.connectionId, keys);
        b = { hour, baseline: keys.map((k) => counts.get(k) ?? 0) };
        baselines.set(connection.connectionId, b);
      }
      const declared = declaredHourlyVolume(connection.policy?.dailyQuota);
      if (!isAnomalous(hourCalls, b.baseline, rule, declared)) return;
      const usual = usualVolume(b.baseline, rule, declared)!;
      const figure = `${Math.round(usual.usual * 10) / 10} lượt/giờ`;
      const reason =
        usual.source === 'history'
          ? `Lưu lượng bất thường: ${hourCalls} lượt trong giờ ${hour}, gấp hơn ${rule.multiple} lần mức thông thường (${figure})`
          : `Lưu lượng bất thường: ${hourCalls} lượt trong giờ ${hour}, gấp hơn ${rule.multiple} lần mức khai báo trong chính sách (${figure}, 1/24 hạn mức ngày)`;
      let suspended;
      try {
        suspended = await transitionConnection(ctx, ANOMALY_ACTOR, connection.connectionId, 'suspend', reason);
      } catch {
        return; // already suspended or terminated by someone else: nothing to notify
      }
      const agency = await findAgency(ctx.store.db, connection.agencyCode);
      await insertOutboxMessages(
        ctx.store.db,
        (agency?.focalPoints ?? []).map((f) => ({
          messageId: randomUUID(),
          createdAt: ctx.clock.now().toISOString(),
          channel: 'email' as const,
          recipient: f.email,
          subject: `[dancu] Kết nối ${connection.connectionId} đã bị tạm ngừng`,
          body: `Kính gửi ${f.fullName},\n\nKết nối ${connection.connectionId} (${suspended.systemName}) của ${agency?.name ?? connection.agencyCode} đã bị tạm ngừng tự động.\nLý do: ${reason}.\nVui lòng liên hệ Bộ Công an để được xem xét khôi phục.`,
          status: 'pending' as const,
          related: connection.connectionId,
        })),
      );
    },
  };
}
