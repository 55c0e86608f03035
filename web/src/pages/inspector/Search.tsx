/** Search the access log by citizen, agency, action, outcome and period; a page at a time; each use opens with its proof. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { SelectField, TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { formatDateTime, parseDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { navigate } from '../../router.js';
import { inspector } from './messages.js';
import { PurposeField, usePurpose, vietnamDayStart } from './Purpose.js';
import type { AccessEntry } from './types.js';

type Query = Record<string, string | undefined>;

export default function Search() {
  const t = useT(inspector);
  const { purpose, header } = usePurpose();
  const [f, setF] = useState({ personalId: '', agencyCode: '', action: '', outcome: '', from: '', to: '' });
  const [errors, setErrors] = useState<Partial<Record<'purpose' | 'from' | 'to', string>>>({});
  const [query, setQuery] = useState<Query>();
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [result, setResult] = useState<{ status: 'loading' } | { status: 'done'; items: AccessEntry[]; next?: string } | { status: 'failed'; problem: Problem }>();

  const load = async (q: Query, cursor: string | undefined) => {
    setResult({ status: 'loading' });
    try {
      const page = await api<{ items: AccessEntry[]; nextCursor?: string }>('GET', '/inspection/access-entries', { purpose: header, query: { ...q, cursor, limit: 20 } });
      setResult({ status: 'done', items: page.items, ...(page.nextCursor ? { next: page.nextCursor } : {}) });
    } catch (e) {
      setResult({ status: 'failed', problem: problemOf(e) });
    }
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const from = f.from.trim() ? parseDate(f.from) : undefined;
    const to = f.to.trim() ? parseDate(f.to) : undefined;
    const next = {
      ...(purpose.trim() ? {} : { purpose: t('purpose.missing') }),
      ...(f.from.trim() && !from ? { from: t('search.badDate') } : {}),
      ...(f.to.trim() && !to ? { to: t('search.badDate') } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const q: Query = {
      personalId: f.personalId.trim() || undefined,
      agencyCode: f.agencyCode.trim() || undefined,
      action: f.action.trim() || undefined,
      outcome: f.outcome || undefined,
      from: from ? vietnamDayStart(from) : undefined,
      to: to ? vietnamDayStart(to, 1) : undefined,
    };
    setQuery(q);
    setCursors([undefined]);
    void load(q, undefined);
  };
  const who = (e: AccessEntry) => [e.agencyCode, e.role, e.unit, e.officerId].filter(Boolean).join(' · ') || e.callerKind;
  return (
    <Page title={t('search.title')}>
      <form className="form" onSubmit={submit} noValidate>
        <PurposeField error={errors.purpose} />
        <TextField label={t('search.person')} value={f.personalId} onChange={(e) => setF({ ...f, personalId: e.target.value })} inputMode="numeric" autoComplete="off" />
        <TextField label={t('search.agency')} value={f.agencyCode} onChange={(e) => setF({ ...f, agencyCode: e.target.value })} />
        <TextField label={t('search.action')} value={f.action} onChange={(e) => setF({ ...f, action: e.target.value })} />
        <SelectField label={t('search.outcome')} value={f.outcome} onChange={(e) => setF({ ...f, outcome: e.target.value })} options={[{ value: '', label: t('search.any') }, { value: 'served', label: t('search.served') }, { value: 'refused', label: t('search.refused') }]} />
        <TextField label={t('search.from')} value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} error={errors.from} />
        <TextField label={t('search.to')} value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} error={errors.to} />
        <Button type="submit">{t('search.submit')}</Button>
      </form>
      {result?.status === 'loading' ? <Loading /> : null}
      {result?.status === 'failed' ? <ErrorState problem={result.problem} /> : null}
      {result?.status === 'done' && query ? (
        <PagedTable
          caption={t('search.caption')}
          rows={result.items}
          rowKey={(e) => `${e.entryId}/${e.subjectKey}`}
          empty={t('search.none')}
          server={{
            page: cursors.length,
            onPrevious: cursors.length > 1 ? () => { const c = cursors.slice(0, -1); setCursors(c); void load(query, c[c.length - 1]); } : undefined,
            onNext: result.next ? () => { setCursors([...cursors, result.next]); void load(query, result.next); } : undefined,
          }}
          columns={[
            { key: 'at', header: t('col.at'), cell: (e) => formatDateTime(e.at) },
            { key: 'who', header: t('col.who'), cell: who },
            { key: 'action', header: t('col.action'), cell: (e) => e.action },
            { key: 'purpose', header: t('col.purpose'), cell: (e) => e.purpose ?? '' },
            { key: 'outcome', header: t('col.outcome'), cell: (e) => (e.outcome === 'served' ? t('search.served') : `${t('search.refused')} (${e.errorCode ?? e.httpStatus})`) },
            { key: 'people', header: t('col.people'), cell: (e) => e.personalIds.join(', ') },
            {
              key: 'open',
              header: t('col.open'),
              cell: (e) => (
                <Button variant="link" onClick={() => navigate('/inspector/entry', { state: { entry: e } })}>
                  {t('entry.open', { at: formatDateTime(e.at) })}
                </Button>
              ),
            },
          ]}
        />
      ) : null}
    </Page>
  );
}
