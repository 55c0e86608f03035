/**
 * A citizen's written requests across a re-issued personal ID, and how the list names the people in
 * it (decision 0040, its 2026-12-06 lines; the numbers a person has held: numbersOfPerson). Requests
 * recorded before a re-issue name the cancelled number — as the person asked about, or as the
 * citizen who asked — and are still the person's: in their own list, in their representative's, and
 * answered by them. Each item says whether it is about the viewer and whether they made it, and
 * names the others only as the viewer may see them: the name their own record gives, or that of a
 * person they answer for. Over HTTP on the store under test.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { asCitizen } from '../support/usage.js';
import { createPrincipal } from '../../src/services/principals.js';

let s: TestServer;
/** The parent's numbers before and after the re-issue; the teen's too; the child (8) and the ward. */
const p = { old: '', current: '', teenOld: '', teen: '', child: '', ward: '' };
const tokens = { parent: '', teen: '' };
const ids: Record<string, string> = {};
const ORG = { kind: 'organisation', name: 'Công ty TNHH Thử Nghiệm', stateBody: false, registrationNumber: '0101234567' } as const;
const SCAN = { mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n% scanned letter (synthetic)\n%%EOF\n').toString('base64') };

interface Item {
  requestId: string;
  personalId: string;
  asSeen: { aboutYou: boolean; byYou: boolean; aboutName?: string; requesterName?: string };
}

const register = async (fullName: string, dateOfBirth: string, relatives: { relation: string; who: string; name: string }[] = []) => {
  const r = await s.call('POST', '/citizens', {
    token: s.tokens.officer,
    body: birthBody({ fullName, dateOfBirth, relatives: relatives.map(({ relation, who, name }) => ({ relation, personalId: who, fullName: name, nationality: 'VN' })) }),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.personalId as string;
};
const reissue = async (personalId: string, dateOfBirth: string) => {
  const r = await s.call('POST', `/citizens/${personalId}/personal-id-cancellation`, { token: s.tokens.officer, headers: { 'x-purpose': 'reissue' }, body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth } } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.citizen.personalId as string;
};
const request = async (personalId: string, requester: Record<string, unknown> = ORG) => {
  const r = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: { personalId, channel: 'counter', requester, fields: ['identity'], purpose: 'Xác minh thông tin', scan: SCAN } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.requestId as string;
};
const token = async (name: string, personalId: string) => (await createPrincipal(s.runtime.store, s.clock, name, 'citizen', undefined, { personalId })).token;
const listed = async (t: string, personalId?: string): Promise<Record<string, Item['asSeen']>> => {
  const r = await asCitizen(s, t, 'GET', `/me/written-requests${personalId ? `?personalId=${personalId}` : ''}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const byId = new Map((r.body.items as Item[]).map((i) => [i.requestId, i.asSeen]));
  return Object.fromEntries(Object.entries(ids).filter(([, id]) => byId.has(id)).map(([k, id]) => [k, byId.get(id)!]));
};

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z'); // Monday 10:00 in Vietnam
  p.old = await register('Hoàng Văn Đổi Số', '1980-06-06');
  // Birth registrations naming the father add each child to his record (as "child", with the name given here).
  p.teenOld = await register('Hoàng Văn Mười Lăm', '2011-01-05', [{ relation: 'father', who: p.old, name: 'Hoàng Văn Đổi Số' }]);
  p.child = await register('Hoàng Thị Bé', '2018-08-08', [{ relation: 'father', who: p.old, name: 'Hoàng Văn Đổi Số' }]);
  // The ward's record names the parent; the parent's does not name the ward.
  p.ward = await register('Vũ Văn Được Giám Hộ', '1950-05-05', [{ relation: 'legalRepresentative', who: p.old, name: 'Hoàng Văn Đổi Số' }]);
  const byParent = { kind: 'citizen', personalId: p.old };
  ids.orgAboutParent = await request(p.old);
  ids.parentAboutChild = await request(p.child, byParent);
  ids.parentAboutTeen = await request(p.teenOld, byParent);
  ids.parentAboutWard = await request(p.ward, byParent);
  ids.orgAboutTeen = await request(p.teenOld);
  // Both re-issued after the requests were recorded: every request names a cancelled number.
  p.current = await reissue(p.old, '1981-06-06');
  p.teen = await reissue(p.teenOld, '2012-01-05');
  tokens.parent = await token('Cha', p.current);
  tokens.teen = await token('Mười Lăm', p.teen);
});
after(async () => s?.close());

describe('written requests under a re-issued personal ID', () => {
  test('the parent\'s own list holds those about them and those they made under the cancelled number, named as the parent may see', async () => {
    assert.deepEqual(await listed(tokens.parent), {
      orgAboutParent: { aboutYou: true, byYou: false },
      parentAboutChild: { aboutYou: false, byYou: true, aboutName: 'Hoàng Thị Bé' },
      // The teen (15) answers alone, but the parent's record names them as a child.
      parentAboutTeen: { aboutYou: false, byYou: true, aboutName: 'Hoàng Văn Mười Lăm' },
      // Not named by the parent's record, but a person the parent answers for.
      parentAboutWard: { aboutYou: false, byYou: true, aboutName: 'Vũ Văn Được Giám Hộ' },
    });
  });

  test('the teen\'s own list holds those about their cancelled number; the parent\'s request names the parent as the teen\'s record does', async () => {
    assert.deepEqual(await listed(tokens.teen), {
      parentAboutTeen: { aboutYou: true, byYou: false, requesterName: 'Hoàng Văn Đổi Số' },
      orgAboutTeen: { aboutYou: true, byYou: false },
    });
  });

  test('the representative\'s list of the ward: made by "you" under the cancelled number, about the ward by name', async () => {
    assert.deepEqual(await listed(tokens.parent, p.ward), {
      parentAboutWard: { aboutYou: false, byYou: true, aboutName: 'Vũ Văn Được Giám Hộ' },
    });
  });

  test('the parent answers the consent question of a request about their cancelled number; nobody else\'s is found', async () => {
    const r = await asCitizen(s, tokens.parent, 'POST', `/me/written-requests/${ids.orgAboutParent}/consent`, { answer: 'given' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'open');
    const other = await asCitizen(s, tokens.parent, 'POST', `/me/written-requests/${ids.orgAboutTeen}/consent`, { answer: 'given' });
    assert.equal(other.status, 404, JSON.stringify(other.body));
    assert.equal(other.body.code, 'WRITTEN_REQUEST_NOT_FOUND');
  });

  test('one\'s own requests under a cancelled number are one\'s own use: not recorded under that number', async () => {
    const rows = () => s.runtime.store.db.selectFrom('access_entry').select('entry_id').where('subject_key', '=', p.teenOld).where('action', '=', 'listMyWrittenRequests').execute();
    const before = (await rows()).length;
    await listed(tokens.teen);
    assert.equal((await rows()).length, before);
  });
});
