/** The SMS syntax, as GET /sms/help publishes it. */
import { api } from '../../api/client.js';
import { Page } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { useT } from '../../i18n/context.js';
import { publicMessages } from '../../i18n/public.js';

interface SmsHelp {
  keywords: Array<{ command: string; forms: string[]; meaning: string }>;
  answers: Array<{ answer: string; forms: string[]; meaning: string }>;
  unaccented: string[];
  prefixes: string[];
}

export default function SmsGuide() {
  const t = useT(publicMessages);
  const help = useApi((signal) => api<SmsHelp>('GET', '/sms/help', { signal }), []);
  return (
    <Page title={t('sms.title')} lead={t('sms.lead')}>
      {help.status === 'loading' ? <Loading /> : null}
      {help.status === 'failed' ? <ErrorState problem={help.problem} onRetry={help.reload} /> : null}
      {help.status === 'done' ? (
        <>
          <PagedTable
            caption={t('sms.title')}
            rows={help.value.keywords}
            rowKey={(k) => k.command}
            columns={[
              { key: 'forms', header: t('sms.keyword'), cell: (k) => <code>{k.forms.join(' / ')}</code> },
              { key: 'meaning', header: t('sms.meaning'), cell: (k) => k.meaning },
            ]}
          />
          <p>{t('sms.unaccented', { words: help.value.unaccented.join(', ') })}</p>
          <PagedTable
            caption={t('sms.answers')}
            rows={help.value.answers}
            rowKey={(a) => a.answer}
            columns={[
              { key: 'forms', header: t('sms.keyword'), cell: (a) => <code>{a.forms.join(' / ')}</code> },
              { key: 'meaning', header: t('sms.answerMeaning'), cell: (a) => a.meaning },
            ]}
          />
        </>
      ) : null}
    </Page>
  );
}
