/**
 * Who used my data (decision 0032): the usage view with filters (period, kind of user), server
 * paging by cursor, each entry's receipt to download (a C2SP tlog-proof) and a report ("I did not
 * expect this") that opens a grievance for inspectors; the reports sent and their status below.
 */
import { useState, type FormEvent } from 'react';
import { api, apiFile, saveFile } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { SelectField, TextField } from '../../components/Field.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDateTime } from '../../format/date.js';
import { useLang, useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { Shown, useAction } from './feedback.js';
import { fieldList } from './field-names.js';
import { FIRST_PAGE, nextPage, pageNumber, previousPage } from '../../api/cursor-pages.js';
import { isUsageKind, USAGE_KINDS as KINDS, usageQuery, type FilterError, type UsageQuery } from './usage-filters.js';

interface UsageItem {
  entryId: string;
  at: string;
  kind: string;
  agencyName?: string;
  agencyCode?: string;
  unit?: string;
  system: string;
  description: string;
  fields: string[];
  outcome: 'served' | 'refused';
  receiptReady: boolean;
}
interface UsagePage {
  items: UsageItem[];
  nextCursor?: string;
}
interface Grievance {
  grievanceId: string;
  entryId: string;
  openedAt: string;
  text: string;
  status: 'opened' | 'assigned' | 'answered' | 'closed';
}

export default function Usage() {
  const t = useT(citizenMessages);
  const { lang } = useLang();
  const [typed, setTyped] = useState({ from: '', to: '', kind: '' });
  const [errors, setErrors] = useState<{ from?: FilterError; to?: FilterError }>({});
  const [filters, setFilters] = useState<UsageQuery>({});
  const [pages, setPages] = useState(FIRST_PAGE);
  const [flagging, setFlagging] = useState<UsageItem | undefined>();
  const { run, busy, feedback } = useAction();
  const page = useApi(
    (signal) => api<UsagePage>('GET', '/me/usage', { signal, query: { ...filters, cursor: pages.cursor, limit: 20 } }),
    [filters, pages],
  );
  const grievances = useApi((signal) => api<{ items: Grievance[] }>('GET', '/me/grievances', { signal }), []);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const result = usageQuery(typed);
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) return;
    setPages(FIRST_PAGE);
    setFilters(result.query);
  };

  const receipt = (item: UsageItem) =>
    void run(item.entryId, async () => {
      const { blob, fileName } = await apiFile(`/me/usage/${item.entryId}/receipt`, { accept: 'application/tlog-proof' });
      saveFile(blob, fileName ?? `${item.entryId}.tlog-proof`);
    });

  const who = (i: UsageItem) => i.agencyName ?? i.unit ?? i.agencyCode ?? t(`usage.kind.${isUsageKind(i.kind) ? i.kind : 'system'}`);
  return (
    <Page title={t('usage.title')} lead={t('usage.lead')}>
      <Section title={t('usage.filters')}>
        <form className="form-inline" onSubmit={apply} noValidate>
          <TextField label={t('usage.from')} hint={t('usage.dateHint')} name="from" inputMode="numeric" value={typed.from} onChange={(e) => setTyped((v) => ({ ...v, from: e.target.value }))} error={errors.from ? t('usage.badDate') : undefined} />
          <TextField label={t('usage.to')} hint={t('usage.dateHint')} name="to" inputMode="numeric" value={typed.to} onChange={(e) => setTyped((v) => ({ ...v, to: e.target.value }))} error={errors.to === 'order' ? t('usage.badOrder') : errors.to ? t('usage.badDate') : undefined} />
          <SelectField label={t('usage.kind')} name="kind" value={typed.kind} onChange={(e) => setTyped((v) => ({ ...v, kind: e.target.value }))} options={[{ value: '', label: t('usage.kindAll') }, ...KINDS.map((k) => ({ value: k, label: t(`usage.kind.${k}`) }))]} />
          <Button type="submit">{t('usage.apply')}</Button>
        </form>
      </Section>
      {feedback}
      <Shown data={page}>
        {(value) => (
        <PagedTable
          caption={t('usage.caption')}
          rows={value.items}
          rowKey={(i) => i.entryId}
          empty={t('usage.empty')}
          server={{
            page: pageNumber(pages),
            onPrevious: pages.before.length > 0 ? () => setPages(previousPage) : undefined,
            onNext: value.nextCursor ? () => setPages((p) => nextPage(p, value.nextCursor!)) : undefined,
          }}
          columns={[
            { key: 'at', header: t('usage.at'), cell: (i) => formatDateTime(i.at) },
            { key: 'who', header: t('usage.who'), cell: who },
            { key: 'what', header: t('usage.what'), cell: (i) => i.description },
            { key: 'fields', header: t('usage.fields'), cell: (i) => fieldList(i.fields, lang) },
            { key: 'outcome', header: t('usage.outcome'), cell: (i) => t(i.outcome === 'served' ? 'usage.served' : 'usage.refused') },
            {
              key: 'actions',
              header: t('usage.actions'),
              cell: (i) => (
                <span className="actions">
                  {i.receiptReady ? (
                    <Button variant="secondary" busy={busy === i.entryId} onClick={() => receipt(i)} aria-label={`${t('usage.receipt')} ${formatDateTime(i.at)}`}>
                      {t('usage.receipt')}
                    </Button>
                  ) : (
                    <span className="muted">{t('usage.receiptPending')}</span>
                  )}
                  <Button variant="link" onClick={() => setFlagging(i)} aria-label={t('usage.flagTitle', { at: formatDateTime(i.at) })}>
                    {t('usage.flag')}
                  </Button>
                </span>
              ),
            },
          ]}
        />
        )}
      </Shown>
      {flagging ? (
        <FlagForm
          item={flagging}
          onCancel={() => setFlagging(undefined)}
          onDone={() => {
            setFlagging(undefined);
            grievances.reload();
            void run('flag', async () => t('usage.flagged'));
          }}
        />
      ) : null}
      <Section title={t('usage.grievances')}>
        <Shown data={grievances}>
          {({ items }) =>
            items.length === 0 ? (
          <p>{t('none')}</p>
        ) : (
          <ul>
            {items.map((g) => (
              <li key={g.grievanceId}>
                {t('usage.grievanceOf', { at: formatDateTime(g.openedAt) })}: {g.text} — {t('usage.grievanceStatus', { status: t(`grievance.${g.status}`) })}
              </li>
            ))}
          </ul>
            )
          }
        </Shown>
      </Section>
    </Page>
  );
}

function FlagForm({ item, onCancel, onDone }: { item: UsageItem; onCancel: () => void; onDone: () => void }) {
  const t = useT(citizenMessages);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await api('POST', `/me/usage/${item.entryId}/grievance`, { body: { text: text.trim() } });
      onDone();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('usage.flagTitle', { at: formatDateTime(item.at) })}>
      <p>{item.description}</p>
      {problem ? <ErrorState problem={problem} /> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="grievance-text">{t('usage.flagText')}</label>
          <textarea id="grievance-text" rows={4} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} required />
        </div>
        <Button type="submit" busy={busy}>
          {t('usage.flagSend')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('usage.flagCancel')}
        </Button>
      </form>
    </Section>
  );
}
