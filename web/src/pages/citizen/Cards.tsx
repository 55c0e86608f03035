/**
 * The citizen's ID cards with their status today, and the QR printed on the card in force, drawn by
 * the API as a PNG and shown from a blob: URL (the CSP allows img-src blob:; nothing inline).
 */
import { useEffect, useState } from 'react';
import { api, apiFile } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDate } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { citizenMessages } from './messages.js';

type CardStatus = 'valid' | 'expired' | 'replaced' | 'revoked' | 'lost' | 'not_yet_issued';
interface CardView {
  seq: number;
  cardNo: string;
  generation: 'CMND' | 'CCCD' | 'CAN_CUOC';
  issueDate: string;
  expiryDate: string | null;
  status: CardStatus;
}
interface CardStatusReport {
  current?: CardView;
  cards: CardView[];
}

export default function Cards() {
  const t = useT(citizenMessages);
  const data = useApi((signal) => api<CardStatusReport>('GET', '/me/cards', { signal }), []);
  if (data.status === 'loading') return <Page title={t('cards.title')}><Loading /></Page>;
  if (data.status === 'failed') return <Page title={t('cards.title')}><ErrorState problem={data.problem} onRetry={data.reload} /></Page>;
  const { cards, current } = data.value;
  return (
    <Page title={t('cards.title')}>
      <PagedTable
        caption={t('cards.caption')}
        rows={cards}
        rowKey={(c) => String(c.seq)}
        empty={t('cards.none')}
        columns={[
          { key: 'no', header: t('cards.number'), cell: (c) => c.cardNo },
          { key: 'gen', header: t('cards.generation'), cell: (c) => t(`gen.${c.generation}`) },
          { key: 'issued', header: t('cards.issued'), cell: (c) => formatDate(c.issueDate) },
          { key: 'expiry', header: t('cards.expiry'), cell: (c) => (c.expiryDate ? formatDate(c.expiryDate) : t('cards.noExpiry')) },
          { key: 'status', header: t('cards.status'), cell: (c) => t(`cardStatus.${c.status}`) },
        ]}
      />
      {current && current.status === 'valid' ? <CardQr /> : null}
    </Page>
  );
}

function CardQr() {
  const t = useT(citizenMessages);
  const [shown, setShown] = useState(false);
  const [url, setUrl] = useState<string | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  useEffect(() => {
    if (!shown) return;
    let made: string | undefined;
    let live = true;
    apiFile('/me/cards/qr/png', { accept: 'image/png' }).then(
      ({ blob }) => {
        if (!live) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      (e: unknown) => live && setProblem(problemOf(e)),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [shown]);
  return (
    <Section title={t('cards.qrTitle')}>
      <p>{t('cards.qrLead')}</p>
      {!shown ? (
        <Button variant="secondary" onClick={() => setShown(true)}>
          {t('cards.qrShow')}
        </Button>
      ) : problem ? (
        <ErrorState problem={problem} />
      ) : url ? (
        <img className="qr" src={url} width={240} height={240} alt={t('cards.qrAlt')} />
      ) : (
        <Loading />
      )}
    </Section>
  );
}
