/**
 * Monitoring of the exchange: calls, refusals by code and latency per agency and service, counted
 * in each server process and exposed as Prometheus text summed over the server's processes (they
 * send each other snapshots). The access log stays the record; the admin API computes its figures
 * from the log (see monitoring.ts).
 */
const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

interface Series {
  served: number;
  refused: Map<string, number>;
  buckets: number[];
  sumMs: number;
  count: number;
}

/** One process's figures as plain data: what server processes send each other to report together. */
export interface MetricsSnapshot {
  series: { agency: string; service: string; served: number; refused: [code: string, calls: number][]; buckets: number[]; sumMs: number; count: number }[];
}

export interface ExchangeMetrics {
  observe(agency: string, service: string, outcome: 'served' | 'refused', errorCode: string | undefined, latencyMs: number): void;
  snapshot(): MetricsSnapshot;
  /** Prometheus text of this process and of the snapshots of the server's other processes. */
  prometheus(others?: readonly MetricsSnapshot[]): string;
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const emptySeries = (): Series => ({ served: 0, refused: new Map(), buckets: BUCKETS_MS.map(() => 0), sumMs: 0, count: 0 });
const keyOf = (agency: string, service: string) => `${agency}\u0000${service}`;

export function createExchangeMetrics(): ExchangeMetrics {
  const series = new Map<string, Series>();
  const snapshot = (): MetricsSnapshot => ({
    series: [...series.entries()].map(([key, s]) => {
      const [agency, service] = key.split('\u0000') as [string, string];
      return { agency, service, served: s.served, refused: [...s.refused.entries()], buckets: [...s.buckets], sumMs: s.sumMs, count: s.count };
    }),
  });
  return {
    observe(agency, service, outcome, errorCode, latencyMs) {
      const key = keyOf(agency, service);
      let s = series.get(key);
      if (!s) series.set(key, (s = emptySeries()));
      if (outcome === 'served') s.served++;
      else s.refused.set(errorCode ?? 'UNKNOWN', (s.refused.get(errorCode ?? 'UNKNOWN') ?? 0) + 1);
      BUCKETS_MS.forEach((b, i) => {
        if (latencyMs <= b) s.buckets[i]!++;
      });
      s.sumMs += latencyMs;
      s.count++;
    },
    snapshot,
    prometheus: (others = []) => renderPrometheus([snapshot(), ...others]),
  };
}

/** Sums the processes' snapshots series by series and renders them as Prometheus text. */
export function renderPrometheus(snapshots: readonly MetricsSnapshot[]): string {
  const series = new Map<string, Series>();
  for (const snap of snapshots) {
    for (const x of snap.series) {
      const key = keyOf(x.agency, x.service);
      let s = series.get(key);
      if (!s) series.set(key, (s = emptySeries()));
      s.served += x.served;
      for (const [code, n] of x.refused) s.refused.set(code, (s.refused.get(code) ?? 0) + n);
      x.buckets.forEach((n, i) => (s.buckets[i] = (s.buckets[i] ?? 0) + n));
      s.sumMs += x.sumMs;
      s.count += x.count;
    }
  }
  const lines = ['# HELP dancu_exchange_calls_total Exchange calls by agency, service and outcome.', '# TYPE dancu_exchange_calls_total counter'];
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
}
