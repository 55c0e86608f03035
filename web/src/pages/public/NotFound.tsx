import { Page } from '../../components/Page.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';

export function NotFound() {
  const t = useT(common);
  return (
    <Page title={t('notFound.title')} lead={t('notFound.body')}>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </Page>
  );
}
