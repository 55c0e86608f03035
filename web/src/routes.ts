/**
 * Where each page lives. Pure: a path names a public page or a role's area; each area's chunk
 * (pages/<area>/index.tsx) routes the rest of its path itself, so adding a page to an area touches
 * that area only. Page paths never hold a person's ID (it travels in history state) and never
 * collide with API paths (the API uses /citizens, /me, /admin, /inspection, /exchange …).
 */

export type Area = 'citizen' | 'officer' | 'ministry' | 'inspector' | 'agency';
export const AREAS: readonly Area[] = ['citizen', 'officer', 'ministry', 'inspector', 'agency'];

/** What an area's chunk (pages/<area>/index.tsx, default export) is given: its path after /<area>. */
export interface AreaProps {
  rest: string;
}

export type PublicPage = 'landing' | 'check' | 'sign-in' | 'sms-guide' | 'catalogue' | 'not-found';

export type Route =
  | { kind: 'public'; page: PublicPage; params: { number?: string; document?: 'certificate' | 'residence-confirmation' } }
  | { kind: 'area'; area: Area; rest: string };

/** The roles (src/services/context.ts) that may enter each area. */
export const AREA_ROLES: Readonly<Record<Area, readonly string[]>> = {
  citizen: ['citizen'],
  officer: ['officer'],
  ministry: ['admin'],
  inspector: ['inspector'],
  agency: ['agency'],
};

/** A signed-in role's own area, where sign-in leads. */
export function homeOf(role: string): string {
  const area = AREAS.find((a) => AREA_ROLES[a].includes(role));
  return area ? `/${area}` : '/';
}

const CERTIFICATE_NUMBER = /^[A-Z]{5,6}-\d{4}-[0-9A-Z]{8}$/;

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function routeOf(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { kind: 'public', page: 'landing', params: {} };
  if (path === '/check') return { kind: 'public', page: 'check', params: {} };
  if (path === '/sign-in') return { kind: 'public', page: 'sign-in', params: {} };
  if (path === '/sms-guide') return { kind: 'public', page: 'sms-guide', params: {} };
  if (path === '/catalogue') return { kind: 'public', page: 'catalogue', params: {} };
  // The QR printed on certificates: the same URL answers JSON to programs and this page to browsers.
  const qr = /^\/(certificates|residence-confirmations)\/([^/]+)\/verification$/.exec(path);
  if (qr) {
    const number = decoded(qr[2]!);
    if (number && CERTIFICATE_NUMBER.test(number)) {
      return { kind: 'public', page: 'check', params: { number, document: qr[1] === 'certificates' ? 'certificate' : 'residence-confirmation' } };
    }
    return { kind: 'public', page: 'not-found', params: {} };
  }
  const area = /^\/([a-z]+)(\/.*)?$/.exec(path);
  if (area && (AREAS as readonly string[]).includes(area[1]!)) return { kind: 'area', area: area[1] as Area, rest: area[2] ?? '/' };
  return { kind: 'public', page: 'not-found', params: {} };
}

export type Access = 'enter' | 'sign-in' | 'forbidden';

/** Whether a session of this role (none: signed out) may enter a path of an area; an area's own sign-in page is open to all. */
export function accessTo(area: Area, role: string | undefined, rest = '/'): Access {
  if (rest === '/sign-in' || rest.startsWith('/sign-in/')) return 'enter';
  if (role === undefined) return 'sign-in';
  return AREA_ROLES[area].includes(role) ? 'enter' : 'forbidden';
}

/** Where the sign-in for an area is: citizens sign in with their e-ID, staff with the officer sign-in. */
export function signInPathFor(area: Area): string {
  return area === 'citizen' ? '/citizen/sign-in' : '/sign-in';
}

export function isCertificateNumber(text: string): boolean {
  return CERTIFICATE_NUMBER.test(text);
}
