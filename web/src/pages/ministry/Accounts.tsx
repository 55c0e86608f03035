/** Officer accounts (/accounts): create (the initial password shown once), lock, unlock, reset the password. */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { SelectField, TextField } from '../../components/Field.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { useT } from '../../i18n/context.js';
import { ministry } from './messages.js';

interface Account {
  principalId: string;
  login: string;
  name: string;
  role: 'officer' | 'admin' | 'inspector' | 'agency';
  unit?: string;
  mustChangePassword: boolean;
  lockedAt?: string;
  revokedAt?: string;
}
const ROLES = ['officer', 'admin', 'inspector', 'agency'] as const;

export default function Accounts() {
  const t = useT(ministry);
  const data = useApi((signal) => api<Account[]>('GET', '/accounts', { signal }), []);
  const [f, setF] = useState({ name: '', login: '', role: 'officer' as (typeof ROLES)[number], unit: '' });
  const [notice, setNotice] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<string | undefined>) => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
      data.reload();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  };
  const create = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api<{ account: Account; initialPassword: string }>('POST', '/accounts', { body: { name: f.name.trim(), login: f.login.trim(), role: f.role, ...(f.unit.trim() ? { unit: f.unit.trim() } : {}) } });
      setF({ name: '', login: '', role: 'officer', unit: '' });
      return t('acc.created', { login: r.account.login, password: r.initialPassword });
    });
  };
  const state = (a: Account) => (a.lockedAt ? t('acc.locked') : a.mustChangePassword ? t('acc.firstSignIn') : t('acc.active'));
  return (
    <Page title={t('acc.title')}>
      {notice ? <p role="status" className="secret">{notice}</p> : null}
      {problem ? <ErrorState problem={problem} /> : null}
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'failed' ? <ErrorState problem={data.problem} onRetry={data.reload} /> : null}
      {data.status === 'done' ? (
        <PagedTable
          caption={t('acc.caption')}
          rows={data.value}
          rowKey={(a) => a.principalId}
          columns={[
            { key: 'login', header: t('acc.login'), cell: (a) => a.login },
            { key: 'name', header: t('acc.name'), cell: (a) => a.name },
            { key: 'role', header: t('acc.role'), cell: (a) => t(`role.${a.role}`) },
            { key: 'unit', header: t('acc.unit'), cell: (a) => a.unit ?? '' },
            { key: 'state', header: t('acc.state'), cell: state },
            {
              key: 'actions',
              header: '',
              cell: (a) =>
                a.revokedAt ? null : (
                  <div className="actions">
                    {a.lockedAt ? (
                      <Button variant="secondary" busy={busy} onClick={() => void run(async () => (await api('POST', `/accounts/${a.principalId}/unlock`), undefined))}>
                        {t('acc.unlock', { login: a.login })}
                      </Button>
                    ) : (
                      <Button variant="danger" busy={busy} onClick={() => void run(async () => (await api('POST', `/accounts/${a.principalId}/lock`, { body: { reason: t('acc.lockReason') } }), undefined))}>
                        {t('acc.lock', { login: a.login })}
                      </Button>
                    )}
                    <Button
                      variant="secondary"
                      busy={busy}
                      onClick={() => void run(async () => t('acc.resetDone', { login: a.login, password: (await api<{ initialPassword: string }>('POST', `/accounts/${a.principalId}/password-reset`, { body: {} })).initialPassword }))}
                    >
                      {t('acc.reset', { login: a.login })}
                    </Button>
                  </div>
                ),
            },
          ]}
        />
      ) : null}
      <Section title={t('acc.create')}>
        <form className="form" onSubmit={create}>
          <TextField label={t('acc.name')} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required />
          <TextField label={t('acc.login')} value={f.login} onChange={(e) => setF({ ...f, login: e.target.value })} required autoComplete="off" />
          <SelectField label={t('acc.role')} value={f.role} onChange={(e) => setF({ ...f, role: e.target.value as (typeof ROLES)[number] })} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          <TextField label={t('acc.unit')} value={f.unit} onChange={(e) => setF({ ...f, unit: e.target.value })} required={f.role === 'agency'} />
          <Button type="submit" busy={busy}>
            {t('acc.create')}
          </Button>
        </form>
      </Section>
    </Page>
  );
}
