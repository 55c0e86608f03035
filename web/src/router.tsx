/**
 * Client-side routing on the History API, small enough to read: the location as React state,
 * links that navigate without reloading, and history state for what must not be in a URL (people's
 * IDs). The server answers index.html to any page path a browser asks for (src/http/web-portal.ts).
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const CHANGE = 'dancu:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

// history.state is a stable object between navigations, so it is a valid snapshot.
const pathSnapshot = () => window.location.pathname;
const stateSnapshot = () => window.history.state as unknown;

/** The page's path (no query: pages keep nothing personal there). */
export function usePath(): string {
  return useSyncExternalStore(subscribe, pathSnapshot);
}

/** What the previous page handed over (e.g. { personalId }), kept across reloads by the browser. */
export function usePageState<T>(): T | undefined {
  return (useSyncExternalStore(subscribe, stateSnapshot) ?? undefined) as T | undefined;
}

/** Goes to a page; `state` carries what must not appear in the URL. */
export function navigate(path: string, options: { state?: unknown; replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(options.state ?? null, '', path);
  else window.history.pushState(options.state ?? null, '', path);
  window.dispatchEvent(new Event(CHANGE));
  window.scrollTo(0, 0);
}

export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  to: string;
  state?: unknown;
}

/** An ordinary link (opens in a new tab when asked) that navigates in place on a plain click. */
export function Link({ to, state, onClick, ...rest }: LinkProps) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to, { state });
  };
  return <a href={to} onClick={click} {...rest} />;
}
