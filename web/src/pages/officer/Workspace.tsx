/**
 * The counter workspace: inside a case (purpose asked once), read the card's QR — camera or photo —
 * and see the verdict, the person, the card today and the comparison; then the three counter
 * questions, the card's issue/loss/replacement and the level-2 e-ID for that person. A person found
 * by search arrives here through the case (never through the URL).
 */
import { useCallback, useState } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { Page, Section } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { useT } from '../../i18n/context.js';
import { CardActions } from './CardActions.js';
import { PurposeGate, useCase } from './CaseContext.js';
import { Level2 } from './Level2.js';
import { officer } from './messages.js';
import { Questions } from './Questions.js';
import { Scanner, type Scanned } from './Scanner.js';
import type { CounterVerification } from './types.js';
import { Verification } from './Verification.js';

type Check = { status: 'idle' } | { status: 'checking' } | { status: 'done'; result: CounterVerification; payload?: string } | { status: 'failed'; problem: Problem };

function CaseWork() {
  const t = useT(officer);
  const { current, dispatch, purpose } = useCase();
  const [check, setCheck] = useState<Check>({ status: 'idle' });

  const onScanned = useCallback(
    async (scanned: Scanned) => {
      setCheck({ status: 'checking' });
      try {
        const result = await api<CounterVerification>('POST', '/cards/qr-verification', { body: scanned, purpose });
        setCheck({ status: 'done', result, ...('payload' in scanned ? { payload: scanned.payload } : {}) });
        dispatch({ type: 'person', personalId: result.personalId });
      } catch (e) {
        setCheck({ status: 'failed', problem: problemOf(e) });
      }
    },
    [purpose, dispatch],
  );

  const personalId = current.personalId;
  return (
    <>
      {check.status === 'done' ? (
        <Button variant="secondary" onClick={() => setCheck({ status: 'idle' })}>
          {t('scan.again')}
        </Button>
      ) : (
        <Section title={t('scan.title')}>
          <p>{t('workspace.lead')}</p>
          <Scanner onScanned={onScanned} busy={check.status === 'checking'} />
        </Section>
      )}
      {check.status === 'checking' ? <Loading label={t('scan.checking')} /> : null}
      {check.status === 'failed' ? <ErrorState problem={check.problem} /> : null}
      {check.status === 'done' ? <Verification result={check.result} /> : null}
      {personalId ? (
        <>
          <Questions personalId={personalId} />
          <CardActions personalId={personalId} />
          <Level2 qrPayload={check.status === 'done' && check.result.personalId === personalId ? check.payload : undefined} />
        </>
      ) : null}
    </>
  );
}

export default function Workspace() {
  const t = useT(officer);
  const { current } = useCase();
  return (
    <Page title={t('workspace.title')}>
      <PurposeGate suggested="CARD_VERIFICATION">
        {/* A new case starts the work afresh: nothing of the previous person stays on screen. */}
        <CaseWork key={current.id} />
      </PurposeGate>
    </Page>
  );
}
