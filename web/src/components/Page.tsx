/**
 * A page: its title as the one h1 and the document's title, focused when the page opens so a
 * screen reader announces where a navigation led.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function Page({ title, children, lead }: { title: string; lead?: ReactNode; children?: ReactNode }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Dân cư`;
  }, [title]);
  useEffect(() => {
    // Not on the first page load: the skip link comes first there.
    if (document.activeElement && document.activeElement !== document.body) h1.current?.focus();
  }, []);
  return (
    <article className="page">
      <h1 ref={h1} tabIndex={-1}>
        {title}
      </h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {children}
    </article>
  );
}

/** A titled part of a page. */
export function Section({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="section">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
