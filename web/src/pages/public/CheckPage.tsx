/**
 * The document check: a number typed in, or the page opened from the QR printed on the paper
 * (/certificates/{number}/verification — the same URL answers JSON to programs). The answer is a
 * sentence, not data: whether it was issued, when, and whether it is valid now.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page, Section } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { publicMessages } from '../../i18n/public.js';
import { isCertificateNumber } from '../../routes.js';

export interface PublicVerification {
  number: string;
  kind: 'LEGACY_ID_CONFIRMATION' | 'PERSONAL_ID_NOTICE' | 'RESIDENCE_CONFIRMATION' | 'WRITTEN_REQUEST_REPLY' | 'WRITTEN_REQUEST_REFUSAL';
  issuedOn: string;
  valid: boolean;
  status: 'valid' | 'revoked' | 'expired' | 'residence_changed' | 'not_yet_issued';
  validUntil?: string;
}

type Answer = { status: 'idle' } | { status: 'loading' } | { status: 'done'; v: PublicVerification } | { status: 'not-found'; number: string } | { status: 'failed'; problem: Problem };

const STATUS_KEY = { valid: 'check.valid', revoked: 'check.revoked', expired: 'check.expired', residence_changed: 'check.residenceChanged', not_yet_issued: 'check.notYetIssued' } as const;

function pathFor(number: string, document: 'certificate' | 'residence-confirmation'): string {
  return `/${document === 'certificate' ? 'certificates' : 'residence-confirmations'}/${encodeURIComponent(number)}/verification`;
}

export default function CheckPage({ number: fromQr, document = 'certificate' }: { number?: string | undefined; document?: 'certificate' | 'residence-confirmation' | undefined }) {
  const t = useT(publicMessages);
  const [text, setText] = useState(fromQr ?? '');
  const [invalid, setInvalid] = useState(false);
  const [answer, setAnswer] = useState<Answer>({ status: 'idle' });

  const check = async (number: string, doc: 'certificate' | 'residence-confirmation') => {
    setAnswer({ status: 'loading' });
    try {
      setAnswer({ status: 'done', v: await api<PublicVerification>('GET', pathFor(number, doc)) });
    } catch (e) {
      const problem = problemOf(e);
      setAnswer(problem.status === 404 ? { status: 'not-found', number } : { status: 'failed', problem });
    }
  };

  useEffect(() => {
    if (fromQr) void check(fromQr, document);
  }, [fromQr, document]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const number = text.trim().toUpperCase();
    if (!isCertificateNumber(number)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    void check(number, 'certificate');
  };

  return (
    <Page title={t('check.title')} lead={t('check.lead')}>
      <form onSubmit={submit} noValidate className="form-inline">
        <TextField
          label={t('check.number')}
          hint={t('check.numberHint')}
          error={invalid ? t('check.numberInvalid') : undefined}
          name="number"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          required
        />
        <Button type="submit" busy={answer.status === 'loading'}>
          {t('check.submit')}
        </Button>
      </form>
      <div aria-live="polite">
        {answer.status === 'loading' ? <Loading /> : null}
        {answer.status === 'failed' ? <ErrorState problem={answer.problem} /> : null}
        {answer.status === 'not-found' ? (
          <Section title={t('check.result')}>
            <p className="verdict verdict-bad">{t('check.notFound', { number: answer.number })}</p>
          </Section>
        ) : null}
        {answer.status === 'done' ? (
          <Section title={t('check.result')}>
            <p className={`verdict ${answer.v.valid ? 'verdict-good' : 'verdict-bad'}`} data-testid="verdict">
              {t(STATUS_KEY[answer.v.status], { kind: t(`kind.${answer.v.kind}`), number: answer.v.number, issuedOn: formatDate(answer.v.issuedOn) })}
            </p>
            {answer.v.valid && answer.v.validUntil ? <p>{t('check.validUntil', { validUntil: formatDate(answer.v.validUntil) })}</p> : null}
            <p className="muted">{t('check.privacy')}</p>
          </Section>
        ) : null}
      </div>
    </Page>
  );
}
