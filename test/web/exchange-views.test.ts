/** The monitoring chart's geometry and the SMS lines of /metrics, as the ministry's pages read them (pure, web/src/exchange). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chartLayout, ROW_HEIGHT } from '../../web/src/exchange/chart.js';
import { samplesOf } from '../../web/src/exchange/prometheus.js';
import { smsPrometheus } from '../../src/services/sms/status.js';
import type { MonitoringRow } from '../../web/src/exchange/types.js';

const row = fc.record({
  agencyCode: fc.constantFrom('A', 'B', 'C'),
  service: fc.constantFrom('lookupCitizen', 'verifyCitizen'),
  served: fc.nat(10_000),
  refused: fc.nat(10_000),
  p50Ms: fc.double({ min: 0, max: 5_000, noNaN: true }),
  p95Ms: fc.double({ min: 0, max: 5_000, noNaN: true }),
  p99Ms: fc.double({ min: 0, max: 5_000, noNaN: true }),
}).map((r): MonitoringRow => ({ ...r, calls: r.served + r.refused }));

describe('chartLayout', () => {
  it('scales calls and latency to the width, busiest first, one row each', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.integer({ min: 10, max: 1_000 }), (rows, width) => {
        const l = chartLayout(rows, width);
        assert.equal(l.bars.length, rows.length);
        assert.equal(l.height, rows.length * ROW_HEIGHT);
        l.bars.forEach((b, i) => {
          assert.equal(b.y, i * ROW_HEIGHT);
          assert.ok(b.servedWidth + b.refusedWidth <= width + 1e-9);
          assert.ok(b.latencyWidth <= width + 1e-9 && b.latencyWidth >= 0);
          if (l.maxCalls > 0) assert.ok(Math.abs(b.servedWidth - (b.served / l.maxCalls) * width) < 1e-9);
          if (i > 0) assert.ok(l.bars[i - 1]!.served + l.bars[i - 1]!.refused >= b.served + b.refused);
        });
        if (rows.length > 0 && l.maxCalls > 0) assert.ok(l.bars.some((b) => Math.abs(b.servedWidth + b.refusedWidth - width) < 1e-9));
        if (rows.length > 0 && l.maxLatencyMs > 0) assert.ok(l.bars.some((b) => Math.abs(b.latencyWidth - width) < 1e-9));
      }),
    );
  });

  it('draws nothing wide when nothing was called', () => {
    const l = chartLayout([{ agencyCode: 'A', service: 's', calls: 0, served: 0, refused: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0 }], 100);
    assert.deepEqual([l.bars[0]!.servedWidth, l.bars[0]!.refusedWidth, l.bars[0]!.latencyWidth, l.maxCalls], [0, 0, 0, 0]);
    assert.deepEqual(chartLayout([], 100), { bars: [], height: 0, maxCalls: 0, maxLatencyMs: 0 });
  });
});

describe('samplesOf', () => {
  it('reads every SMS sample the server writes, with its labels and value', () => {
    const text = smsPrometheus({
      links: [{ smsc: 'viettel "1"', state: 'bound', bindFailures: 2 }, { smsc: 'vina', state: 'down', bindFailures: 0 }],
      queueDepth: 7,
      outbox: { queued: 5, sending: 2, submitted: 3, delivered: 11, failed: 1, expired: 4 },
      throttled: 6,
      uncertain: 0,
      inbox: { received: 9, unanswered: 1 },
    } as unknown as Parameters<typeof smsPrometheus>[0]);
    const samples = samplesOf(`# HELP x\nother_metric 5\n${text}`, 'dancu_sms_');
    const value = (name: string, labels: Record<string, string> = {}) => samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
    assert.equal(value('dancu_sms_queue_depth'), 7);
    assert.equal(value('dancu_sms_delivered_total'), 11);
    assert.equal(value('dancu_sms_binds', { smsc: 'viettel "1"' }), 1);
    assert.equal(value('dancu_sms_binds', { smsc: 'vina' }), 0);
    assert.equal(value('dancu_sms_messages', { state: 'queued' }), 5);
    assert.ok(samples.every((s) => s.name.startsWith('dancu_sms_')));
    assert.equal(samples.length, text.split('\n').filter((l) => l.startsWith('dancu_sms_')).length);
  });

  it('skips what is not a sample', () => {
    assert.deepEqual(samplesOf('dancu_sms_x NaN\ndancu_sms_y\n# dancu_sms_z 1\ndancu_sms_ok{a="b"} 3', 'dancu_sms_'), [{ name: 'dancu_sms_ok', labels: { a: 'b' }, value: 3 }]);
  });
});
