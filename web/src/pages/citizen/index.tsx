/**
 * The citizen area (issue 16 item 3): routes the rest of its path (after /citizen) to its pages.
 * The sign-in and its public steps (registration, activation, unlock) are open to all; every other
 * page is behind the guard (role citizen) and shows the area's navigation. Pages load lazily.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { AreaProps } from '../../routes.js';
import { NotFound } from '../public/NotFound.js';
import { CitizenNav } from './CitizenNav.js';

type Lazy = LazyExoticComponent<ComponentType>;

const SIGNED_IN: Readonly<Record<string, Lazy>> = {
  '/': lazy(() => import('./Home.js')),
  '/residence': lazy(() => import('./Residence.js')),
  '/cards': lazy(() => import('./Cards.js')),
  '/usage': lazy(() => import('./Usage.js')),
  '/documents': lazy(() => import('./Documents.js')),
  '/account': lazy(() => import('./Account.js')),
  '/consents': lazy(() => import('./Consents.js')),
  '/written-requests': lazy(() => import('./WrittenRequests.js')),
  '/services': lazy(() => import('./RelyingParties.js')),
};

const OPEN: Readonly<Record<string, Lazy>> = {
  '/sign-in': lazy(() => import('./SignIn.js')),
  '/sign-in/register': lazy(() => import('./Register.js')),
  '/sign-in/activate': lazy(() => import('./Activate.js')),
  '/sign-in/unlock': lazy(() => import('./Unlock.js')),
};

export default function Area({ rest }: AreaProps) {
  const open = OPEN[rest];
  if (open) {
    const Open = open;
    return <Open />;
  }
  const page = SIGNED_IN[rest];
  if (!page) return <NotFound />;
  const Shown = page;
  return (
    <>
      <CitizenNav current={rest} />
      <Shown />
    </>
  );
}
