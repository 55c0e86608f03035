/** Registering a birth (POST /citizens): categories and the registering commune chosen by name, valid today. */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { SelectField, TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { parseDate } from '../../format/date.js';
import { formatName } from '../../format/text.js';
import { useT } from '../../i18n/context.js';
import { PurposeGate, useCase } from './CaseContext.js';
import { officer } from './messages.js';
import type { Category, CitizenView } from './types.js';

interface Unit {
  code: string;
  fullName: string;
  level: string;
}

function UnitPicker({ value, onChange }: { value: string; onChange(code: string): void }) {
  const t = useT(officer);
  const [province, setProvince] = useState('');
  const provinces = useApi((signal) => api<Unit[]>('GET', '/categories/admin-units', { signal }), []);
  const communes = useApi((signal) => (province ? api<Unit[]>('GET', '/categories/admin-units', { signal, query: { parent: province } }) : Promise.resolve([])), [province]);
  if (provinces.status === 'loading') return <Loading />;
  if (provinces.status === 'failed') return <ErrorState problem={provinces.problem} onRetry={provinces.reload} />;
  return (
    <>
      <SelectField
        label={t('birth.province')}
        hint={t('birth.unitHint')}
        value={province}
        onChange={(e) => {
          setProvince(e.target.value);
          onChange('');
        }}
        options={[{ value: '', label: '—' }, ...provinces.value.map((u) => ({ value: u.code, label: u.fullName }))]}
      />
      {province && communes.status === 'done' ? (
        <SelectField label={t('birth.commune')} value={value} onChange={(e) => onChange(e.target.value)} options={[{ value: '', label: '—' }, ...communes.value.map((u) => ({ value: u.code, label: u.fullName }))]} />
      ) : null}
    </>
  );
}

function BirthForm() {
  const t = useT(officer);
  const { purpose, dispatch } = useCase();
  const ethnicities = useApi((signal) => api<Category[]>('GET', '/categories/ethnicities', { signal }), []);
  const [fullName, setFullName] = useState('');
  const [dob, setDob] = useState('');
  const [sex, setSex] = useState<'male' | 'female'>('female');
  const [ethnicity, setEthnicity] = useState('01');
  const [unit, setUnit] = useState('');
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const [state, setState] = useState<{ status: 'idle' | 'busy' } | { status: 'done'; citizen: CitizenView } | { status: 'failed'; problem: Problem }>({ status: 'idle' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const date = parseDate(dob);
    const bad = new Set<string>();
    if (!fullName.trim()) bad.add('fullName');
    if (!date) bad.add('dob');
    if (!unit) bad.add('unit');
    setInvalid(bad);
    if (bad.size > 0 || !date) return;
    setState({ status: 'busy' });
    try {
      const citizen = await api<CitizenView>('POST', '/citizens', {
        purpose,
        body: { citizen: { fullName: formatName(fullName), dateOfBirth: date, sex, ethnicity, nationality: 'VN', birthRegistrationPlace: { country: 'VN', unitSet: '2025', unitCode: unit } } },
      });
      setState({ status: 'done', citizen });
      dispatch({ type: 'person', personalId: citizen.personalId }); // the newborn is the case's person from now on (a card, a residence)
    } catch (err) {
      setState({ status: 'failed', problem: problemOf(err) });
    }
  };

  if (ethnicities.status === 'loading') return <Loading />;
  if (ethnicities.status === 'failed') return <ErrorState problem={ethnicities.problem} onRetry={ethnicities.reload} />;
  return (
    <>
      {invalid.size > 0 ? <p role="alert">{t('birth.invalid')}</p> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField label={t('birth.fullName')} required autoComplete="off" value={fullName} error={invalid.has('fullName') ? t('birth.invalid') : undefined} onChange={(e) => setFullName(e.target.value)} />
        <TextField label={t('birth.dob')} required autoComplete="off" inputMode="numeric" value={dob} error={invalid.has('dob') ? t('search.dobInvalid') : undefined} onChange={(e) => setDob(e.target.value)} />
        <SelectField label={t('birth.sex')} value={sex} onChange={(e) => setSex(e.target.value as 'male' | 'female')} options={[{ value: 'female', label: t('sex.female') }, { value: 'male', label: t('sex.male') }]} />
        <SelectField label={t('birth.ethnicity')} value={ethnicity} onChange={(e) => setEthnicity(e.target.value)} options={ethnicities.value.map((c) => ({ value: c.code, label: c.name }))} />
        <UnitPicker value={unit} onChange={setUnit} />
        <Button type="submit" busy={state.status === 'busy'}>
          {t('birth.submit')}
        </Button>
      </form>
      {state.status === 'done' ? (
        <p className="verdict verdict-good" role="status">
          {t('birth.done', { name: formatName(state.citizen.fullName), personalId: state.citizen.personalId })}
        </p>
      ) : null}
      {state.status === 'failed' ? <ErrorState problem={state.problem} /> : null}
    </>
  );
}

export default function Birth() {
  const t = useT(officer);
  return (
    <Page title={t('birth.title')} lead={t('birth.lead')}>
      <PurposeGate suggested="BIRTH_REGISTRATION">
        <BirthForm />
      </PurposeGate>
    </Page>
  );
}
