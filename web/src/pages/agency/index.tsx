/**
 * The agency administrator's area (role `agency`, decision 0046): their agency and focal points,
 * connections with their history, keys and consent requests, a connection request, and statements.
 * Everything comes from /my-agency/…, which answers for the administrator's own agency only.
 */
import { lazy, Suspense } from 'react';
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { Loading } from '../../components/States.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { agency } from './messages.js';
import Home from './Home.js';

const ConnectionPage = lazy(() => import('./ConnectionPage.js'));
const RequestConnection = lazy(() => import('./RequestConnection.js'));
const Statements = lazy(() => import('./Statements.js'));

const PAGES = { '/': Home, '/connection': ConnectionPage, '/request': RequestConnection, '/statements': Statements } as const;
const NAV = [
  ['/agency', 'nav.home'],
  ['/agency/request', 'nav.request'],
  ['/agency/statements', 'nav.statements'],
] as const;

export default function Area({ rest }: AreaProps) {
  const t = useT(agency);
  const Shown = Object.hasOwn(PAGES, rest) ? PAGES[rest as keyof typeof PAGES] : undefined;
  if (!Shown) return <NotFound />;
  const here = `/agency${rest === '/' ? '' : rest}`;
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
