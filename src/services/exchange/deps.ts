/** Everything the exchange mechanism keeps for the life of a server process. */
import { DEFAULT_ANOMALY_RULE, type AnomalyRule } from '../../domain/exchange/anomaly.js';
import type { CategoryCatalogue } from '../categories.js';
import type { ServiceContext } from '../context.js';
import { createAnomalyWatch } from './anomaly-watch.js';
import { createExchangeMetrics, type ExchangeMetrics } from './metrics.js';
import type { ExchangeDeps } from './serve.js';

export function createExchangeDeps(
  ctx: ServiceContext,
  catalogue: CategoryCatalogue,
  rule: AnomalyRule = DEFAULT_ANOMALY_RULE,
  metrics: ExchangeMetrics = createExchangeMetrics(),
): ExchangeDeps {
  return {
    ctx,
    catalogue,
    metrics,
    anomaly: createAnomalyWatch(ctx, rule),
  };
}
