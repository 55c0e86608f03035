/**
 * The inspector's area (role inspector): search the access log and open an entry whose proof the
 * browser verifies itself (web/src/transparency/verify.ts), checkpoints and their consistency, the
 * grievance queue, and a segment exported for offline verification. The purpose is asked once.
 */
import { lazy, Suspense } from 'react';
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { Loading } from '../../components/States.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { inspector } from './messages.js';
import { PurposeProvider } from './Purpose.js';
import Search from './Search.js';

const EntryPage = lazy(() => import('./EntryPage.js'));
const Consistency = lazy(() => import('./Consistency.js'));
const Grievances = lazy(() => import('./Grievances.js'));
const Export = lazy(() => import('./Export.js'));

const PAGES = { '/': Search, '/entry': EntryPage, '/checkpoints': Consistency, '/grievances': Grievances, '/export': Export } as const;
const NAV = [
  ['/inspector', 'nav.search'],
  ['/inspector/checkpoints', 'nav.consistency'],
  ['/inspector/grievances', 'nav.grievances'],
  ['/inspector/export', 'nav.export'],
] as const;

export default function Area({ rest }: AreaProps) {
  const t = useT(inspector);
  const Shown = Object.hasOwn(PAGES, rest) ? PAGES[rest as keyof typeof PAGES] : undefined;
  if (!Shown) return <NotFound />;
  const here = `/inspector${rest === '/' ? '' : rest}`;
  return (
    <PurposeProvider>
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
    </PurposeProvider>
  );
}
