/** Views the agency's and the ministry's pages share: a connection's facts and history, a statement, the monitoring chart. */
import { PagedTable } from '../components/PagedTable.js';
import { formatDate, formatDateTime } from '../format/date.js';
import { formatInteger, formatVnd } from '../format/number.js';
import { useT } from '../i18n/context.js';
import { chartLayout, ROW_HEIGHT } from './chart.js';
import { exchange } from './messages.js';
import type { ConnectionEvent, ConnectionState, ConnectionWithEvents, MonitoringRow, Statement } from './types.js';

export function StateLabel({ state }: { state: ConnectionState }) {
  const t = useT(exchange);
  const tone = state === 'active' ? 'tone-good' : state === 'suspended' || state === 'terminated' ? 'tone-bad' : 'tone-warn';
  return <strong className={tone}>{t(`state.${state}`)}</strong>;
}

export function ConnectionFacts({ c }: { c: ConnectionWithEvents }) {
  const t = useT(exchange);
  const facts: Array<[string, React.ReactNode]> = [
    [t('conn.id'), c.connectionId],
    [t('conn.agency'), c.agencyCode],
    [t('conn.system'), c.systemName],
    [t('conn.state'), <StateLabel state={c.state} />],
    [t('conn.credentials'), t(`cred.${c.credentials}`)],
    [t('conn.services'), c.requested.services.join(', ')],
    [t('conn.purposes'), c.requested.purposes.join(', ')],
    [t('conn.keys'), c.jwks.keys.map((k) => String(k.kid ?? '?')).join(', ')],
    [t('conn.created'), formatDate(c.createdAt)],
  ];
  return (
    <dl className="facts">
      {facts.map(([k, v]) => (
        <div className="fact" key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const KNOWN_KINDS = ['request', 'assessment', 'transition', 'policy', 'keys'] as const;

export function History({ events }: { events: readonly ConnectionEvent[] }) {
  const t = useT(exchange);
  const kind = (k: string) => ((KNOWN_KINDS as readonly string[]).includes(k) ? t(`kind.${k as (typeof KNOWN_KINDS)[number]}`) : k);
  const change = (e: ConnectionEvent) =>
    e.fromState || e.toState ? `${e.fromState ? t(`state.${e.fromState}`) : '—'} → ${e.toState ? t(`state.${e.toState}`) : '—'}` : e.details && 'result' in e.details ? String(e.details.result) : '';
  return (
    <PagedTable
      caption={t('history.caption')}
      rows={events}
      rowKey={(e) => String(e.seq)}
      columns={[
        { key: 'at', header: t('history.at'), cell: (e) => formatDateTime(e.at) },
        { key: 'kind', header: t('history.kind'), cell: (e) => kind(e.kind) },
        { key: 'change', header: t('history.change'), cell: change },
        { key: 'reason', header: t('history.reason'), cell: (e) => e.reason ?? '' },
      ]}
    />
  );
}

export function StatementTable({ s }: { s: Statement }) {
  const t = useT(exchange);
  return (
    <>
      <PagedTable
        caption={t('stmt.caption', { month: formatDate(s.month) })}
        rows={s.lines}
        rowKey={(l) => l.service}
        columns={[
          { key: 'service', header: t('stmt.service'), cell: (l) => l.service },
          { key: 'served', header: t('stmt.served'), cell: (l) => formatInteger(l.served) },
          { key: 'refused', header: t('stmt.refused'), cell: (l) => formatInteger(l.refused) },
          { key: 'test', header: t('stmt.test'), cell: (l) => formatInteger(l.testServed) },
          { key: 'price', header: t('stmt.price'), cell: (l) => (l.unitPriceVnd === null ? '—' : formatVnd(l.unitPriceVnd)) },
          { key: 'amount', header: t('stmt.amount'), cell: (l) => formatVnd(l.amountVnd) },
        ]}
      />
      <p>{t('stmt.total', { calls: formatInteger(s.totalCalls), amount: formatVnd(s.totalAmountVnd) })}</p>
    </>
  );
}

const BAR_AREA = 240;
const LABEL = 200;

/** Calls (served and refused) and p95 latency per agency and service, drawn as SVG by React (no script, no inline style). */
export function MonitoringChart({ rows }: { rows: readonly MonitoringRow[] }) {
  const t = useT(exchange);
  const layout = chartLayout(rows, BAR_AREA);
  const width = LABEL + BAR_AREA * 2 + 40;
  const top = 24;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${layout.height + top + 8}`} role="img" aria-labelledby="mon-chart-title" className="chart-svg">
        <title id="mon-chart-title">{t('mon.chart')}</title>
        <text x={LABEL} y={16} className="chart-head">{t('mon.calls')}</text>
        <text x={LABEL + BAR_AREA + 20} y={16} className="chart-head">{t('mon.latency')}</text>
        {layout.bars.map((b) => (
          <g key={b.key} transform={`translate(0 ${b.y + top})`}>
            <text x={0} y={ROW_HEIGHT / 2 + 4} className="chart-label">{`${b.agencyCode} · ${b.service}`}</text>
            <rect x={LABEL} y={4} width={b.servedWidth} height={ROW_HEIGHT - 10} className="bar-served" />
            <rect x={LABEL + b.servedWidth} y={4} width={b.refusedWidth} height={ROW_HEIGHT - 10} className="bar-refused" />
            <rect x={LABEL + BAR_AREA + 20} y={4} width={b.latencyWidth} height={ROW_HEIGHT - 10} className="bar-latency" />
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        <span className="key key-served" aria-hidden="true" /> {t('mon.legendServed')} <span className="key key-refused" aria-hidden="true" /> {t('mon.legendRefused')}{' '}
        <span className="key key-latency" aria-hidden="true" /> {t('mon.legendLatency')}
      </figcaption>
    </figure>
  );
}

export function MonitoringTable({ rows }: { rows: readonly MonitoringRow[] }) {
  const t = useT(exchange);
  return (
    <PagedTable
      caption={t('mon.caption')}
      rows={rows}
      rowKey={(r) => `${r.agencyCode}/${r.service}`}
      empty={t('mon.none')}
      columns={[
        { key: 'agency', header: t('mon.agency'), cell: (r) => r.agencyCode },
        { key: 'service', header: t('mon.service'), cell: (r) => r.service },
        { key: 'served', header: t('mon.served'), cell: (r) => formatInteger(r.served) },
        { key: 'refused', header: t('mon.refused'), cell: (r) => formatInteger(r.refused) },
        { key: 'p50', header: t('mon.p50'), cell: (r) => r.p50Ms.toFixed(1) },
        { key: 'p95', header: t('mon.p95'), cell: (r) => r.p95Ms.toFixed(1) },
        { key: 'p99', header: t('mon.p99'), cell: (r) => r.p99Ms.toFixed(1) },
      ]}
    />
  );
}
