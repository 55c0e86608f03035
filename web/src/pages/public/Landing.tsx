/** The landing page: what the service is, and the ways in. Part of the first chunk: keep it light. */
import { Page } from '../../components/Page.js';
import { useT } from '../../i18n/context.js';
import { publicMessages } from '../../i18n/public.js';
import { Link } from '../../router.js';

export function Landing() {
  const t = useT(publicMessages);
  const cards = [
    { key: 'check', to: '/check' },
    { key: 'citizen', to: '/citizen/sign-in' },
    { key: 'staff', to: '/sign-in' },
    { key: 'sms', to: '/sms-guide' },
  ] as const;
  return (
    <Page title={t('landing.title')} lead={t('landing.lead')}>
      <ul className="cards">
        {cards.map((c) => (
          <li key={c.key} className="card">
            <h2>{t(`landing.${c.key}.title`)}</h2>
            <p>{t(`landing.${c.key}.body`)}</p>
            <Link to={c.to} className="btn btn-primary">
              {t(`landing.${c.key}.link`)}
            </Link>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/catalogue">{t('landing.catalogue.link')}</Link>
      </p>
      <p className="muted">
        {t('landing.api.title')}: <a href="/docs">{t('landing.api.link')}</a>
      </p>
    </Page>
  );
}
