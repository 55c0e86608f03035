/**
 * The portal: the language and session around every page, the public pages, and each role's area
 * as its own lazily loaded chunk behind the role guard (routes.ts).
 */
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { LangProvider, useT } from './i18n/context.js';
import { common } from './i18n/common.js';
import { Layout } from './layout/Layout.js';
import { usePath, navigate } from './router.js';
import { accessTo, routeOf, signInPathFor, type Area, type AreaProps } from './routes.js';
import { roleOf, SessionProvider, useSession } from './session.js';
import { Loading } from './components/States.js';
import { Landing } from './pages/public/Landing.js';
import { NotFound } from './pages/public/NotFound.js';
import { Page } from './components/Page.js';

const CheckPage = lazy(() => import('./pages/public/CheckPage.js'));
const SignInPage = lazy(() => import('./pages/staff/SignInPage.js'));
const SmsGuide = lazy(() => import('./pages/public/SmsGuide.js'));
const Catalogue = lazy(() => import('./pages/public/Catalogue.js'));

const AREA_CHUNKS: Record<Area, LazyExoticComponent<ComponentType<AreaProps>>> = {
  citizen: lazy(() => import('./pages/citizen/index.js')),
  officer: lazy(() => import('./pages/officer/index.js')),
  ministry: lazy(() => import('./pages/ministry/index.js')),
  inspector: lazy(() => import('./pages/inspector/index.js')),
  agency: lazy(() => import('./pages/agency/index.js')),
};

function Forbidden() {
  const t = useT(common);
  return <Page title={t('forbidden.title')} lead={t('forbidden.body')} />;
}

function ToSignIn({ area }: { area: Area }) {
  useEffect(() => navigate(signInPathFor(area), { replace: true }), [area]);
  return <Loading />;
}

function AreaGate({ area, rest }: { area: Area; rest: string }) {
  const { session } = useSession();
  if (session.status === 'loading') return <Loading />;
  const access = accessTo(area, roleOf(session), rest);
  if (access === 'sign-in') return <ToSignIn area={area} />;
  if (access === 'forbidden') return <Forbidden />;
  const Chunk = AREA_CHUNKS[area];
  return <Chunk rest={rest} />;
}

function Routed() {
  const route = routeOf(usePath());
  if (route.kind === 'area') return <AreaGate area={route.area} rest={route.rest} />;
  switch (route.page) {
    case 'landing':
      return <Landing />;
    case 'check':
      return <CheckPage number={route.params.number} document={route.params.document} />;
    case 'sign-in':
      return <SignInPage />;
    case 'sms-guide':
      return <SmsGuide />;
    case 'catalogue':
      return <Catalogue />;
    default:
      return <NotFound />;
  }
}

export function App() {
  return (
    <LangProvider>
      <SessionProvider>
        <Layout>
          <Suspense fallback={<Loading />}>
            <Routed />
          </Suspense>
        </Layout>
      </SessionProvider>
    </LangProvider>
  );
}
