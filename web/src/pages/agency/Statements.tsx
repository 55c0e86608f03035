/** Usage: a month's statement on the page, and the same statement as a CSV file to download. */
import { useState } from 'react';
import { api, apiFile, saveFile } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import type { Statement } from '../../exchange/types.js';
import { StatementTable } from '../../exchange/views.js';
import { useT } from '../../i18n/context.js';
import { agency as messages } from './messages.js';

/** This month in Vietnam (UTC+7), yyyy-mm. */
function thisMonth(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
}
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export default function Statements() {
  const t = useT(messages);
  const [month, setMonth] = useState(thisMonth());
  const [error, setError] = useState<string>();
  const [state, setState] = useState<{ status: 'idle' } | { status: 'loading' } | { status: 'done'; s: Statement } | { status: 'failed'; problem: Problem }>({ status: 'idle' });
  const [busy, setBusy] = useState(false);
  const valid = () => {
    const ok = MONTH.test(month.trim());
    setError(ok ? undefined : t('stmt.badMonth'));
    return ok;
  };
  const show = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!valid()) return;
    setState({ status: 'loading' });
    try {
      setState({ status: 'done', s: await api<Statement>('GET', `/my-agency/statements/${month.trim()}`) });
    } catch (err) {
      setState({ status: 'failed', problem: problemOf(err) });
    }
  };
  const download = async () => {
    if (!valid()) return;
    setBusy(true);
    try {
      const { blob, fileName } = await apiFile(`/my-agency/statements/${month.trim()}`, { accept: 'text/csv' });
      saveFile(blob, fileName ?? `statement-${month.trim()}.csv`);
    } catch (err) {
      setState({ status: 'failed', problem: problemOf(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('stmt.title')}>
      <form className="form" onSubmit={show} noValidate>
        <TextField label={t('stmt.month')} value={month} onChange={(e) => setMonth(e.target.value)} error={error} inputMode="numeric" />
        <div className="actions">
          <Button type="submit">{t('stmt.show')}</Button>
          <Button variant="secondary" onClick={download} busy={busy}>
            {t('stmt.download')}
          </Button>
        </div>
      </form>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'failed' ? <ErrorState problem={state.problem} /> : null}
      {state.status === 'done' ? <StatementTable s={state.s} /> : null}
    </Page>
  );
}
