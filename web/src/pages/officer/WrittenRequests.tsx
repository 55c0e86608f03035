/**
 * Written requests: the work list by deadline (GET /written-requests views), a server page at a
 * time, and — for the case's person — a new request recorded with its scanned letter.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { SelectField, TextField } from '../../components/Field.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { PurposeGate, useCase } from './CaseContext.js';
import { officer } from './messages.js';
import { DeadlineText } from './Queue.js';
import { fileBase64 } from './Scanner.js';
import type { Page as ApiPage } from './types.js';
import { FIELD_GROUPS, type FieldGroup, type WrittenRequest } from './written.js';
import { FIRST_PAGE, nextPage, pageNumber, previousPage } from '../../api/cursor-pages.js';

const VIEWS = ['open', 'awaiting_consent', 'due_today', 'overdue', 'decided', 'all'] as const;
type View = (typeof VIEWS)[number];
const STATUSES = ['awaiting_consent', 'open', 'provided', 'refused'] as const;

export function useWrittenLabels() {
  const t = useT(officer);
  return {
    status: (s: string) => ((STATUSES as readonly string[]).includes(s) ? t(`wstatus.${s as (typeof STATUSES)[number]}`) : s),
    requester: (r: WrittenRequest['requester']) => (r.kind === 'organisation' ? `${r.name ?? ''}${r.stateBody ? ` (${t('written.stateBody')})` : ''}` : t('written.citizen')),
  };
}

function List({ round }: { round: number }) {
  const t = useT(officer);
  const label = useWrittenLabels();
  const { purpose } = useCase();
  const [view, setView] = useState<View>('open');
  const [pages, setPages] = useState(FIRST_PAGE);
  const cursor = pages.cursor;
  const page = useApi((signal) => api<ApiPage<WrittenRequest>>('GET', '/written-requests', { signal, purpose, query: { view, limit: 25, cursor } }), [view, cursor, purpose, round]);
  return (
    <>
      <SelectField
        label={t('written.view')}
        value={view}
        onChange={(e) => {
          setView(e.target.value as View);
          setPages(FIRST_PAGE);
        }}
        options={VIEWS.map((v) => ({ value: v, label: t(`wview.${v}`) }))}
      />
      {page.status === 'loading' ? <Loading /> : null}
      {page.status === 'failed' ? <ErrorState problem={page.problem} onRetry={page.reload} /> : null}
      {page.status === 'done' ? (
        <PagedTable
          caption={t('written.caption')}
          rows={page.value.items}
          rowKey={(r) => r.requestId}
          server={{
            page: pageNumber(pages),
            onPrevious: pages.before.length > 0 ? () => setPages(previousPage) : undefined,
            onNext: page.value.nextCursor ? () => setPages((p) => nextPage(p, page.value.nextCursor!)) : undefined,
          }}
          columns={[
            {
              key: 'id',
              header: t('written.number'),
              cell: (r) => (
                <Link to="/officer/written-request" state={{ requestId: r.requestId }}>
                  {t('written.open', { id: r.requestId })}
                </Link>
              ),
            },
            { key: 'received', header: t('written.receivedOn'), cell: (r) => formatDate(r.receivedOn) },
            { key: 'requester', header: t('written.requester'), cell: (r) => label.requester(r.requester) },
            { key: 'deadline', header: t('written.deadline'), cell: (r) => <DeadlineText deadline={r.deadline} /> },
            { key: 'status', header: t('written.state'), cell: (r) => label.status(r.status) },
          ]}
        />
      ) : null}
    </>
  );
}

function NewRequest({ personalId, onRecorded }: { personalId: string; onRecorded(): void }) {
  const t = useT(officer);
  const { purpose } = useCase();
  const [channel, setChannel] = useState<'counter' | 'post'>('counter');
  const [kind, setKind] = useState<'citizen' | 'organisation'>('citizen');
  const [orgName, setOrgName] = useState('');
  const [stateBody, setStateBody] = useState(false);
  const [groups, setGroups] = useState<Set<FieldGroup>>(new Set(['identity']));
  const [letterPurpose, setLetterPurpose] = useState('');
  const [scan, setScan] = useState<File | undefined>();
  const [invalid, setInvalid] = useState(false);
  const [state, setState] = useState<{ status: 'idle' | 'busy' } | { status: 'done'; id: string } | { status: 'failed'; problem: Problem }>({ status: 'idle' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (groups.size === 0 || !letterPurpose.trim() || !scan || (kind === 'organisation' && !orgName.trim())) return setInvalid(true);
    setInvalid(false);
    setState({ status: 'busy' });
    try {
      const requester = kind === 'citizen' ? { kind, personalId } : { kind, name: orgName.trim(), stateBody };
      const body = { personalId, channel, requester, fields: FIELD_GROUPS.filter((g) => groups.has(g)), purpose: letterPurpose.trim(), scan: { mediaType: scan.type, contentBase64: await fileBase64(scan) } };
      const recorded = await api<WrittenRequest>('POST', '/written-requests', { body, purpose });
      setState({ status: 'done', id: recorded.requestId });
      onRecorded();
    } catch (err) {
      setState({ status: 'failed', problem: problemOf(err) });
    }
  };
  const toggle = (g: FieldGroup) => {
    const next = new Set(groups);
    if (next.has(g)) next.delete(g);
    else next.add(g);
    setGroups(next);
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      {invalid ? <p role="alert">{t('written.invalid')}</p> : null}
      <SelectField label={t('written.channel')} value={channel} onChange={(e) => setChannel(e.target.value as 'counter' | 'post')} options={[{ value: 'counter', label: t('channel.counter') }, { value: 'post', label: t('channel.post') }]} />
      <SelectField label={t('written.requesterKind')} value={kind} onChange={(e) => setKind(e.target.value as 'citizen' | 'organisation')} options={[{ value: 'citizen', label: t('written.self') }, { value: 'organisation', label: t('written.organisation') }]} />
      {kind === 'organisation' ? (
        <>
          <TextField label={t('written.orgName')} required value={orgName} maxLength={300} onChange={(e) => setOrgName(e.target.value)} />
          <label className="choice">
            <input type="checkbox" checked={stateBody} onChange={(e) => setStateBody(e.target.checked)} />
            {t('written.stateBody')}
          </label>
        </>
      ) : null}
      <fieldset>
        <legend>{t('written.fields')}</legend>
        {FIELD_GROUPS.map((g) => (
          <label key={g} className="choice">
            <input type="checkbox" checked={groups.has(g)} onChange={() => toggle(g)} />
            {t(`group.${g}`)}
          </label>
        ))}
      </fieldset>
      <TextField label={t('written.purpose')} required value={letterPurpose} maxLength={1000} onChange={(e) => setLetterPurpose(e.target.value)} />
      <TextField label={t('written.scan')} required type="file" accept="application/pdf,image/jpeg,image/png" onChange={(e) => setScan(e.target.files?.[0])} />
      <Button type="submit" busy={state.status === 'busy'}>
        {t('written.record')}
      </Button>
      {state.status === 'done' ? <p role="status">{t('written.recorded', { id: state.id })}</p> : null}
      {state.status === 'failed' ? <ErrorState problem={state.problem} /> : null}
    </form>
  );
}

function Work() {
  const t = useT(officer);
  const { current } = useCase();
  const [round, setRound] = useState(0);
  return (
    <>
      <List round={round} />
      <Section title={current.personalId ? t('written.newTitle') : t('written.record')}>
        {current.personalId ? <NewRequest personalId={current.personalId} onRecorded={() => setRound((r) => r + 1)} /> : <p>{t('written.newNeedsPerson')}</p>}
      </Section>
    </>
  );
}

export default function WrittenRequests() {
  const t = useT(officer);
  return (
    <Page title={t('written.title')} lead={t('written.lead')}>
      <PurposeGate suggested="WRITTEN_REQUEST">
        <Work />
      </PurposeGate>
    </Page>
  );
}
