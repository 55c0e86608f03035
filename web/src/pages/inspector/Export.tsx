/** A period's entries with their proofs as a JSON-lines file, for `dancu audit verify` offline. */
import { useState } from 'react';
import { apiFile, saveFile } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { ErrorState } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { parseDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { inspector } from './messages.js';
import { PurposeField, usePurpose, vietnamDayStart } from './Purpose.js';

export default function Export() {
  const t = useT(inspector);
  const { purpose, header } = usePurpose();
  const [f, setF] = useState({ from: '', to: '', agencyCode: '' });
  const [errors, setErrors] = useState<Partial<Record<'purpose' | 'from' | 'to', string>>>({});
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const from = parseDate(f.from);
    const to = parseDate(f.to);
    const next = { ...(purpose.trim() ? {} : { purpose: t('purpose.missing') }), ...(from ? {} : { from: t('search.badDate') }), ...(to ? {} : { to: t('search.badDate') }) };
    setErrors(next);
    if (!from || !to || !purpose.trim()) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const { blob } = await apiFile('/inspection/access-entries/export', { purpose: header, accept: 'application/x-ndjson', query: { from: vietnamDayStart(from), to: vietnamDayStart(to, 1), agencyCode: f.agencyCode.trim() || undefined } });
      saveFile(blob, `access-entries-${from}-${to}.jsonl`);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('export.title')} lead={t('export.lead')}>
      <form className="form" onSubmit={submit} noValidate>
        <PurposeField error={errors.purpose} />
        <TextField label={t('search.from')} value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} error={errors.from} required />
        <TextField label={t('search.to')} value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} error={errors.to} required />
        <TextField label={t('search.agency')} value={f.agencyCode} onChange={(e) => setF({ ...f, agencyCode: e.target.value })} />
        <Button type="submit" busy={busy}>
          {t('export.submit')}
        </Button>
        {problem ? <ErrorState problem={problem} /> : null}
      </form>
    </Page>
  );
}
