/** Names for the codes the officer pages show (fields, sexes, card states), in the page's language. */
import { useMemo } from 'react';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { officer } from './messages.js';

const FIELDS = ['personalId', 'legacyIdNumber', 'fullName', 'dateOfBirth', 'sex', 'permanentAddress', 'issueDate'] as const;
const CARD_STATES = ['valid', 'expired', 'replaced', 'revoked', 'lost', 'not_yet_issued'] as const;
const FORM_KEYS = ['personalId', 'address', 'household', 'householdId', 'lawfulResidence', 'validUntil', 'consents', 'reason', 'ground', 'arrivalAt', 'departureOn', 'host', 'members', 'destination', 'absentSince', 'until', 'relationships', 'newHeadPersonalId', 'adjustment'] as const;
const APPLICATION_STATES = ['submitted', 'documents_requested', 'approved', 'refused', 'withdrawn'] as const;

function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return (list as readonly string[]).includes(v);
}

export function useLabels() {
  const t = useT(officer);
  return useMemo(
    () => ({
      field: (f: string) => (isOneOf(FIELDS, f) ? t(`field.${f}`) : f),
      sex: (s: string) => (s === 'male' ? t('sex.male') : s === 'female' ? t('sex.female') : s),
      cardStatus: (s: string) => (isOneOf(CARD_STATES, s) ? t(`cardStatus.${s}`) : s),
      /** A field of a filed residence form by its name on the form; an unlisted one as the API names it. */
      formField: (k: string) => (isOneOf(FORM_KEYS, k) ? t(`form.${k}`) : k),
      applicationStatus: (s: string) => (isOneOf(APPLICATION_STATES, s) ? t(`status.${s}`) : s),
      /** A compared value as people read it: dates dd/mm/yyyy, sexes by name, nothing as "(empty)". */
      value: (field: string, v: string | null) => {
        if (v === null || v === '') return t('empty.value');
        if (field === 'dateOfBirth' || field === 'issueDate') return formatDate(v);
        if (field === 'sex') return v === 'male' || v === 'female' ? (v === 'male' ? t('sex.male') : t('sex.female')) : v;
        return v;
      },
    }),
    [t],
  );
}
