/**
 * A role area whose pages are a flat list: its navigation (the current page marked) and the page
 * the rest of the path names, loaded as its own chunk.
 */
import { Suspense, type ComponentType } from 'react';
import { Link } from '../router.js';
import { Loading } from './States.js';

/** The page the rest of the area's path names, or undefined (the area answers "not found"). */
export function pageOf(pages: Readonly<Record<string, ComponentType>>, rest: string): ComponentType | undefined {
  return Object.hasOwn(pages, rest) ? pages[rest] : undefined;
}

export function AreaLayout({ base, rest, label, nav, page: Shown }: { base: string; rest: string; label: string; nav: readonly (readonly [string, string])[]; page: ComponentType }) {
  const here = `${base}${rest === '/' ? '' : rest}`;
  return (
    <>
      <nav className="area-nav" aria-label={label}>
        <ul>
          {nav.map(([to, text]) => (
            <li key={to}>
              <Link to={to} aria-current={here === to ? 'page' : undefined}>
                {text}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<Loading />}>
        <Shown />
      </Suspense>
    </>
  );
}
