/** The citizen's household (head and members) and residence: where they live now and every registration. */
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { ApiError } from '../../api/problem.js';
import { formatDate } from '../../format/date.js';
import { formatName } from '../../format/text.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';
import { Facts, type Fact } from './Facts.js';

interface Place {
  asRegistered: string;
  today: { text: string };
}
interface Registration {
  seq: number;
  kind: 'permanent' | 'temporary' | 'absence';
  kindName: string;
  status: 'active' | 'expired' | 'ended' | 'not_yet_valid';
  place: Place;
  startOn: string;
  validUntil?: string;
  endedOn?: string;
}
interface Current {
  permanent?: Registration;
  temporary?: Registration;
}
interface History {
  registrations: Registration[];
}
interface Household {
  residenceFileNumber: string;
  place: Place;
  headPersonalId: string | null;
  members: Array<{ personalId: string; fullName: string; dateOfBirth: string; relationshipName: string; joinedOn: string }>;
}

/** A household is absent (404) for a person in none: that is an answer, not a failure. */
async function householdOrNone(signal: AbortSignal): Promise<Household | undefined> {
  try {
    return await api<Household>('GET', '/me/household', { signal });
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 404) return undefined;
    throw e;
  }
}

export default function Residence() {
  const t = useT(citizenMessages);
  const data = useApi(async (signal) => {
    const [current, history, household] = await Promise.all([api<Current>('GET', '/me/residence', { signal }), api<History>('GET', '/me/residence/history', { signal }), householdOrNone(signal)]);
    return { current, history, household };
  }, []);
  if (data.status === 'loading') return <Page title={t('residence.title')}><Loading /></Page>;
  if (data.status === 'failed') return <Failed problem={data.problem} onRetry={data.reload} />;
  const { current, history, household } = data.value;
  const line = (r: Registration) => `${r.place.today.text} (${t('residence.since', { date: formatDate(r.startOn) })}${r.validUntil ? `, ${t('residence.until', { date: formatDate(r.validUntil) })}` : ''})`;
  const now: Fact[] = [];
  if (current.permanent) now.push([t('residence.permanent'), line(current.permanent)]);
  if (current.temporary) now.push([t('residence.temporary'), line(current.temporary)]);
  return (
    <Page title={t('residence.title')}>
      <Section title={t('residence.now')}>{now.length > 0 ? <Facts facts={now} /> : <p>{t('residence.none')}</p>}</Section>
      <Section title={t('household.title')}>
        {household ? (
          <>
            <p>{t('household.file', { number: household.residenceFileNumber })}</p>
            <p>{household.place.today.text}</p>
            <PagedTable
              caption={t('household.caption')}
              rows={household.members}
              rowKey={(m) => m.personalId}
              columns={[
                { key: 'name', header: t('household.name'), cell: (m) => formatName(m.fullName) },
                { key: 'dob', header: t('household.dateOfBirth'), cell: (m) => formatDate(m.dateOfBirth) },
                { key: 'rel', header: t('household.relationship'), cell: (m) => m.relationshipName },
                { key: 'joined', header: t('household.joined'), cell: (m) => formatDate(m.joinedOn) },
              ]}
            />
          </>
        ) : (
          <p>{t('household.none')}</p>
        )}
      </Section>
      <Section title={t('history.title')}>
        <PagedTable
          caption={t('history.caption')}
          rows={history.registrations}
          rowKey={(r) => String(r.seq)}
          empty={t('residence.none')}
          columns={[
            { key: 'kind', header: t('history.kind'), cell: (r) => r.kindName },
            { key: 'place', header: t('history.place'), cell: (r) => r.place.asRegistered },
            { key: 'from', header: t('history.from'), cell: (r) => formatDate(r.startOn) },
            { key: 'to', header: t('history.to'), cell: (r) => (r.endedOn ?? r.validUntil ? formatDate((r.endedOn ?? r.validUntil)!) : '—') },
            { key: 'status', header: t('history.status'), cell: (r) => t(`status.${r.status}`) },
          ]}
        />
      </Section>
    </Page>
  );
}

function Failed({ problem, onRetry }: { problem: Problem; onRetry: () => void }) {
  const t = useT(citizenMessages);
  return (
    <Page title={t('residence.title')}>
      <ErrorState problem={problem} onRetry={onRetry} />
    </Page>
  );
}
