/** The SMS channel's state (the SMS lines of /metrics, as `dancu sms status` shows them) and the mail to focal points. */
import { api, apiFile } from '../../api/client.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { samplesOf } from '../../exchange/prometheus.js';
import { formatDateTime } from '../../format/date.js';
import { formatInteger } from '../../format/number.js';
import { useT } from '../../i18n/context.js';
import { ministry } from './messages.js';

interface MailMessage {
  messageId: string;
  createdAt: string;
  recipient: string;
  subject: string;
  status: 'pending' | 'sent';
}

export default function Outbox() {
  const t = useT(ministry);
  const sms = useApi(async (signal) => samplesOf(await (await apiFile('/metrics', { signal, accept: 'text/plain' })).blob.text(), 'dancu_sms_'), []);
  const mail = useApi((signal) => api<MailMessage[]>('GET', '/admin/outbox', { signal }), []);
  return (
    <Page title={t('outbox.title')}>
      <Section title={t('outbox.sms')}>
        {sms.status === 'loading' ? <Loading /> : null}
        {sms.status === 'failed' ? <ErrorState problem={sms.problem} onRetry={sms.reload} /> : null}
        {sms.status === 'done' ? (
          <PagedTable
            caption={t('outbox.smsCaption')}
            rows={sms.value}
            pageSize={40}
            rowKey={(s) => `${s.name}${JSON.stringify(s.labels)}`}
            columns={[
              { key: 'metric', header: t('outbox.metric'), cell: (s) => `${s.name.replace('dancu_sms_', '')}${Object.entries(s.labels).map(([k, v]) => ` ${k}=${v}`).join('')}` },
              { key: 'value', header: t('outbox.value'), cell: (s) => formatInteger(s.value) },
            ]}
          />
        ) : null}
      </Section>
      <Section title={t('outbox.mail')}>
        {mail.status === 'loading' ? <Loading /> : null}
        {mail.status === 'failed' ? <ErrorState problem={mail.problem} onRetry={mail.reload} /> : null}
        {mail.status === 'done' ? (
          <PagedTable
            caption={t('outbox.mailCaption')}
            rows={[...mail.value].reverse()}
            rowKey={(m) => m.messageId}
            empty={t('outbox.none')}
            columns={[
              { key: 'at', header: t('outbox.at'), cell: (m) => formatDateTime(m.createdAt) },
              { key: 'to', header: t('outbox.to'), cell: (m) => m.recipient },
              { key: 'subject', header: t('outbox.subject'), cell: (m) => m.subject },
              { key: 'status', header: t('outbox.status'), cell: (m) => (m.status === 'sent' ? t('outbox.sent') : t('outbox.pending')) },
            ]}
          />
        ) : null}
      </Section>
    </Page>
  );
}
