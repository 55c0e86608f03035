/**
 * Monitoring of the exchange in this process: calls, refusals by code and latency per agency and
 * service, exposed as Prometheus text. The access log stays the record across processes; the
 * admin API computes its figures from the log (see monitoring.ts).
 */
const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

interface Series {
  served: number;
  refused: Map<string, number>;
  buckets: number[];
  sumMs: number;
  count: number;
}

export interface ExchangeMetrics {
  observe(agency: string, service: string, outcome: 'served' | 'refused', errorCode: string | undefined, latencyMs: number): void;
  prometheus(): string;
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createExchangeMetrics(): ExchangeMetrics {
  const series = new Map<string, Series>();
  return {
    observe(agency, service, outcome, errorCode, latencyMs) {
      const key = `${agency}\u0000${service}`;
      let s = series.get(key);
      if (!s) series.set(key, (s = { served: 0, refused: new Map(), buckets: BUCKETS_MS.map(() => 0), sumMs: 0, count: 0 }));
      if (outcome === 'served') s.served++;
      else s.refused.set(errorCode ?? 'UNKNOWN', (s.refused.get(errorCode ?? 'UNKNOWN') ?? 0) + 1);
      BUCKETS_MS.forEach((b, i) => {
        if (latencyMs <= b) s.buckets[i]!++;
      });
      s.sumMs += latencyMs;
      s.count++;
    },
    prometheus() {
      const lines = [
        '# HELP dancu_exchange_calls_total Exchange calls by agency, service and outcome.',
        '# TYPE dancu_exchange_calls_total counter',
      ];
      const hist = ['# HELP dancu_exchange_latency_seconds Time to serve an exchange call.', '# TYPE dancu_exchange_latency_seconds histogram'];
      for (const [key, s] of [...series.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const [agency, service] = key.split('\u0000') as [string, string];
        const l = `agency="${label(agency)}",service="${label(service)}"`;
        lines.push(`dancu_exchange_calls_total{${l},outcome="served",code=""} ${s.served}`);
        for (const [code, n] of [...s.refused.entries()].sort()) lines.push(`dancu_exchange_calls_total{${l},outcome="refused",code="${label(code)}"} ${n}`);
        BUCKETS_MS.forEach((b, i) => hist.push(`dancu_exchange_latency_seconds_bucket{${l},le="${b / 1000}"} ${s.buckets[i]}`));
        hist.push(`dancu_exchange_latency_seconds_bucket{${l},le="+Inf"} ${s.count}`);
        hist.push(`dancu_exchange_latency_seconds_sum{${l}} ${s.sumMs / 1000}`);
        hist.push(`dancu_exchange_latency_seconds_count{${l}} ${s.count}`);
      }
      return `${[...lines, ...hist].join('\n')}\n`;
    },
  };
}
