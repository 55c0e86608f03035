/**
 * The monitoring chart's geometry, pure so it is tested without a browser: one row per agency and
 * service, calls split into served and refused on one scale, the 95th-percentile latency on another.
 */
import type { MonitoringRow } from './types.js';

export interface Bar {
  key: string;
  agencyCode: string;
  service: string;
  served: number;
  refused: number;
  p95Ms: number;
  /** Top of the row, in chart units. */
  y: number;
  servedWidth: number;
  refusedWidth: number;
  latencyWidth: number;
}

export interface ChartLayout {
  bars: Bar[];
  height: number;
  maxCalls: number;
  maxLatencyMs: number;
}

export const ROW_HEIGHT = 28;

/** Rows busiest first (then by agency and service), widths proportional to the largest value; `width` each for calls and latency. */
export function chartLayout(rows: readonly MonitoringRow[], width: number): ChartLayout {
  const sorted = [...rows].sort((a, b) => b.calls - a.calls || a.agencyCode.localeCompare(b.agencyCode) || a.service.localeCompare(b.service));
  const maxCalls = Math.max(0, ...sorted.map((r) => r.served + r.refused));
  const maxLatencyMs = Math.max(0, ...sorted.map((r) => r.p95Ms));
  const scale = (v: number, max: number) => (max > 0 ? (Math.max(0, v) / max) * width : 0);
  return {
    bars: sorted.map((r, i) => ({
      key: `${r.agencyCode}/${r.service}`,
      agencyCode: r.agencyCode,
      service: r.service,
      served: r.served,
      refused: r.refused,
      p95Ms: r.p95Ms,
      y: i * ROW_HEIGHT,
      servedWidth: scale(r.served, maxCalls),
      refusedWidth: scale(r.refused, maxCalls),
      latencyWidth: scale(r.p95Ms, maxLatencyMs),
    })),
    height: sorted.length * ROW_HEIGHT,
    maxCalls,
    maxLatencyMs,
  };
}
