/**
 * The counter officer's area: the case (purpose asked once per case) around every page, the
 * area's navigation, and its pages as their own chunks. People's IDs never enter these paths.
 */
import { lazy, Suspense } from 'react';
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { Loading } from '../../components/States.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { CaseProvider } from './CaseContext.js';
import { officer } from './messages.js';
import Workspace from './Workspace.js';

const Queue = lazy(() => import('./Queue.js'));
const ApplicationPage = lazy(() => import('./ApplicationPage.js'));
const Search = lazy(() => import('./Search.js'));
const Birth = lazy(() => import('./Birth.js'));
const WrittenRequests = lazy(() => import('./WrittenRequests.js'));
const WrittenRequestPage = lazy(() => import('./WrittenRequestPage.js'));

const PAGES = {
  '/': Workspace,
  '/applications': Queue,
  '/application': ApplicationPage,
  '/search': Search,
  '/birth': Birth,
  '/written-requests': WrittenRequests,
  '/written-request': WrittenRequestPage,
} as const;

const NAV = [
  ['/officer', 'nav.workspace'],
  ['/officer/applications', 'nav.applications'],
  ['/officer/search', 'nav.search'],
  ['/officer/birth', 'nav.birth'],
  ['/officer/written-requests', 'nav.writtenRequests'],
] as const;

function AreaNav({ rest }: { rest: string }) {
  const t = useT(officer);
  return (
    <nav className="area-nav" aria-label={t('nav.label')}>
      <ul>
        {NAV.map(([to, key]) => (
          <li key={to}>
            <Link to={to} aria-current={`/officer${rest === '/' ? '' : rest}` === to ? 'page' : undefined}>
              {t(key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function Area({ rest }: AreaProps) {
  const Shown = Object.hasOwn(PAGES, rest) ? PAGES[rest as keyof typeof PAGES] : undefined;
  if (!Shown) return <NotFound />;
  return (
    <CaseProvider>
      <AreaNav rest={rest} />
      <Suspense fallback={<Loading />}>
        <Shown />
      </Suspense>
    </CaseProvider>
  );
}
