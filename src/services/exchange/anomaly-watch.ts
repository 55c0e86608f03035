/**
 * The anomaly rule at work: after each served call, the connection's count for the current hour
 * is compared with its usual hourly volume (median of the previous hours, from the usage
 * counters). An anomalous hour suspends the connection at once — by the system, with the reason —
 * and notifies the agency's focal points through the outbox.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_ANOMALY_RULE, isAnomalous, usualHourlyVolume, type AnomalyRule } from '../../domain/exchange/anomaly.js';
import { localHourOf } from '../../domain/exchange/rate-limit.js';
import { insertOutboxMessages, usageOf } from '../../store/repositories/access-log.js';
import { findAgency } from '../../store/repositories/agencies.js';
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
        const keys = Array.from({ length: rule.baselineHours }, (_, i) => localHourOf(new Date(t - (rule.baselineHours - i) * 3_600_000).toISOString()));
        const counts = await usageOf(ctx.store.db, connection.connectionId, keys);
        b = { hour, baseline: keys.map((k) => counts.get(k) ?? 0) };
        baselines.set(connection.connectionId, b);
      }
      if (!isAnomalous(hourCalls, b.baseline, rule)) return;
      const reason = `Lưu lượng bất thường: ${hourCalls} lượt trong giờ ${hour}, gấp hơn ${rule.multiple} lần mức thông thường (${usualHourlyVolume(b.baseline)} lượt/giờ)`;
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
