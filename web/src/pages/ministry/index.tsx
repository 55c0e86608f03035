/**
 * The ministry administrator's area (role admin): connections through their lifecycle, agencies,
 * monitoring, the outbox, catalogue versions and officer accounts — each page its own chunk.
 */
import { lazy, Suspense } from 'react';
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { Loading } from '../../components/States.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { ministry } from './messages.js';
import Connections from './Connections.js';

const ConnectionPage = lazy(() => import('./ConnectionPage.js'));
const Agencies = lazy(() => import('./Agencies.js'));
const Monitoring = lazy(() => import('./Monitoring.js'));
const Outbox = lazy(() => import('./Outbox.js'));
const Catalogue = lazy(() => import('./CatalogueVersions.js'));
const Accounts = lazy(() => import('./Accounts.js'));

const PAGES = { '/': Connections, '/connection': ConnectionPage, '/agencies': Agencies, '/monitoring': Monitoring, '/outbox': Outbox, '/catalogue': Catalogue, '/accounts': Accounts } as const;
const NAV = [
  ['/ministry', 'nav.connections'],
  ['/ministry/agencies', 'nav.agencies'],
  ['/ministry/monitoring', 'nav.monitoring'],
  ['/ministry/outbox', 'nav.outbox'],
  ['/ministry/catalogue', 'nav.catalogue'],
  ['/ministry/accounts', 'nav.accounts'],
] as const;

export default function Area({ rest }: AreaProps) {
  const t = useT(ministry);
  const Shown = Object.hasOwn(PAGES, rest) ? PAGES[rest as keyof typeof PAGES] : undefined;
  if (!Shown) return <NotFound />;
  const here = `/ministry${rest === '/' ? '' : rest}`;
  return (
    <>
      <nav className="area-nav" aria-label={t('nav.label')}>
        <ul>
          {NAV.map(([to, key]) => (
            <li key={to}>
              <Link to={to} aria-current={here === to ? 'page' : undefined}>
                {t(key)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<Loading />}>
        <Shown />
      </Suspense>
    </>
  );
}
