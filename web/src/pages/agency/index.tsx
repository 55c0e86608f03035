/**
 * The agency administrator's area (role `agency`, decision 0046): their agency and focal points,
 * connections with their history, keys and consent requests, a connection request, and statements.
 * Everything comes from /my-agency/…, which answers for the administrator's own agency only.
 */
import { lazy } from 'react';
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { AreaLayout, pageOf } from '../../components/AreaLayout.js';
import { useT } from '../../i18n/context.js';
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
  const Shown = pageOf(PAGES, rest);
  if (!Shown) return <NotFound />;
  const layout = <AreaLayout base="/agency" rest={rest} label={t('nav.label')} nav={NAV.map(([to, key]) => [to, t(key)] as const)} page={Shown} />;
  return layout;
}
