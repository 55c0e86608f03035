/** Helpers for residence tests over HTTP: people, applications submitted and approved. */
import assert from 'node:assert/strict';
import { birthBody, type TestServer } from './http.js';

export const HANG_BAC = { country: 'VN', unitSet: '2025', unitCode: '00004', detail: 'Số 12 phố Hàng Bạc' } as const;
export const NGOC_HA = { country: 'VN', unitSet: '2025', unitCode: '00008', detail: 'Số 5 phố Đội Cấn' } as const;
export const OWNED = { kind: 'owned' } as const;

export async function person(s: TestServer, fullName: string, dateOfBirth: string, sex: 'male' | 'female' = 'male'): Promise<string> {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName, dateOfBirth, sex }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.personalId as string;
}

export function consent(role: 'household_head' | 'owner' | 'parent_guardian', personalId: string, fullName = 'Người đồng ý') {
  return { role, method: 'eid_app', fullName, personalId };
}

export async function submit(s: TestServer, path: string, body: unknown, expect = 201) {
  const r = await s.call('POST', `/residence/${path}`, { token: s.tokens.officer, body });
  assert.equal(r.status, expect, JSON.stringify(r.body));
  return r.body;
}

export async function approve(s: TestServer, applicationId: string, expect = 200) {
  const r = await s.call('POST', `/residence/applications/${applicationId}/approval`, { token: s.tokens.officer, body: {} });
  assert.equal(r.status, expect, JSON.stringify(r.body));
  return r.body;
}

/** Submits and approves; returns the approved application. */
export async function granted(s: TestServer, path: string, body: unknown) {
  const app = await submit(s, path, body);
  const done = await approve(s, app.applicationId);
  assert.equal(done.status, 'approved');
  return done;
}

export async function get(s: TestServer, path: string, expect = 200) {
  const r = await s.call('GET', path, { token: s.tokens.officer });
  assert.equal(r.status, expect, JSON.stringify(r.body));
  return r.body;
}
