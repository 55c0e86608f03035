/**
 * The inspector's area (role inspector): search the access log and open an entry whose proof the
 * browser verifies itself (web/src/transparency/verify.ts), checkpoints and their consistency, the
 * grievance queue, and a segment exported for offline verification. The purpose is asked once.
 */
import { lazy } from 'react';
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { AreaLayout, pageOf } from '../../components/AreaLayout.js';
import { useT } from '../../i18n/context.js';
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
  const Shown = pageOf(PAGES, rest);
  if (!Shown) return <NotFound />;
  const layout = <AreaLayout base="/inspector" rest={rest} label={t('nav.label')} nav={NAV.map(([to, key]) => [to, t(key)] as const)} page={Shown} />;
  return <PurposeProvider>{layout}</PurposeProvider>;
}
