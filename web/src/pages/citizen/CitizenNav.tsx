/** The citizen's pages, listed on each of them (the current one marked for assistive technology). */
import { useT } from '../../i18n/context.js';
import { Link } from '../../router.js';
import { citizenMessages } from './messages.js';

const PAGES = [
  ['/', 'nav.home'],
  ['/residence', 'nav.residence'],
  ['/cards', 'nav.cards'],
  ['/usage', 'nav.usage'],
  ['/documents', 'nav.documents'],
  ['/consents', 'nav.consents'],
  ['/written-requests', 'nav.writtenRequests'],
  ['/services', 'nav.relyingParties'],
  ['/account', 'nav.account'],
] as const;

export function CitizenNav({ current }: { current: string }) {
  const t = useT(citizenMessages);
  return (
    <nav aria-label={t('nav.label')} className="area-nav">
      <ul>
        {PAGES.map(([path, key]) => (
          <li key={path}>
            <Link to={path === '/' ? '/citizen' : `/citizen${path}`} aria-current={current === path ? 'page' : undefined}>
              {t(key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
