/**
 * The world of the consent HTTP tests (decision 0044; test/http/consents-*.test.ts): a server with a
 * few synthetic people (the generator needs an empty store, hence here first), six registered
 * citizens each with a citizen token, and agencies' systems connected and active — two needing
 * consent (a bank, a notary), a state agency needing none, and a bank whose verifyCitizen is
 * configured without consent. And the calls the tests make as agencies and as citizens.
 */
import assert from 'node:assert/strict';
import { birthBody, startTestServer, type TestServer } from './http.js';
import { admin, agencyBody, callService, connectIn, type AgencySystem } from './exchange.js';
import { createPrincipal } from '../../src/services/principals.js';
import { seedPopulation } from '../../src/services/seed.js';

export const PURPOSE = 'KYC-MOTAIKHOAN';
export const DAY = 86_400_000;
const START = '2026-06-01T08:00:00.000Z';

export const grants = (extra: Record<string, unknown> = {}) => ({
  grants: [
    { service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth', 'sex'], purposes: [PURPOSE, '1.004222'] },
    { service: 'batchLookupCitizens', fields: ['fullName', 'sex'], purposes: [PURPOSE] },
    { service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth'], purposes: [PURPOSE], ...extra },
  ],
  ratePerMinute: 10_000,
});

export interface ConsentWorld {
  s: TestServer;
  /** Access tokens of the active connections. */
  bank: string;
  bankSys: AgencySystem;
  bank2: string;
  stateAgency: string;
  verifyFree: string;
  /** people[i]'s citizen token is citizens[i]. */
  people: string[];
  citizens: string[];
}

export async function consentWorld(): Promise<ConsentWorld> {
  const s = await startTestServer(START);
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 7, count: 3 });
  await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
  await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
  const register = async (fullName: string) => {
    const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName, dateOfBirth: '1991-02-03' }) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.personalId as string;
  };
  const people: string[] = [];
  const citizens: string[] = [];
  for (const name of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Phương']) people.push(await register(name));
  for (const [i, p] of people.entries()) citizens.push((await createPrincipal(s.runtime.store, s.clock, `Công dân ${i}`, 'citizen', undefined, { personalId: p })).token);
  const b = await connectIn(s, agencyBody('NHDONGY', { type: 'credit_institution', name: 'Ngân hàng Đồng Ý' }), grants(), 'active');
  return {
    s,
    bank: b.token!,
    bankSys: b.sys,
    bank2: (await connectIn(s, agencyBody('NHKHAC', { type: 'notary', name: 'Văn phòng công chứng Khác' }), grants(), 'active')).token!,
    stateAgency: (await connectIn(s, agencyBody('BHXHDY'), grants(), 'active')).token!,
    verifyFree: (await connectIn(s, agencyBody('NHXACTHUC', { type: 'credit_institution' }), grants({ consentRequired: false }), 'active')).token!,
    people,
    citizens,
  };
}

/** The calls as an agency's system and as a citizen; `world` is read at each call (set in before()). */
export function consentCalls(world: () => Pick<ConsentWorld, 's' | 'citizens'>) {
  const asAgency = (token: string, method: string, path: string, body?: unknown) => world().s.call(method, path, { token, purpose: null, ...(body !== undefined ? { body } : {}) });
  const asCitizen = (i: number, method: string, path: string) => world().s.call(method, path, { token: world().citizens[i]!, headers: { 'x-purpose': '' } });
  const ask = (token: string, personalId: string, o: Record<string, unknown> = {}) =>
    asAgency(token, 'POST', '/exchange/consents', { personalId, purpose: PURPOSE, data: [{ service: 'lookupCitizen', fields: ['fullName', 'sex'] }], validDays: 30, ...o });
  const lookup = (token: string, personalId: string) => callService(world().s, token, 'lookupCitizen', { personalId }, { 'x-purpose': PURPOSE });
  return { asAgency, asCitizen, ask, lookup };
}
