/**
 * The counter case around every officer page: the purpose asked once per case (case.ts) and sent
 * with each request of it. Held in memory for the area's lifetime — never in the URL or storage.
 */
import { createContext, useContext, useReducer, useState, type Dispatch, type FormEvent, type ReactNode } from 'react';
import { Button } from '../../components/Button.js';
import { SelectField, TextField } from '../../components/Field.js';
import { Section } from '../../components/Page.js';
import { useT } from '../../i18n/context.js';
import { caseReducer, NO_CASE, purposeHeader, purposeText, PURPOSE_CODES, type CaseAction, type CounterCase, type PurposeCode } from './case.js';
import { officer } from './messages.js';

const CaseContext = createContext<{ current: CounterCase; dispatch: Dispatch<CaseAction> }>({ current: NO_CASE, dispatch: () => undefined });

export function CaseProvider({ children }: { children: ReactNode }) {
  const [current, dispatch] = useReducer(caseReducer, NO_CASE);
  return <CaseContext.Provider value={{ current, dispatch }}>{children}</CaseContext.Provider>;
}

export function useCase(): { current: CounterCase; dispatch: Dispatch<CaseAction>; purpose: string } {
  const { current, dispatch } = useContext(CaseContext);
  return { current, dispatch, purpose: current.purpose ? purposeHeader(current.purpose) : '' };
}

function PurposeForm({ suggested }: { suggested: PurposeCode }) {
  const t = useT(officer);
  const { dispatch } = useCase();
  const [code, setCode] = useState<PurposeCode>(suggested);
  const [detail, setDetail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (purposeText(code, detail) === undefined) {
      setError(t('case.detailRequired'));
      return;
    }
    dispatch({ type: 'purpose', code, detail });
  };
  return (
    <Section title={t('case.title')}>
      <p>{t('case.lead')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <SelectField label={t('case.code')} value={code} onChange={(e) => setCode(e.target.value as PurposeCode)} options={PURPOSE_CODES.map((c) => ({ value: c, label: t(`purpose.${c}`) }))} />
        <TextField label={t('case.detail')} hint={t('case.detailHint')} value={detail} error={error} maxLength={180} onChange={(e) => setDetail(e.target.value)} />
        <Button type="submit">{t('case.start')}</Button>
      </form>
    </Section>
  );
}

/** Shows its children inside a case; outside one, asks for the purpose first. */
export function PurposeGate({ suggested, children }: { suggested: PurposeCode; children: ReactNode }) {
  const t = useT(officer);
  const { current, dispatch } = useCase();
  if (!current.purpose) return <PurposeForm suggested={suggested} />;
  return (
    <>
      <div className="case-bar" role="status">
        <span>{t('case.current', { purpose: current.code ? `${t(`purpose.${current.code}`)}${current.purpose.includes(': ') ? ` — ${current.purpose.slice(current.purpose.indexOf(': ') + 2)}` : ''}` : current.purpose })}</span>
        <Button variant="secondary" onClick={() => dispatch({ type: 'new' })}>
          {t('case.new')}
        </Button>
      </div>
      {children}
    </>
  );
}
