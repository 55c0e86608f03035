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
  served(connection: CallerConnection, at: string): Promise<void>;
  rule: AnomalyRule;
}

export function createAnomalyWatch(ctx: ServiceContext, rule: AnomalyRule = DEFAULT_ANOMALY_RULE): AnomalyWatch {
  const hours = new Map<string, { hour: string; count: number; baseline?: number[] }>();
  return {
    rule,
    async served(connection, at) {
      const hour = localHourOf(at);
      let h = hours.get(connection.connectionId);
      if (!h || h.hour !== hour) {
        // First call of the hour in this process: start from what the counters already hold.
        const stored = (await usageOf(ctx.store.db, connection.connectionId, [hour])).get(hour) ?? 0;
        h = { hour, count: Math.max(stored - 1, 0) };
        hours.set(connection.connectionId, h);
      }
      h.count += 1;
      if (h.count < rule.minimumCalls) return;
      if (!h.baseline) {
        const t = Date.parse(at);
        const keys = Array.from({ length: rule.baselineHours }, (_, i) => localHourOf(new Date(t - (rule.baselineHours - i) * 3_600_000).toISOString()));
        const counts = await usageOf(ctx.store.db, connection.connectionId, keys);
        h.baseline = keys.map((k) => counts.get(k) ?? 0);
      }
      if (!isAnomalous(h.count, h.baseline, rule)) return;
      hours.delete(connection.connectionId);
      const reason = `Lưu lượng bất thường: ${h.count} lượt trong giờ ${hour}, gấp hơn ${rule.multiple} lần mức thông thường (${usualHourlyVolume(h.baseline)} lượt/giờ)`;
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
