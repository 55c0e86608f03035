/**
 * One written request (its number in history state): what was asked, by whom, by when; the
 * citizen's answer on paper when an organisation asked; the officer's decision (provide, or refuse
 * with reasons) and the signed letter to hand over — each download recorded as a release.
 */
import { useState, type FormEvent } from 'react';
import { api, apiFile, saveFile } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { Page, Section } from '../../components/Page.js';
import { Empty, ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link, usePageState } from '../../router.js';
import { PurposeGate, useCase } from './CaseContext.js';
import { linesOf } from './forms.js';
import { officer } from './messages.js';
import { DeadlineText } from './Queue.js';
import { TextArea } from '../../components/TextArea.js';
import type { WrittenRequest } from './written.js';
import { useWrittenLabels } from './WrittenRequests.js';

function Request({ requestId }: { requestId: string }) {
  const t = useT(officer);
  const label = useWrittenLabels();
  const { purpose } = useCase();
  const path = `/written-requests/${encodeURIComponent(requestId)}`;
  const loaded = useApi((signal) => api<WrittenRequest>('GET', path, { signal, purpose }), [path, purpose]);
  const [changed, setChanged] = useState<WrittenRequest | undefined>();
  const [reasons, setReasons] = useState('');
  const [reasonsError, setReasonsError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();

  const act = async (run: () => Promise<WrittenRequest | void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const next = await run();
      if (next) setChanged(next);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  };
  if (loaded.status === 'loading') return <Loading />;
  if (loaded.status === 'failed') return <ErrorState problem={loaded.problem} onRetry={loaded.reload} />;
  const r = changed ?? loaded.value;
  const refuse = (e: FormEvent) => {
    e.preventDefault();
    const list = linesOf(reasons);
    if (list.length === 0) return setReasonsError(t('application.reasonsRequired'));
    setReasonsError(undefined);
    void act(() => api<WrittenRequest>('POST', `${path}/decision`, { body: { decision: 'refuse', reasons: list }, purpose }));
  };
  return (
    <>
      <dl className="facts">
        <dt>{t('written.state')}</dt>
        <dd>{label.status(r.status)}</dd>
        <dt>{t('written.requester')}</dt>
        <dd>{label.requester(r.requester)}</dd>
        <dt>{t('written.channel')}</dt>
        <dd>{t(`channel.${r.channel}`)}</dd>
        <dt>{t('written.receivedOn')}</dt>
        <dd>{formatDate(r.receivedOn)}</dd>
        <dt>{t('written.deadline')}</dt>
        <dd>
          <DeadlineText deadline={r.deadline} />
        </dd>
        <dt>{t('written.fields')}</dt>
        <dd>{r.fields.map((g) => t(`group.${g}`)).join('; ')}</dd>
        <dt>{t('written.purpose')}</dt>
        <dd>{r.purpose}</dd>
        {r.reasons?.length ? (
          <>
            <dt>{t('application.reasons')}</dt>
            <dd>{r.reasons.join('; ')}</dd>
          </>
        ) : null}
      </dl>
      {problem ? <ErrorState problem={problem} /> : null}
      {r.status === 'awaiting_consent' ? (
        <Section title={t('written.consentTitle')}>
          <div className="form-inline">
            <Button busy={busy} onClick={() => void act(() => api<WrittenRequest>('POST', `${path}/consent`, { body: { answer: 'given' }, purpose }))}>
              {t('written.consentGiven')}
            </Button>
            <Button variant="danger" busy={busy} onClick={() => void act(() => api<WrittenRequest>('POST', `${path}/consent`, { body: { answer: 'refused' }, purpose }))}>
              {t('written.consentRefused')}
            </Button>
          </div>
        </Section>
      ) : null}
      {r.status === 'open' ? (
        <Section title={t('written.decideTitle')}>
          <Button busy={busy} onClick={() => void act(() => api<WrittenRequest>('POST', `${path}/decision`, { body: { decision: 'provide' }, purpose }))}>
            {t('written.provide')}
          </Button>
          <form className="form" onSubmit={refuse} noValidate>
            <TextArea label={t('written.reasons')} value={reasons} error={reasonsError} onChange={(e) => setReasons(e.target.value)} />
            <Button type="submit" variant="danger" busy={busy}>
              {t('written.refuse')}
            </Button>
          </form>
        </Section>
      ) : null}
      {r.certificateNumber ? (
        <Section title={t('written.decided')}>
          <Button
            variant="secondary"
            busy={busy}
            onClick={() =>
              void act(async () => {
                const { blob, fileName } = await apiFile(`${path}/letter`, { purpose, accept: 'application/pdf' });
                saveFile(blob, fileName ?? `${requestId}.pdf`);
              })
            }
          >
            {t('written.letter')}
          </Button>
        </Section>
      ) : null}
    </>
  );
}

export default function WrittenRequestPage() {
  const t = useT(officer);
  const state = usePageState<{ requestId?: string }>();
  const id = state?.requestId;
  return (
    <Page title={id ? t('written.detail', { id }) : t('written.title')}>
      <p>
        <Link to="/officer/written-requests">{t('written.back')}</Link>
      </p>
      {id ? (
        <PurposeGate suggested="WRITTEN_REQUEST">
          <Request requestId={id} />
        </PurposeGate>
      ) : (
        <Empty>{t('written.missing')}</Empty>
      )}
    </Page>
  );
}
