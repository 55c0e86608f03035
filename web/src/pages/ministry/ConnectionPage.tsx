/** One connection for the ministry: facts and history, the security assessment, state changes with reasons, the policy. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { SelectField, TextField } from '../../components/Field.js';
import { Page, Section } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { TextArea } from '../../components/TextArea.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { exchange } from '../../exchange/messages.js';
import type { Connection, ConnectionState, ConnectionWithEvents } from '../../exchange/types.js';
import { ConnectionFacts, History } from '../../exchange/views.js';
import { useT } from '../../i18n/context.js';
import { Link, usePageState } from '../../router.js';
import { NotFound } from '../public/NotFound.js';
import { ministry } from './messages.js';

type Action = 'approve_for_test' | 'activate' | 'suspend' | 'resume' | 'terminate' | 'reject';
/** What can be done from each state (domain/exchange/connection-lifecycle.ts); the server decides, this only offers. */
const ACTIONS: Readonly<Record<ConnectionState, readonly Action[]>> = {
  requested: ['approve_for_test', 'reject', 'terminate'],
  testing: ['activate', 'terminate'],
  active: ['suspend', 'terminate'],
  suspended: ['resume', 'terminate'],
  terminated: [],
};

function useSubmit<T>(run: () => Promise<T>, after: (value: T) => void) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const submit = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      after(await run());
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, submit };
}

function Transition({ c, onDone }: { c: ConnectionWithEvents; onDone(state: ConnectionState): void }) {
  const t = useT(ministry);
  const actions = ACTIONS[c.state];
  const [action, setAction] = useState<Action | undefined>(actions[0]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const { busy, problem, submit } = useSubmit(
    () => api<Connection>('POST', `/admin/connections/${encodeURIComponent(c.connectionId)}/transitions`, { body: { action, reason: reason.trim() } }),
    (next) => {
      setReason('');
      onDone(next.state);
    },
  );
  if (actions.length === 0) return null;
  return (
    <Section title={t('trans.title')}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason.trim()) return setError(t('trans.needReason'));
          setError(undefined);
          void submit();
        }}
      >
        <SelectField label={t('trans.action')} value={action ?? ''} onChange={(e) => setAction(e.target.value as Action)} options={actions.map((a) => ({ value: a, label: t(`act.${a}`) }))} />
        <TextArea label={t('trans.reason')} value={reason} onChange={(e) => setReason(e.target.value)} error={error} required />
        <Button type="submit" busy={busy} variant={action === 'suspend' || action === 'terminate' || action === 'reject' ? 'danger' : 'primary'}>
          {t('trans.submit')}
        </Button>
        {problem ? <ErrorState problem={problem} /> : null}
      </form>
    </Section>
  );
}

function Assessment({ c, onDone }: { c: ConnectionWithEvents; onDone(): void }) {
  const t = useT(ministry);
  const [f, setF] = useState({ result: 'passed', summary: '', assessor: '' });
  const { busy, problem, submit } = useSubmit(() => api('POST', `/admin/connections/${encodeURIComponent(c.connectionId)}/assessments`, { body: f }), () => {
    setF({ result: 'passed', summary: '', assessor: '' });
    onDone();
  });
  if (c.state === 'terminated') return null;
  return (
    <Section title={t('assess.title')}>
      <form className="form" onSubmit={submit}>
        <SelectField label={t('assess.result')} value={f.result} onChange={(e) => setF({ ...f, result: e.target.value })} options={[{ value: 'passed', label: t('assess.passed') }, { value: 'failed', label: t('assess.failed') }]} />
        <TextArea label={t('assess.summary')} value={f.summary} onChange={(e) => setF({ ...f, summary: e.target.value })} required />
        <TextField label={t('assess.assessor')} value={f.assessor} onChange={(e) => setF({ ...f, assessor: e.target.value })} required />
        <Button type="submit" busy={busy}>
          {t('assess.submit')}
        </Button>
        {problem ? <ErrorState problem={problem} /> : null}
      </form>
    </Section>
  );
}

function PolicyEditor({ c, onDone }: { c: ConnectionWithEvents; onDone(): void }) {
  const t = useT(ministry);
  const [text, setText] = useState(c.policy ? JSON.stringify(c.policy, null, 2) : '');
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const { busy, problem, submit } = useSubmit(() => api('PUT', `/admin/connections/${encodeURIComponent(c.connectionId)}/policy`, { body: JSON.parse(text) as unknown }), () => {
    setSaved(true);
    onDone();
  });
  if (c.state === 'terminated') return null;
  return (
    <Section title={t('policy.title')}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          try {
            JSON.parse(text);
          } catch {
            return setError(t('policy.invalid'));
          }
          setError(undefined);
          void submit();
        }}
      >
        <TextArea label={t('policy.label')} value={text} onChange={(e) => setText(e.target.value)} error={error} rows={10} className="mono" />
        <Button type="submit" busy={busy}>
          {t('policy.submit')}
        </Button>
        {saved ? <p role="status">{t('policy.saved')}</p> : null}
        {problem ? <ErrorState problem={problem} /> : null}
      </form>
    </Section>
  );
}

export default function ConnectionPage() {
  const t = useT(ministry);
  const x = useT(exchange);
  const connectionId = usePageState<{ connectionId: string }>()?.connectionId;
  // Said above the page: the transition's form is replaced when the state changes.
  const [moved, setMoved] = useState<ConnectionState>();
  const data = useApi((signal) => (connectionId ? api<ConnectionWithEvents>('GET', `/admin/connections/${encodeURIComponent(connectionId)}`, { signal }) : Promise.resolve(undefined)), [connectionId]);
  if (!connectionId) return <NotFound />;
  if (data.status === 'loading') return <Page title={x('conn.id')}><Loading /></Page>;
  if (data.status === 'failed' || !data.value) return <Page title={x('conn.id')}>{data.status === 'failed' ? <ErrorState problem={data.problem} onRetry={data.reload} /> : null}</Page>;
  const c = data.value;
  return (
    <Page title={t('conn.pageTitle', { system: c.systemName })}>
      <p>
        <Link to="/ministry">{t('conn.back')}</Link>
      </p>
      {moved ? <p role="status" className="verified">{t('trans.done', { state: x(`state.${moved}`) })}</p> : null}
      <ConnectionFacts c={c} />
      <Transition
        key={`t-${c.state}`}
        c={c}
        onDone={(state) => {
          setMoved(state);
          data.reload();
        }}
      />
      <Section title={x('history.title')}>
        <History events={c.events} />
      </Section>
      <Assessment c={c} onDone={data.reload} />
      <PolicyEditor key={`p-${c.connectionId}`} c={c} onDone={data.reload} />
    </Page>
  );
}
