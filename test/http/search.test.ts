/** searchCitizens: folded names (NFD, no diacritics, case), partial dates, filters, pagination. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';

let s: TestServer;
const ids: Record<string, string> = {};
before(async () => {
  s = await startTestServer();
  const people: [string, Record<string, unknown>][] = [
    ['full', { fullName: 'Nguyễn Thị Ánh Tuyết', sex: 'female', dateOfBirth: '1990-05-12' }],
    ['month', { fullName: 'Nguyễn Thị Ánh Tuyết', sex: 'female', dateOfBirth: '1990-05' }],
    ['year', { fullName: 'Nguyễn Thị Ánh Tuyết', sex: 'female', dateOfBirth: '1990' }],
    ['otherDay', { fullName: 'Nguyễn Thị Ánh Tuyết', sex: 'female', dateOfBirth: '1990-06-01' }],
    ['hcm', { fullName: 'Nguyễn Thị Ánh Tuyết', sex: 'female', dateOfBirth: '1990-05-12', birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '79' } }],
    ['alias', { fullName: 'Đỗ Văn Đức', dateOfBirth: '1985-01-01', otherNames: ['Đỗ Minh Đạo'] }],
  ];
  for (const [key, o] of people) {
    const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody(o) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids[key] = r.body.personalId;
  }
  for (let i = 0; i < 7; i++) {
    const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Trần Văn Trang', dateOfBirth: `2001-01-0${i + 1}` }) });
    assert.equal(r.status, 201);
  }
});
after(async () => s.close());

async function search(query: string) {
  const r = await s.call('GET', `/citizens?${query}`, { token: s.tokens.officer });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as { items: { personalId: string }[]; nextCursor?: string };
}
const idsOf = (page: { items: { personalId: string }[] }) => page.items.map((c) => c.personalId).sort();

describe('searchCitizens', () => {
  test('a full date also finds people recorded with only its month or year', async () => {
    const page = await search(`name=${encodeURIComponent('Nguyễn Thị Ánh Tuyết')}&dateOfBirth=1990-05-12`);
    assert.deepEqual(idsOf(page), [ids.full, ids.month, ids.year, ids.hcm].sort());
    const year = await search(`name=${encodeURIComponent('Nguyễn Thị Ánh Tuyết')}&dateOfBirth=1990`);
    assert.equal(year.items.length, 5);
  });

  test('NFD, upper case, no diacritics and extra spaces find the same people as the composed form', async () => {
    const composed = idsOf(await search(`name=${encodeURIComponent('Nguyễn Thị Ánh Tuyết')}&dateOfBirth=1990-05-12`));
    for (const variant of ['Nguyễn Thị Ánh Tuyết'.normalize('NFD'), 'NGUYEN THI ANH TUYET', '  nguyen   thi anh   tuyet ', 'NGUYỄN THỊ ÁNH TUYẾT']) {
      assert.deepEqual(idsOf(await search(`name=${encodeURIComponent(variant)}&dateOfBirth=1990-05-12`)), composed, variant);
    }
  });

  test('property: any mix of case and decomposition of the name finds the same set', async () => {
    const name = 'Nguyễn Thị Ánh Tuyết';
    const expected = idsOf(await search(`name=${encodeURIComponent(name)}&dateOfBirth=1990-05-12`));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('upper', 'lower', 'nfd', 'strip', 'keep'), { minLength: name.length, maxLength: name.length }), async (ops) => {
        const variant = [...name]
          .map((ch, i) => {
            const op = ops[i];
            if (op === 'upper') return ch.toUpperCase();
            if (op === 'lower') return ch.toLowerCase();
            if (op === 'nfd') return ch.normalize('NFD');
            if (op === 'strip') return ch.normalize('NFD').replace(/\p{M}/gu, '');
            return ch;
          })
          .join('');
        assert.deepEqual(idsOf(await search(`name=${encodeURIComponent(variant)}&dateOfBirth=1990-05-12`)), expected);
      }),
      { numRuns: 25 },
    );
  });

  test('filters by sex and by province of birth registration; other names are searchable', async () => {
    const hcm = await search(`name=${encodeURIComponent('Nguyễn Thị Ánh Tuyết')}&dateOfBirth=1990&province=79`);
    assert.deepEqual(idsOf(hcm), [ids.hcm]);
    const male = await search(`name=${encodeURIComponent('Nguyễn Thị Ánh Tuyết')}&dateOfBirth=1990&sex=male`);
    assert.deepEqual(male.items, []);
    const alias = await search(`name=do%20minh%20dao&dateOfBirth=1985`);
    assert.deepEqual(idsOf(alias), [ids.alias]);
  });

  test('by personal ID and by CMND number', async () => {
    assert.deepEqual(idsOf(await search(`personalId=${ids.full}`)), [ids.full]);
    assert.deepEqual((await search('personalId=001199000000')).items, []);
    assert.deepEqual((await search('legacyIdNumber=000000000')).items, []);
  });

  test('pages through all matches with a cursor, in personal-ID order, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search(`name=tran%20van%20trang&dateOfBirth=2001&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((c) => c.personalId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.equal(seen.length, 7);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(new Set(seen).size, 7);
  });

  test('bad criteria are refused with stable codes', async () => {
    const none = await s.call('GET', '/citizens?name=An', { token: s.tokens.officer });
    assert.equal(none.status, 400);
    assert.equal(none.body.code, 'SEARCH_CRITERIA_REQUIRED');
    const cursor = await s.call('GET', '/citizens?name=An&dateOfBirth=2000&cursor=bm90LWEtY3Vyc29y', { token: s.tokens.officer });
    assert.equal(cursor.body.code, 'INVALID_CURSOR');
    const date = await s.call('GET', '/citizens?name=An&dateOfBirth=2000-13', { token: s.tokens.officer });
    assert.equal(date.body.code, 'INVALID_DATE');
    const limit = await s.call('GET', '/citizens?name=An&dateOfBirth=2000&limit=1000', { token: s.tokens.officer });
    assert.equal(limit.body.code, 'VALIDATION_FAILED');
  });
});
