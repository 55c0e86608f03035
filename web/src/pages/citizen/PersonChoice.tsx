/**
 * "About whom": oneself, or a person one's record names as one's child or as represented
 * (represented.ts). The choice stays in the page's state, never in its URL; the pages pass it to the
 * API as `personalId`, and the API says whether the citizen may act for that person.
 */
import { useState, type ReactNode } from 'react';
import { api } from '../../api/client.js';
import { SelectField } from '../../components/Field.js';
import { useApi } from '../../components/useApi.js';
import { formatName } from '../../format/text.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { representedPeople, type RelativeLink } from './represented.js';

/** The person chosen (undefined: oneself) and the selector, shown only when there is someone to choose. */
export function usePersonChoice(): { personalId: string | undefined; field: ReactNode } {
  const t = useT(citizenMessages);
  const [personalId, setPersonalId] = useState<string | undefined>();
  const record = useApi((signal) => api<{ relatives?: RelativeLink[] }>('GET', '/me/record', { signal }), []);
  const people = record.status === 'done' ? representedPeople(record.value.relatives ?? []) : [];
  if (people.length === 0) return { personalId: undefined, field: null };
  const field = (
    <SelectField
      label={t('person.label')}
      hint={t('person.hint')}
      name="person"
      value={personalId ?? ''}
      onChange={(e) => setPersonalId(e.target.value || undefined)}
      options={[{ value: '', label: t('person.self') }, ...people.map((p) => ({ value: p.personalId, label: `${formatName(p.fullName)} (${t(`person.${p.relation}`)})` }))]}
    />
  );
  return { personalId, field };
}
