/**
 * The citizen's home: their record as the register holds it — names of categories in the reader's
 * language, dates as Vietnamese write them, addresses with the unit names valid today.
 */
import { api } from '../../api/client.js';
import { Page } from '../../components/Page.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { formatName } from '../../format/text.js';
import { useLang, useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { Facts, type Fact } from './Facts.js';

interface Address {
  text: string;
  historical: boolean;
}
export interface MyRecord {
  personalId: string;
  fullName: string;
  otherNames?: string[];
  dateOfBirth: string;
  sex: 'male' | 'female';
  ethnicity: string;
  religion: string;
  nationality: string;
  bloodGroup?: string;
  maritalStatus?: string;
  legacyIdNumber?: string;
  placeOfBirth: Address;
  birthRegistrationPlace: Address;
  hometown: Address;
  permanentResidence?: Address;
  temporaryResidence?: Address;
  currentResidence?: Address;
  phone?: string;
  email?: string;
}
interface CategoryEntry {
  code: string;
  nameVi: string;
  nameEn: string;
}
const LISTS = ['ethnicities', 'religions', 'nationalities', 'blood-groups', 'marital-statuses'] as const;

export default function Home() {
  const t = useT(citizenMessages);
  const { lang } = useLang();
  const data = useApi(async (signal) => {
    const [record, ...lists] = await Promise.all([api<MyRecord>('GET', '/me/record', { signal }), ...LISTS.map((l) => api<CategoryEntry[]>('GET', `/categories/${l}`, { signal }))]);
    return { record, lists: Object.fromEntries(LISTS.map((l, i) => [l, lists[i]!])) as Record<(typeof LISTS)[number], CategoryEntry[]> };
  }, []);
  if (data.status === 'loading') return <Page title={t('home.title')}><Loading /></Page>;
  if (data.status === 'failed') return <Page title={t('home.title')}><ErrorState problem={data.problem} onRetry={data.reload} /></Page>;
  const { record: r, lists } = data.value;
  // A category is shown by its name; a code the list lacks is shown as it is rather than hidden.
  const named = (list: (typeof LISTS)[number], code: string | undefined) => {
    if (code === undefined) return t('none');
    const e = lists[list].find((x) => x.code === code);
    return e ? (lang === 'vi' ? e.nameVi : e.nameEn) : code;
  };
  const place = (a: Address | undefined) => (a ? `${a.text}${a.historical ? ` ${t('record.historical')}` : ''}` : t('none'));
  const facts: Fact[] = [
    [t('record.fullName'), formatName(r.fullName)],
    [t('record.personalId'), r.personalId],
    [t('record.legacyId'), r.legacyIdNumber ?? t('none')],
    [t('record.dateOfBirth'), formatDate(r.dateOfBirth)],
    [t('record.sex'), t(`sex.${r.sex}`)],
    [t('record.ethnicity'), named('ethnicities', r.ethnicity)],
    [t('record.religion'), named('religions', r.religion)],
    [t('record.nationality'), named('nationalities', r.nationality)],
    [t('record.maritalStatus'), named('marital-statuses', r.maritalStatus)],
    [t('record.bloodGroup'), named('blood-groups', r.bloodGroup)],
    [t('record.placeOfBirth'), place(r.placeOfBirth)],
    [t('record.birthRegistrationPlace'), place(r.birthRegistrationPlace)],
    [t('record.hometown'), place(r.hometown)],
    [t('record.permanentResidence'), place(r.permanentResidence)],
    [t('record.temporaryResidence'), place(r.temporaryResidence)],
    [t('record.currentResidence'), place(r.currentResidence)],
    [t('record.phone'), r.phone ?? t('none')],
    [t('record.email'), r.email ?? t('none')],
  ];
  return (
    <Page title={t('home.title')} lead={t('home.lead')}>
      <Facts facts={facts} />
    </Page>
  );
}
