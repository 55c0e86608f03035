/** The agency, its focal points (editable) and its connections. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import type { Problem } from '../../api/problem.js';
import { exchange } from '../../exchange/messages.js';
import type { Agency, Connection, FocalPoint } from '../../exchange/types.js';
import { StateLabel } from '../../exchange/views.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { agency as messages } from './messages.js';

function FocalPoints({ initial }: { initial: FocalPoint[] }) {
  const t = useT(messages);
  const [points, setPoints] = useState<FocalPoint[]>(initial);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState(false);
  const set = (i: number, k: keyof FocalPoint, v: string) => setPoints(points.map((p, j) => (j === i ? { ...p, [k]: v } : p)));
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    setProblem(undefined);
    try {
      const a = await api<Agency>('PUT', '/my-agency/focal-points', { body: { focalPoints: points } });
      setPoints(a.focalPoints);
      setSaved(true);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('focal.title')}>
      <p className="field-hint">{t('focal.hint')}</p>
      <form className="form" onSubmit={save}>
        {points.map((p, i) => (
          <fieldset key={i}>
            <legend>{t('focal.group', { n: i + 1 })}</legend>
            <TextField label={t('focal.name')} value={p.fullName} onChange={(e) => set(i, 'fullName', e.target.value)} required />
            <TextField label={t('focal.position')} value={p.position} onChange={(e) => set(i, 'position', e.target.value)} required />
            <TextField label={t('focal.phone')} value={p.phone} onChange={(e) => set(i, 'phone', e.target.value)} required inputMode="tel" />
            <TextField label={t('focal.email')} value={p.email} onChange={(e) => set(i, 'email', e.target.value)} required type="email" />
            {points.length > 1 ? (
              <Button variant="link" onClick={() => setPoints(points.filter((_, j) => j !== i))}>
                {t('focal.remove', { n: i + 1 })}
              </Button>
            ) : null}
          </fieldset>
        ))}
        <div className="actions">
          <Button variant="secondary" onClick={() => setPoints([...points, { fullName: '', position: '', phone: '', email: '' }])} disabled={points.length >= 10}>
            {t('focal.add')}
          </Button>
          <Button type="submit" busy={busy}>
            {t('focal.save')}
          </Button>
        </div>
        {saved ? <p role="status">{t('focal.saved')}</p> : null}
        {problem ? <ErrorState problem={problem} /> : null}
      </form>
    </Section>
  );
}

export default function Home() {
  const t = useT(messages);
  const x = useT(exchange);
  const data = useApi(async (signal) => {
    const [a, connections] = await Promise.all([api<Agency>('GET', '/my-agency', { signal }), api<Connection[]>('GET', '/my-agency/connections', { signal })]);
    return { a, connections };
  }, []);
  if (data.status === 'loading') return <Page title={t('home.title')}><Loading /></Page>;
  if (data.status === 'failed') return <Page title={t('home.title')}><ErrorState problem={data.problem} onRetry={data.reload} /></Page>;
  const { a, connections } = data.value;
  return (
    <Page title={a.name} lead={`${t('home.title')} · ${a.code}`}>
      <Section title={t('home.connections')}>
        <PagedTable
          caption={t('home.connectionsCaption')}
          rows={connections}
          rowKey={(c) => c.connectionId}
          empty={t('home.noConnections')}
          columns={[
            { key: 'system', header: x('conn.system'), cell: (c) => <Link to="/agency/connection" state={{ connectionId: c.connectionId }}>{c.systemName}</Link> },
            { key: 'id', header: x('conn.id'), cell: (c) => c.connectionId },
            { key: 'state', header: x('conn.state'), cell: (c) => <StateLabel state={c.state} /> },
            { key: 'created', header: x('conn.created'), cell: (c) => formatDate(c.createdAt) },
          ]}
        />
      </Section>
      <FocalPoints initial={a.focalPoints} />
    </Page>
  );
}
