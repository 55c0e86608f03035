/**
 * One use and its proof, checked in the browser: the export of that instant gives the entry as
 * stored, its leaf, its index and inclusion proof and the checkpoint; /transparency/keys gives the
 * log's key; verify.ts recomputes the digest, walks the proof to the root and checks the signature.
 */
import { apiFile, api, saveFile } from '../../api/client.js';
import { Button } from '../../components/Button.js';
import { Page, Section } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { formatDateTime } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link, usePageState } from '../../router.js';
import { parseVerifierKey, verifyExportedEntry, type EntryVerification, type ExportedEntry } from '../../transparency/verify.js';
import { NotFound } from '../public/NotFound.js';
import { inspector } from './messages.js';
import { PurposeField, usePurpose } from './Purpose.js';
import type { AccessEntry } from './types.js';

interface Checked {
  line?: ExportedEntry;
  checkpoint?: { size: number; note: string | null };
  verification?: EntryVerification;
  file: string;
}

function exportQuery(e: AccessEntry): Record<string, string | undefined> {
  const at = Date.parse(e.at);
  return { from: new Date(at).toISOString(), to: new Date(at + 1).toISOString(), action: e.action, agencyCode: e.agencyCode, principalId: e.principalId };
}

async function check(e: AccessEntry, purpose: string, signal: AbortSignal): Promise<Checked> {
  const [{ blob }, keys] = await Promise.all([
    apiFile('/inspection/access-entries/export', { signal, purpose, accept: 'application/x-ndjson', query: exportQuery(e) }),
    api<{ origin: string; log: string }>('GET', '/transparency/keys', { signal }),
  ]);
  const file = await blob.text();
  const lines = file.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
  const checkpoint = lines.find((l) => l.type === 'checkpoint') as unknown as { size: number; note: string | null } | undefined;
  const line = lines.find((l) => l.type === 'entry' && (l.entry as Record<string, unknown>).entry_id === e.entryId && (l.entry as Record<string, unknown>).subject_key === e.subjectKey) as unknown as ExportedEntry | undefined;
  const key = await parseVerifierKey(keys.log);
  if (!line || !checkpoint?.note || line.index === null || !key) return { ...(line ? { line } : {}), ...(checkpoint ? { checkpoint } : {}), file };
  return { line, checkpoint, file, verification: await verifyExportedEntry(line, checkpoint.note, { origin: keys.origin, key }) };
}

function Proof({ entry }: { entry: AccessEntry }) {
  const t = useT(inspector);
  const { header } = usePurpose();
  const data = useApi((signal) => check(entry, header, signal), [entry.entryId, entry.subjectKey, header]);
  if (data.status === 'loading') return <Loading label={t('entry.checking')} />;
  if (data.status === 'failed') return <ErrorState problem={data.problem} onRetry={data.reload} />;
  const { line, checkpoint, verification, file } = data.value;
  if (!line) return <p className="not-verified" role="alert">{t('entry.notFound')}</p>;
  if (!verification) return <p role="status">{t('entry.pending')}</p>;
  const rows: Array<[string, boolean]> = [
    [t('check.leaf'), verification.leafMatchesEntry],
    [t('check.included'), verification.included],
    [t('check.signed'), verification.signed],
  ];
  return (
    <>
      <p className={verification.ok ? 'verified' : 'not-verified'} role="status">
        <strong>{verification.ok ? t('entry.ok', { index: line.index ?? 0, size: checkpoint?.size ?? 0 }) : t('entry.bad')}</strong>
      </p>
      <ul className="plain">
        {rows.map(([label, ok]) => (
          <li key={label} className={ok ? 'tone-good' : 'tone-bad'}>
            {ok ? '✓' : '✗'} {label}: {ok ? t('check.yes') : t('check.no')}
          </li>
        ))}
      </ul>
      <h3>{t('entry.checkpoint')}</h3>
      <pre className="mono">{checkpoint?.note}</pre>
      <Button variant="secondary" onClick={() => saveFile(new Blob([file], { type: 'application/x-ndjson' }), `entry-${entry.entryId}.jsonl`)}>
        {t('entry.download')}
      </Button>
    </>
  );
}

export default function EntryPage() {
  const t = useT(inspector);
  const entry = usePageState<{ entry: AccessEntry }>()?.entry;
  const { purpose } = usePurpose();
  if (!entry) return <NotFound />;
  const facts: Array<[string, string]> = [
    [t('col.at'), formatDateTime(entry.at)],
    [t('col.who'), [entry.agencyCode, entry.connectionId, entry.role, entry.unit, entry.officerId].filter(Boolean).join(' · ') || entry.callerKind],
    [t('col.action'), `${entry.action} (${entry.channel})`],
    [t('col.purpose'), entry.purpose ?? ''],
    [t('col.outcome'), `${entry.outcome === 'served' ? t('search.served') : t('search.refused')} ${entry.errorCode ?? ''} (HTTP ${entry.httpStatus})`],
    [t('col.people'), entry.personalIds.join(', ')],
  ];
  return (
    <Page title={t('entry.title')}>
      <p>
        <Link to="/inspector">{t('entry.back')}</Link>
      </p>
      <Section title={t('entry.facts')}>
        <dl className="facts">
          {facts.map(([k, v]) => (
            <div className="fact" key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <Section title={t('entry.proof')}>{purpose.trim() ? <Proof entry={entry} /> : <PurposeField />}</Section>
    </Page>
  );
}
