/** Calls, refusals and latency per agency and service: the chart (SVG drawn by React) and the table. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { SelectField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import type { MonitoringRow } from '../../exchange/types.js';
import { MonitoringChart, MonitoringTable } from '../../exchange/views.js';
import { formatDateTime } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { ministry } from './messages.js';

const PERIODS = ['1', '24', '168', '720'] as const;

export default function Monitoring() {
  const t = useT(ministry);
  const [hours, setHours] = useState<(typeof PERIODS)[number]>('24');
  const data = useApi((signal) => api<{ since: string; rows: MonitoringRow[] }>('GET', '/admin/monitoring', { signal, query: { hours } }), [hours]);
  return (
    <Page title={t('mon.title')}>
      <SelectField label={t('mon.hours')} value={hours} onChange={(e) => setHours(e.target.value as (typeof PERIODS)[number])} options={PERIODS.map((h) => ({ value: h, label: t(`mon.h${h}`) }))} />
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'failed' ? <ErrorState problem={data.problem} onRetry={data.reload} /> : null}
      {data.status === 'done' ? (
        <>
          <p>{t('mon.since', { since: formatDateTime(data.value.since) })}</p>
          {data.value.rows.length > 0 ? <MonitoringChart rows={data.value.rows} /> : null}
          <MonitoringTable rows={data.value.rows} />
        </>
      ) : null}
    </Page>
  );
}
