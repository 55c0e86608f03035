/**
 * Every page's frame: the skip link first, a header with the service's name, navigation for the
 * signed-in role, the language switch and the sign-in state; then the one main landmark.
 */
import type { ReactNode } from 'react';
import { common } from '../i18n/common.js';
import { useLang, useT } from '../i18n/context.js';
import { Link, navigate } from '../router.js';
import { homeOf } from '../routes.js';
import { roleOf, useSession } from '../session.js';
import { Button } from '../components/Button.js';

const NAV_BY_ROLE: Readonly<Record<string, 'nav.citizen' | 'nav.officer' | 'nav.ministry' | 'nav.inspector' | 'nav.agency'>> = {
  citizen: 'nav.citizen',
  officer: 'nav.officer',
  admin: 'nav.ministry',
  inspector: 'nav.inspector',
  agency: 'nav.agency',
};

export function Layout({ children }: { children: ReactNode }) {
  const t = useT(common);
  const { lang, setLang } = useLang();
  const { session, signOut } = useSession();
  const role = roleOf(session);
  const roleNav = role ? NAV_BY_ROLE[role] : undefined;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skip.toMain')}
      </a>
      <header className="site-header">
        <div className="brand">
          <Link to="/" className="brand-name">
            {t('app.name')}
          </Link>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <nav aria-label={t('nav.label')} className="site-nav">
          <ul>
            <li>
              <Link to="/">{t('nav.home')}</Link>
            </li>
            <li>
              <Link to="/check">{t('nav.check')}</Link>
            </li>
            {roleNav && role ? (
              <li>
                <Link to={homeOf(role)}>{t(roleNav)}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="site-tools">
          <button type="button" className="btn btn-link lang-switch" lang={lang === 'vi' ? 'en' : 'vi'} aria-label={t('lang.switchLabel')} onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
            {t('lang.switch')}
          </button>
          {session.status === 'signed-in' ? (
            <span className="session">
              <span className="session-name">{t('session.signedInAs', { name: session.me.name })}</span>
              <Button variant="secondary" onClick={() => void signOut().then(() => navigate('/'))}>
                {t('session.signOut')}
              </Button>
            </span>
          ) : session.status === 'signed-out' ? (
            <Link to="/sign-in" className="btn btn-secondary">
              {t('session.signIn')}
            </Link>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>{t('footer.text')}</p>
      </footer>
    </>
  );
}
