/**
 * The ministry administrator's area (role admin): connections through their lifecycle, agencies,
 * monitoring, the outbox, catalogue versions and officer accounts — each page its own chunk.
 */
import { lazy } from 'react';
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { AreaLayout, pageOf } from '../../components/AreaLayout.js';
import { useT } from '../../i18n/context.js';
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
  const Shown = pageOf(PAGES, rest);
  if (!Shown) return <NotFound />;
  const layout = <AreaLayout base="/ministry" rest={rest} label={t('nav.label')} nav={NAV.map(([to, key]) => [to, t(key)] as const)} page={Shown} />;
  return layout;
}
