/**
 * The ministry area: routes the rest of its path (after /ministry) to its pages. Phase 1 holds only its
 * home; the area's engineer adds pages here (see web/README.md).
 */
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { Page } from '../../components/Page.js';
import { useT } from '../../i18n/context.js';
import { common } from '../../i18n/common.js';

export default function Area({ rest }: AreaProps) {
  const t = useT(common);
  if (rest === '/') return <Page title={t('nav.ministry')} />;
  return <NotFound />;
}
