/** Finding a citizen (GET /citizens: part of a name with the date or year of birth, a personal ID or a CMND number); choosing one makes them the case's person. */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { formatName } from '../../format/text.js';
import { useT } from '../../i18n/context.js';
import { navigate } from '../../router.js';
import { PurposeGate, useCase } from './CaseContext.js';
import { searchQueryOf, type SearchInput } from './forms.js';
import { useLabels } from './labels.js';
import { officer } from './messages.js';
import type { CitizenView, Page as ApiPage } from './types.js';

type Found = { status: 'idle' } | { status: 'busy' } | { status: 'done'; items: CitizenView[] } | { status: 'failed'; problem: Problem };

function SearchForm() {
  const t = useT(officer);
  const label = useLabels();
  const { purpose, dispatch } = useCase();
  const [input, setInput] = useState<SearchInput>({ name: '', dateOfBirth: '', personalId: '', legacyIdNumber: '' });
  const [error, setError] = useState<'dateOfBirth' | 'empty' | undefined>();
  const [found, setFound] = useState<Found>({ status: 'idle' });
  const set = (k: keyof SearchInput) => (e: { target: { value: string } }) => setInput({ ...input, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const q = searchQueryOf(input);
    if (!q.ok) return setError(q.error);
    setError(undefined);
    setFound({ status: 'busy' });
    try {
      const page = await api<ApiPage<CitizenView>>('GET', '/citizens', { query: { ...q.query, limit: 50 }, purpose });
      setFound({ status: 'done', items: page.items });
    } catch (err) {
      setFound({ status: 'failed', problem: problemOf(err) });
    }
  };
  const choose = (c: CitizenView) => {
    dispatch({ type: 'person', personalId: c.personalId });
    navigate('/officer');
  };

  return (
    <>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {error === 'empty' ? <p role="alert">{t('search.nothing')}</p> : null}
        <TextField label={t('search.name')} autoComplete="off" value={input.name} onChange={set('name')} />
        <TextField label={t('search.dob')} autoComplete="off" inputMode="numeric" value={input.dateOfBirth} error={error === 'dateOfBirth' ? t('search.dobInvalid') : undefined} onChange={set('dateOfBirth')} />
        <TextField label={t('search.personalId')} autoComplete="off" inputMode="numeric" value={input.personalId} onChange={set('personalId')} />
        <TextField label={t('search.legacyId')} autoComplete="off" inputMode="numeric" value={input.legacyIdNumber} onChange={set('legacyIdNumber')} />
        <Button type="submit" busy={found.status === 'busy'}>
          {t('search.submit')}
        </Button>
      </form>
      {found.status === 'busy' ? <Loading /> : null}
      {found.status === 'failed' ? <ErrorState problem={found.problem} /> : null}
      {found.status === 'done' ? (
        <PagedTable
          caption={t('search.caption')}
          rows={found.items}
          rowKey={(c) => c.personalId}
          empty={t('search.none')}
          columns={[
            {
              key: 'name',
              header: t('person.fullName'),
              cell: (c) => (
                <Button variant="link" onClick={() => choose(c)} aria-label={t('search.choose', { name: formatName(c.fullName) })}>
                  {formatName(c.fullName)}
                </Button>
              ),
            },
            { key: 'dob', header: t('person.dateOfBirth'), cell: (c) => formatDate(c.dateOfBirth) },
            { key: 'sex', header: t('person.sex'), cell: (c) => label.sex(c.sex) },
            { key: 'residence', header: t('person.permanentResidence'), cell: (c) => c.permanentResidence?.text ?? '' },
          ]}
        />
      ) : null}
    </>
  );
}

export default function Search() {
  const t = useT(officer);
  return (
    <Page title={t('search.title')} lead={t('search.lead')}>
      <PurposeGate suggested="CITIZEN_INFORMATION">
        <SearchForm />
      </PurposeGate>
    </Page>
  );
}
