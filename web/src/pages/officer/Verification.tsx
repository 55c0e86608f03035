/** What a scanned card shows the officer: the verdict in words, the person, the card today, and the field-by-field comparison. */
import { PagedTable } from '../../components/PagedTable.js';
import { Section } from '../../components/Page.js';
import { formatDate } from '../../format/date.js';
import { formatName } from '../../format/text.js';
import { useT } from '../../i18n/context.js';
import { differences, verdictTone } from './comparison.js';
import { officer } from './messages.js';
import { useLabels } from './labels.js';
import type { CounterVerification } from './types.js';

export function Verification({ result }: { result: CounterVerification }) {
  const t = useT(officer);
  const label = useLabels();
  const tone = verdictTone(result.verdict);
  const changed = new Set(differences(result.fields ?? []).filter((d) => d.difference === 'changed_since_issue').map((d) => d.field));
  return (
    <>
      <p className={`verdict verdict-${tone}`} role="status">
        {t(`verdict.${result.verdict}`)}
      </p>
      <Section title={t('person.title')}>
        <dl className="facts">
          <dt>{t('person.fullName')}</dt>
          <dd>{formatName(result.fullName ?? result.payload.fullName)}</dd>
          <dt>{t('person.personalId')}</dt>
          <dd>{result.personalId ?? result.payload.personalId}</dd>
          <dt>{t('person.dateOfBirth')}</dt>
          <dd>{formatDate(result.payload.dateOfBirth)}</dd>
          <dt>{t('person.sex')}</dt>
          <dd>{label.sex(result.payload.sex)}</dd>
          {result.permanentResidence ? (
            <>
              <dt>{t('person.permanentResidence')}</dt>
              <dd>{result.permanentResidence.text}</dd>
            </>
          ) : null}
        </dl>
      </Section>
      {result.card ? (
        <Section title={t('card.title')}>
          <dl className="facts">
            <dt>{t('card.number')}</dt>
            <dd>{result.card.cardNo}</dd>
            <dt>{t('card.issueDate')}</dt>
            <dd>{formatDate(result.card.issueDate)}</dd>
            <dt>{t('card.expiry')}</dt>
            <dd>{result.card.expiryDate ? formatDate(result.card.expiryDate) : t('card.noExpiry')}</dd>
            <dt>{t('card.status')}</dt>
            <dd>
              <strong className={`tone-${result.card.status === 'valid' ? 'good' : 'bad'}`}>{label.cardStatus(result.card.status)}</strong>
            </dd>
          </dl>
        </Section>
      ) : null}
      {result.fields ? (
        <Section title={t('compare.title')}>
          <PagedTable
            caption={t('compare.caption')}
            rows={result.fields}
            rowKey={(f) => f.field}
            pageSize={20}
            columns={[
              { key: 'field', header: t('compare.field'), cell: (f) => label.field(f.field) },
              { key: 'qr', header: t('compare.qr'), cell: (f) => label.value(f.field, f.qr) },
              { key: 'registry', header: t('compare.registry'), cell: (f) => label.value(f.field, f.registry) },
              {
                key: 'result',
                header: t('compare.result'),
                cell: (f) =>
                  f.matches ? (
                    <span className="tone-good">✓ {t('compare.match')}</span>
                  ) : changed.has(f.field) ? (
                    <span className="tone-warn">≠ {t('compare.changed')}</span>
                  ) : (
                    <span className="tone-bad">✗ {t('compare.mismatch')}</span>
                  ),
              },
            ]}
          />
        </Section>
      ) : null}
    </>
  );
}
