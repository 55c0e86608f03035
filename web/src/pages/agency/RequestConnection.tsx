/** A connection request: the system, the services it needs (from the published catalogue), purposes and public keys. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { TextArea } from '../../components/TextArea.js';
import { problemOf, useApi } from '../../components/useApi.js';
import type { Connection } from '../../exchange/types.js';
import { useT } from '../../i18n/context.js';
import { agency as messages } from './messages.js';

export default function RequestConnection() {
  const t = useT(messages);
  const catalogue = useApi((signal) => api<{ services: Array<{ code: string; name: string }> }>('GET', '/exchange/catalogue', { signal }), []);
  const [f, setF] = useState({ systemName: '', viaPlatform: '', purposes: '', jwks: '' });
  const [services, setServices] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string>();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setProblem(undefined);
    const purposes = f.purposes.split(',').map((p) => p.trim()).filter(Boolean);
    let jwks: unknown;
    try {
      jwks = JSON.parse(f.jwks);
    } catch {
      jwks = undefined;
    }
    if (!f.systemName.trim() || services.length === 0 || purposes.length === 0 || !jwks) return setError(t('request.missing'));
    setBusy(true);
    try {
      const c = await api<Connection>('POST', '/my-agency/connections', {
        body: { systemName: f.systemName.trim(), ...(f.viaPlatform.trim() ? { viaPlatform: f.viaPlatform.trim() } : {}), services, purposes, jwks },
      });
      setSent(c.connectionId);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  if (sent) return <Page title={t('request.title')}><p role="status">{t('request.sent', { id: sent })}</p></Page>;
  return (
    <Page title={t('request.title')}>
      <form className="form" onSubmit={submit} noValidate>
        <TextField label={t('request.system')} value={f.systemName} onChange={(e) => setF({ ...f, systemName: e.target.value })} required />
        <TextField label={t('request.platform')} value={f.viaPlatform} onChange={(e) => setF({ ...f, viaPlatform: e.target.value })} />
        <fieldset>
          <legend>{t('request.services')}</legend>
          {catalogue.status === 'loading' ? <Loading /> : null}
          {catalogue.status === 'failed' ? <ErrorState problem={catalogue.problem} onRetry={catalogue.reload} /> : null}
          {catalogue.status === 'done'
            ? catalogue.value.services.map((s) => (
                <label className="check" key={s.code}>
                  <input type="checkbox" checked={services.includes(s.code)} onChange={(e) => setServices(e.target.checked ? [...services, s.code] : services.filter((x) => x !== s.code))} />
                  {s.name} ({s.code})
                </label>
              ))
            : null}
        </fieldset>
        <TextField label={t('request.purposes')} value={f.purposes} onChange={(e) => setF({ ...f, purposes: e.target.value })} required />
        <TextArea label={t('request.jwks')} value={f.jwks} onChange={(e) => setF({ ...f, jwks: e.target.value })} rows={6} className="mono" />
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <Button type="submit" busy={busy}>
          {t('request.submit')}
        </Button>
        {problem ? <ErrorState problem={problem} /> : null}
      </form>
    </Page>
  );
}
