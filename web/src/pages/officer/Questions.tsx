/**
 * The three counter questions, answered without paper for the person of the case: share the
 * citizen's information (their record), ID ↔ CMND, and household head. Each answer is the API's
 * yes/no, read with the case's purpose.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Section } from '../../components/Page.js';
import { ErrorState } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { formatName } from '../../format/text.js';
import { useT } from '../../i18n/context.js';
import { useCase } from './CaseContext.js';
import { householdQueryOf } from './forms.js';
import { useLabels } from './labels.js';
import { officer } from './messages.js';
import type { CitizenView } from './types.js';

type Asked<T> = { status: 'idle' } | { status: 'busy' } | { status: 'done'; value: T } | { status: 'failed'; problem: Problem };

function useAsk<T>(): [Asked<T>, (run: () => Promise<T>) => Promise<void>] {
  const [state, setState] = useState<Asked<T>>({ status: 'idle' });
  const ask = async (run: () => Promise<T>) => {
    setState({ status: 'busy' });
    try {
      setState({ status: 'done', value: await run() });
    } catch (e) {
      setState({ status: 'failed', problem: problemOf(e) });
    }
  };
  return [state, ask];
}

export function Record({ citizen }: { citizen: CitizenView }) {
  const t = useT(officer);
  const label = useLabels();
  return (
    <dl className="facts">
      <dt>{t('person.fullName')}</dt>
      <dd>{formatName(citizen.fullName)}</dd>
      <dt>{t('person.personalId')}</dt>
      <dd>{citizen.personalId}</dd>
      <dt>{t('person.dateOfBirth')}</dt>
      <dd>{formatDate(citizen.dateOfBirth)}</dd>
      <dt>{t('person.sex')}</dt>
      <dd>{label.sex(citizen.sex)}</dd>
      {citizen.legacyIdNumber ? (
        <>
          <dt>{t('person.legacyId')}</dt>
          <dd>{citizen.legacyIdNumber}</dd>
        </>
      ) : null}
      {citizen.permanentResidence ? (
        <>
          <dt>{t('person.permanentResidence')}</dt>
          <dd>{citizen.permanentResidence.text}</dd>
        </>
      ) : null}
      {citizen.currentResidence ? (
        <>
          <dt>{t('person.currentResidence')}</dt>
          <dd>{citizen.currentResidence.text}</dd>
        </>
      ) : null}
      <dt>{t('person.lifeStatus')}</dt>
      <dd>{t(`life.${citizen.lifeStatus}`)}</dd>
    </dl>
  );
}

export function Questions({ personalId }: { personalId: string }) {
  const t = useT(officer);
  const { purpose } = useCase();
  const [record, askRecord] = useAsk<CitizenView>();
  const [legacy, askLegacy] = useAsk<{ answer: 'yes' | 'no' | 'unknown' }>();
  const [head, askHead] = useAsk<{ isHead: boolean; householdId?: string }>();
  const [cmnd, setCmnd] = useState('');
  const [cmndError, setCmndError] = useState<string | undefined>();
  const [household, setHousehold] = useState('');
  const [householdError, setHouseholdError] = useState<string | undefined>();

  const compare = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{9}$/.test(cmnd.trim())) {
      setCmndError(t('legacy.invalid'));
      return;
    }
    setCmndError(undefined);
    void askLegacy(() => api('POST', '/cards/legacy-id-verification', { body: { personalId, legacyIdNumber: cmnd.trim() }, purpose }));
  };

  const checkHead = (e: FormEvent) => {
    e.preventDefault();
    const which = householdQueryOf(personalId, household);
    if (!which) {
      setHouseholdError(t('head.invalid'));
      return;
    }
    setHouseholdError(undefined);
    void askHead(() => api('GET', '/residence/household-head-confirmation', { query: { personalId, ...which }, purpose }));
  };

  return (
    <Section title={t('questions.title')}>
      <h3>{t('share.title')}</h3>
      <p>{t('share.lead')}</p>
      <Button variant="secondary" busy={record.status === 'busy'} onClick={() => void askRecord(() => api<CitizenView>('GET', `/citizens/${personalId}`, { purpose }))}>
        {t('share.show')}
      </Button>
      {record.status === 'done' ? <Record citizen={record.value} /> : null}
      {record.status === 'failed' ? <ErrorState problem={record.problem} /> : null}

      <h3>{t('legacy.title')}</h3>
      <form className="form-inline" onSubmit={compare} noValidate>
        <TextField label={t('legacy.number')} inputMode="numeric" autoComplete="off" value={cmnd} error={cmndError} onChange={(e) => setCmnd(e.target.value)} />
        <Button type="submit" variant="secondary" busy={legacy.status === 'busy'}>
          {t('legacy.ask')}
        </Button>
      </form>
      {legacy.status === 'done' ? (
        <p className={`verdict verdict-${legacy.value.answer === 'yes' ? 'good' : legacy.value.answer === 'no' ? 'bad' : 'warn'}`} role="status">
          {t(`legacy.${legacy.value.answer}`)}
        </p>
      ) : null}
      {legacy.status === 'failed' ? <ErrorState problem={legacy.problem} /> : null}

      <h3>{t('head.title')}</h3>
      <form className="form-inline" onSubmit={checkHead} noValidate>
        <TextField label={t('head.of')} hint={t('head.ofHint')} autoComplete="off" value={household} error={householdError} onChange={(e) => setHousehold(e.target.value)} />
        <Button type="submit" variant="secondary" busy={head.status === 'busy'}>
          {t('head.ask')}
        </Button>
      </form>
      {head.status === 'done' ? (
        <p className={`verdict verdict-${head.value.isHead ? 'good' : 'warn'}`} role="status">
          {head.value.isHead ? t('head.yes', { household: head.value.householdId ?? '' }) : t('head.no')}
        </p>
      ) : null}
      {head.status === 'failed' ? <ErrorState problem={head.problem} /> : null}
    </Section>
  );
}
