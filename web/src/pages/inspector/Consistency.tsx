/**
 * The current checkpoint, its signature checked in the browser, and its consistency with the last
 * one this browser saw (kept in localStorage: the browser acts as a small witness) or with one
 * pasted in — all verified here with WebCrypto, not taken on the server's word.
 */
import { useState } from 'react';
import { api, apiFile } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { Page, Section } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { TextArea } from '../../components/TextArea.js';
import { useApi } from '../../components/useApi.js';
import { useT } from '../../i18n/context.js';
import { fromBase64, parseCheckpoint, parseVerifierKey, signedBy, verifyConsistency, type Checkpoint, type LogIdentity } from '../../transparency/verify.js';
import { inspector } from './messages.js';

const SEEN = 'dancu.inspector.checkpoint';

type Outcome = { from: number; to: number; ok: boolean } | 'malformed';

async function consistent(log: LogIdentity, older: string, current: Checkpoint): Promise<Outcome> {
  const old = parseCheckpoint(older);
  if (!old || old.origin !== log.origin || !(await signedBy(old, log.key)) || old.size > current.size) return 'malformed';
  const proof = await api<{ hashes: string[] }>('GET', '/transparency/proof/consistency', { query: { from: old.size, to: current.size } });
  const hashes = proof.hashes.map(fromBase64);
  const ok = hashes.every((h) => h?.length === 32) && (await verifyConsistency(old.size, current.size, old.root, current.root, hashes as Uint8Array[]));
  return { from: old.size, to: current.size, ok };
}

function OutcomeText({ o }: { o: Outcome }) {
  const t = useT(inspector);
  if (o === 'malformed') return <p className="not-verified" role="alert">{t('cons.malformed')}</p>;
  return <p className={o.ok ? 'verified' : 'not-verified'} role="status">{t(o.ok ? 'cons.ok' : 'cons.bad', { from: o.from, to: o.to })}</p>;
}

export default function Consistency() {
  const t = useT(inspector);
  const [pasted, setPasted] = useState('');
  const [checked, setChecked] = useState<Outcome>();
  const data = useApi(async (signal) => {
    const [{ blob }, keys] = await Promise.all([apiFile('/transparency/checkpoint', { signal, accept: 'text/plain' }), api<{ origin: string; log: string }>('GET', '/transparency/keys', { signal })]);
    const note = await blob.text();
    const key = await parseVerifierKey(keys.log);
    const current = parseCheckpoint(note);
    if (!key || !current) return { note, signed: false as const };
    const log = { origin: keys.origin, key };
    const signed = current.origin === log.origin && (await signedBy(current, key));
    const previous = localStorage.getItem(SEEN);
    const before = previous ? await consistent(log, previous, current) : undefined;
    // Only a checkpoint that verified becomes the one to compare with next time.
    if (signed && (!before || (before !== 'malformed' && before.ok))) localStorage.setItem(SEEN, note);
    return { note, signed, current, log, before, previousSize: previous ? parseCheckpoint(previous)?.size : undefined };
  }, []);
  if (data.status === 'loading') return <Page title={t('cons.title')}><Loading /></Page>;
  if (data.status === 'failed') return <Page title={t('cons.title')}><ErrorState problem={data.problem} onRetry={data.reload} /></Page>;
  const v = data.value;
  return (
    <Page title={t('cons.title')}>
      <Section title={v.signed && 'current' in v && v.current ? t('cons.current', { size: v.current.size }) : t('cons.title')}>
        <p className={v.signed ? 'verified' : 'not-verified'} role="status">{v.signed ? t('cons.signedOk') : t('cons.signedBad')}</p>
        <pre className="mono">{v.note}</pre>
        {'before' in v ? v.before ? <><p>{t('cons.previous', { size: v.previousSize ?? 0 })}</p><OutcomeText o={v.before} /></> : <p>{t('cons.firstVisit')}</p> : null}
      </Section>
      {'log' in v && v.log && v.current ? (
        <Section title={t('cons.check')}>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void consistent(v.log!, pasted.endsWith('\n') ? pasted : `${pasted}\n`, v.current!).then(setChecked, () => setChecked('malformed'));
            }}
          >
            <TextArea label={t('cons.paste')} value={pasted} onChange={(e) => setPasted(e.target.value)} rows={6} className="mono" />
            <Button type="submit" disabled={!pasted.trim()}>
              {t('cons.check')}
            </Button>
            {checked ? <OutcomeText o={checked} /> : null}
          </form>
        </Section>
      ) : null}
    </Page>
  );
}
