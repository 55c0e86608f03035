/** Labelled facts as a description list (styles.css `.facts`: two columns on a desktop, stacked on a phone). */
import type { ReactNode } from 'react';

export type Fact = readonly [label: string, value: ReactNode];

export function Facts({ facts }: { facts: readonly Fact[] }) {
  return (
    <dl className="facts">
      {facts.map(([l, v]) => (
        <div className="fact" key={l}>
          <dt>{l}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
