/** A small family and their citizen principals, for the tests of what citizens see (decision 0032). */
import assert from 'node:assert/strict';
import { createPrincipal } from '../../src/services/principals.js';
import { integratePending } from '../../src/services/transparency/sequencer.js';
import { birthBody, type TestServer } from './http.js';

export interface Family {
  parent: string;
  child: string;
  adultChild: string;
  ward: string;
  stranger: string;
  tokens: { parent: string; stranger: string; child: string };
}

async function register(s: TestServer, overrides: Record<string, unknown>): Promise<string> {
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, headers: { 'x-purpose': 'registration' }, body: birthBody(overrides) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.personalId as string;
}

/** A parent with a minor child and an adult child, a person who names the parent as legal representative, and a stranger. */
export async function family(s: TestServer): Promise<Family> {
  const parent = await register(s, { fullName: 'Trần Văn Cha', dateOfBirth: '1980-01-01' });
  const child = await register(s, { fullName: 'Trần Thị Con', dateOfBirth: '2015-03-03', relatives: [{ relation: 'father', personalId: parent, fullName: 'Trần Văn Cha', nationality: 'VN' }] });
  const adultChild = await register(s, { fullName: 'Trần Văn Lớn', dateOfBirth: '2000-02-02', relatives: [{ relation: 'father', personalId: parent, fullName: 'Trần Văn Cha', nationality: 'VN' }] });
  const ward = await register(s, { fullName: 'Lê Thị Giám', dateOfBirth: '1950-05-05', relatives: [{ relation: 'legalRepresentative', personalId: parent, fullName: 'Trần Văn Cha', nationality: 'VN' }] });
  const stranger = await register(s, { fullName: 'Phạm Văn Lạ', dateOfBirth: '1970-07-07' });
  const principal = async (name: string, personalId: string) => (await createPrincipal(s.runtime.store, s.clock, name, 'citizen', undefined, { personalId })).token;
  return { parent, child, adultChild, ward, stranger, tokens: { parent: await principal('Cha', parent), stranger: await principal('Lạ', stranger), child: await principal('Con', child) } };
}

/** An officer's read of a person's record, with a purpose. */
export async function officerReads(s: TestServer, personalId: string, purpose = '1.001234'): Promise<void> {
  const r = await s.call('GET', `/citizens/${personalId}`, { token: s.tokens.officer, headers: { 'x-purpose': purpose } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** A citizen's call (no purpose: citizens give none). */
export function asCitizen(s: TestServer, token: string, method: string, path: string, body?: unknown) {
  return s.call(method, path, { token, headers: { 'x-purpose': '' }, ...(body !== undefined ? { body } : {}) });
}

export async function sequence(s: TestServer): Promise<void> {
  await integratePending(s.runtime.ctx, s.runtime.log.key);
}

/** The access entries stored under a key, newest first. */
export async function rowsOf(s: TestServer, subjectKey: string) {
  return s.runtime.store.db.selectFrom('access_entry').selectAll().where('subject_key', '=', subjectKey).orderBy('at', 'desc').orderBy('entry_id', 'desc').execute();
}
