/** The published service catalogue and the directory of connected agencies with their focal points (public API). */
import { api } from '../../api/client.js';
import { Page, Section } from '../../components/Page.js';
import { PagedTable } from '../../components/PagedTable.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useApi } from '../../components/useApi.js';
import { formatVnd } from '../../format/number.js';
import { useT } from '../../i18n/context.js';
import { publicMessages } from '../../i18n/public.js';

interface CatalogueVersion {
  year: number;
  services: Array<{ code: string; name: string; description: string; legalBasis: string; priceVnd: number; free: boolean }>;
}
interface DirectoryEntry {
  code: string;
  name: string;
  typeName: string;
  dataOffer?: string;
  focalPoints: Array<{ fullName: string; position: string; phone: string; email: string }>;
  services: string[];
}

export default function Catalogue() {
  const t = useT(publicMessages);
  const data = useApi(async (signal) => {
    const [catalogue, directory] = await Promise.all([api<CatalogueVersion>('GET', '/exchange/catalogue', { signal }), api<DirectoryEntry[]>('GET', '/exchange/directory', { signal })]);
    return { catalogue, directory };
  }, []);
  if (data.status === 'loading') return <Page title={t('catalogue.title')}><Loading /></Page>;
  if (data.status === 'failed') return <Page title={t('catalogue.title')}><ErrorState problem={data.problem} onRetry={data.reload} /></Page>;
  const { catalogue, directory } = data.value;
  const serviceName = (code: string) => catalogue.services.find((s) => s.code === code)?.name ?? code;
  return (
    <Page title={t('catalogue.title')} lead={t('catalogue.lead', { year: catalogue.year })}>
      <Section title={t('catalogue.services')}>
        <PagedTable
          caption={t('catalogue.services')}
          rows={catalogue.services}
          rowKey={(s) => s.code}
          columns={[
            { key: 'name', header: t('catalogue.service'), cell: (s) => s.name },
            { key: 'description', header: t('catalogue.description'), cell: (s) => s.description },
            { key: 'legalBasis', header: t('catalogue.legalBasis'), cell: (s) => s.legalBasis },
            { key: 'price', header: t('catalogue.price'), cell: (s) => (s.free ? t('catalogue.free') : formatVnd(s.priceVnd)) },
          ]}
        />
      </Section>
      <Section title={t('catalogue.directory')}>
        <PagedTable
          caption={t('catalogue.directory')}
          rows={directory}
          rowKey={(a) => a.code}
          columns={[
            { key: 'agency', header: t('catalogue.agency'), cell: (a) => (<><strong>{a.name}</strong><br />{a.typeName}{a.dataOffer ? <><br />{a.dataOffer}</> : null}</>) },
            {
              key: 'focal',
              header: t('catalogue.focalPoints'),
              cell: (a) => (
                <ul className="plain">
                  {a.focalPoints.map((f) => (
                    <li key={f.email}>
                      {f.fullName}, {f.position} — <a href={`tel:${f.phone.replace(/[^+\d]/g, '')}`}>{f.phone}</a>, <a href={`mailto:${f.email}`}>{f.email}</a>
                    </li>
                  ))}
                </ul>
              ),
            },
            { key: 'services', header: t('catalogue.agencyServices'), cell: (a) => a.services.map(serviceName).join('; ') },
          ]}
        />
      </Section>
    </Page>
  );
}
