/**
 * Who sees the written requests about a person (decision 0040, its 2026-12-06 line on who sees
 * them): whoever answers the person's consent question (decision 0044, consentSubject) — the person;
 * a parent while the child is under 14; a legal representative the person's record names, at any
 * age. A parent of a child of 14–17 is refused (403 CONSENT_ANSWERED_BY_SUBJECT), anyone else 403
 * NOT_REPRESENTED, and a citizen always sees the requests they made themselves, in their own list.
 * Over HTTP on the store under test: the authorization table (each case agreeing with the consent
 * requests' list), and the recording of every listing that shows another person's requests,
 * refusals included.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { birthBody, startTestServer, type TestServer } from '../support/http.js';
import { asCitizen, family, type Family } from '../support/usage.js';
import { createPrincipal } from '../../src/services/principals.js';

let s: TestServer;
let f: Family;
let thirteen: string;
let teen: string;
let teenInCare: string;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const ORG = { kind: 'organisation', name: 'Công ty TNHH Thử Nghiệm', stateBody: false, registrationNumber: '0101234567' } as const;
const SCAN = { mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n% scanned letter (synthetic)\n%%EOF\n').toString('base64') };

/** A request about `personalId`: an organisation's (awaiting consent), or one a citizen made. */
async function request(personalId: string, requester: Record<string, unknown> = ORG): Promise<string> {
  const r = await s.call('POST', '/written-requests', {
    token: s.tokens.officer,
    body: { personalId, channel: 'counter', requester, fields: ['identity'], purpose: 'Xác minh thông tin', scan: SCAN },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.requestId as string;
}

async function child(fullName: string, dateOfBirth: string, relations: string[]): Promise<string> {
  const relatives = relations.map((relation) => ({ relation, personalId: f.parent, fullName: 'Trần Văn Cha', nationality: 'VN' }));
  const r = await s.call('POST', '/citizens', { token: s.tokens.officer, headers: { 'x-purpose': 'registration' }, body: birthBody({ fullName, dateOfBirth, relatives }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.personalId as string;
}

const citizenToken = async (name: string, personalId: string) => (await createPrincipal(s.runtime.store, s.clock, name, 'citizen', undefined, { personalId })).token;
const principalOf = async (personalId: string) => (await s.runtime.store.db.selectFrom('principal').select('id').where('personal_id', '=', personalId).executeTakeFirstOrThrow()).id;
const list = (token: string, personalId?: string) => asCitizen(s, token, 'GET', `/me/written-requests${personalId ? `?personalId=${personalId}` : ''}`);
const entriesOf = (subjectKey: string) => s.runtime.store.db.selectFrom('access_entry').selectAll().where('subject_key', '=', subjectKey).where('action', '=', 'listMyWrittenRequests').execute();

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z'); // Monday 10:00 in Vietnam
  f = await family(s);
  thirteen = await child('Trần Thị Mười Ba', '2013-02-10', ['father']); // 13 today
  teen = await child('Trần Văn Mười Lăm', '2011-01-05', ['father']); // 15 today
  // 15 too, and the record names the father as legal representative as well (a guardianship).
  teenInCare = await child('Trần Văn Được Giám Hộ', '2011-04-04', ['father', 'legalRepresentative']);
  tokens.thirteen = await citizenToken('Mười Ba', thirteen);
  tokens.teen = await citizenToken('Mười Lăm', teen);
  const byParent = { kind: 'citizen', personalId: f.parent };
  ids.orgAboutThirteen = await request(thirteen);
  ids.parentAboutThirteen = await request(thirteen, byParent);
  ids.orgAboutTeen = await request(teen);
  ids.parentAboutTeen = await request(teen, byParent);
  ids.orgAboutTeenInCare = await request(teenInCare);
  ids.orgAboutParent = await request(f.parent);
  ids.orgAboutWard = await request(f.ward);
  ids.orgAboutAdult = await request(f.adultChild);
});
after(async () => s?.close());

describe('who sees the written requests about a person', () => {
  test('the authorization table: the consent question\'s rule, and one\'s own requests always', async () => {
    const all = Object.keys(ids);
    const cases: [string, () => string, (() => string) | undefined, number, string, string[]][] = [
      // [who, token, the person named, status, code, the requests seen (200) — every other one is not]
      ['the parent, own list', () => f.tokens.parent, undefined, 200, '', ['orgAboutParent', 'parentAboutThirteen', 'parentAboutTeen']],
      ['the parent of the 13-year-old', () => f.tokens.parent, () => thirteen, 200, '', ['orgAboutThirteen', 'parentAboutThirteen']],
      ['the parent of the 15-year-old', () => f.tokens.parent, () => teen, 403, 'CONSENT_ANSWERED_BY_SUBJECT', []],
      ['the parent and legal representative of a 15-year-old', () => f.tokens.parent, () => teenInCare, 200, '', ['orgAboutTeenInCare']],
      ['the legal representative of a 76-year-old', () => f.tokens.parent, () => f.ward, 200, '', ['orgAboutWard']],
      ['the parent of an adult child', () => f.tokens.parent, () => f.adultChild, 403, 'NOT_REPRESENTED', []],
      ['the parent naming a personal ID nobody has', () => f.tokens.parent, () => '001099000001', 403, 'NOT_REPRESENTED', []],
      ['the 13-year-old themself', () => tokens.thirteen!, undefined, 200, '', ['orgAboutThirteen', 'parentAboutThirteen']],
      ['the 15-year-old themself', () => tokens.teen!, undefined, 200, '', ['orgAboutTeen', 'parentAboutTeen']],
      ['the 15-year-old naming themself', () => tokens.teen!, () => teen, 200, '', ['orgAboutTeen', 'parentAboutTeen']],
      ['a child for the parent', () => tokens.teen!, () => f.parent, 403, 'NOT_REPRESENTED', []],
      ['a stranger, own list', () => f.tokens.stranger, undefined, 200, '', []],
      ['a stranger naming the 13-year-old', () => f.tokens.stranger, () => thirteen, 403, 'NOT_REPRESENTED', []],
    ];
    for (const [who, token, person, status, code, seen] of cases) {
      const named = person?.();
      const r = await list(token(), named);
      assert.equal(r.status, status, `${who}: ${JSON.stringify(r.body)}`);
      // Seeing follows answering: the consent requests' list says the same to the same caller.
      const consents = await asCitizen(s, token(), 'GET', `/me/consents${named ? `?personalId=${named}` : ''}`);
      assert.equal(consents.status, status, `${who}, consent requests: ${JSON.stringify(consents.body)}`);
      if (status !== 200) {
        assert.equal(r.body.code, code, who);
        assert.equal(consents.body.code, code, who);
        assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
        continue;
      }
      const listed = new Set((r.body.items as { requestId: string }[]).map((i) => i.requestId));
      assert.deepEqual(all.filter((k) => listed.has(ids[k]!)).sort(), [...seen].sort(), who);
    }
    // The officer's route is not the citizen's.
    const officer = await s.call('GET', '/me/written-requests', { token: s.tokens.officer });
    assert.equal(officer.status, 403);
    assert.equal(officer.body.code, 'FORBIDDEN');
  });

  test('a request the parent made stays theirs to see after the child turns 14, and says who asked', async () => {
    const own = await list(f.tokens.parent);
    const item = (own.body.items as { requestId: string; personalId: string; requester: unknown; status: string }[]).find((i) => i.requestId === ids.parentAboutTeen);
    assert.ok(item, JSON.stringify(own.body));
    assert.equal(item.personalId, teen);
    assert.deepEqual(item.requester, { kind: 'citizen', personalId: f.parent, ground: 'minor_child' });
    assert.equal(item.status, 'open');
  });

  test('every listing that shows another person\'s requests is recorded under that person; refusals too; one\'s own is not', async () => {
    const parent = await principalOf(f.parent);
    const newRows = async (subject: string, run: () => Promise<unknown>) => {
      const earlier = new Set((await entriesOf(subject)).map((e) => e.entry_id));
      await run();
      return (await entriesOf(subject)).filter((e) => !earlier.has(e.entry_id));
    };

    const forChild = await newRows(thirteen, () => list(f.tokens.parent, thirteen));
    assert.equal(forChild.length, 1, 'the parent\'s listing of the 13-year-old\'s requests');
    assert.deepEqual([forChild[0]!.outcome, forChild[0]!.principal_id, forChild[0]!.purpose], ['served', parent, 'representation']);

    const refused = await newRows(teen, () => list(f.tokens.parent, teen));
    assert.equal(refused.length, 1, 'the refused listing of the 15-year-old\'s requests');
    assert.deepEqual([refused[0]!.outcome, refused[0]!.error_code, refused[0]!.principal_id, refused[0]!.purpose], ['refused', 'CONSENT_ANSWERED_BY_SUBJECT', parent, 'representation']);

    // The parent's own list names the 15-year-old (a request the parent made): the teen sees that use.
    const ownList = await newRows(teen, () => list(f.tokens.parent));
    assert.equal(ownList.length, 1, 'the parent\'s own list shows a request about the teen');
    assert.deepEqual([ownList[0]!.outcome, ownList[0]!.principal_id], ['served', parent]);
    const use = await s.runtime.store.db.selectFrom('access_entry').select('personal_ids').where('entry_id', '=', ownList[0]!.entry_id).where('primary_row', '=', 1).executeTakeFirstOrThrow();
    assert.deepEqual((JSON.parse(use.personal_ids) as string[]).sort(), [f.parent, thirteen, teen].sort(), 'the use names the parent and both children asked about');

    // The teen's own list is their own use, though it names the parent as a requester.
    assert.deepEqual(await newRows(teen, () => list(tokens.teen!)), []);
    assert.deepEqual(await newRows(f.parent, () => list(tokens.teen!)), []);
  });
});
