/** searchCitizens as counters search: part of a name with a date or year, ranked (name-match.ts), on each store. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, birthBody, type TestServer } from '../support/http.js';
import { searchCitizens } from '../../src/services/citizens/search.js';
import type { RegistryError } from '../../src/domain/errors/registry-error.js';

let s: TestServer;
const ids: Record<string, string> = {};
before(async () => {
  s = await startTestServer();
  const people: [string, Record<string, unknown>][] = [
    ['whole', { fullName: 'Nguyễn An', sex: 'male', dateOfBirth: '1990-05-12' }],
    ['middle', { fullName: 'Nguyễn Văn An', sex: 'male', dateOfBirth: '1990-05-12' }],
    ['middleMonth', { fullName: 'Nguyễn Văn An', sex: 'male', dateOfBirth: '1990-05' }],
    ['otherSurname', { fullName: 'Trần Văn An', sex: 'male', dateOfBirth: '1990-05-12' }],
    ['female', { fullName: 'Nguyễn Thị An', sex: 'female', dateOfBirth: '1990-05-12' }],
    ['otherDay', { fullName: 'Nguyễn Văn An', sex: 'male', dateOfBirth: '1990-05-20' }],
    ['otherYear', { fullName: 'Nguyễn Văn An', sex: 'male', dateOfBirth: '1991-05-12' }],
    ['anh', { fullName: 'Nguyễn Văn Anh', sex: 'male', dateOfBirth: '1990-05-12' }],
    ['hcm', { fullName: 'Nguyễn Văn An', sex: 'male', dateOfBirth: '1990-05-12', birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '79' } }],
    ['alias', { fullName: 'Lê Minh Đức', sex: 'male', dateOfBirth: '1990-05-12', otherNames: ['Nguyễn Văn An'] }],
  ];
  for (const [key, o] of people) {
    const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody(o) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids[key] = r.body.personalId;
  }
});
after(async () => s.close());

async function search(name: string, rest: string): Promise<string[]> {
  const r = await s.call('GET', `/citizens?name=${encodeURIComponent(name)}&${rest}`, { token: s.tokens.officer });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (r.body.items as { personalId: string }[]).map((c) => c.personalId);
}
const keysOf = (found: string[]) => found.map((id) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id);
const sorted = (ks: string[]) => [...ks].sort();

describe('searchCitizens, as counters search', () => {
  test('when more people share the given name and the year than a counter can read, a whole name typed is still found; the given name alone is too broad', async () => {
    // 8 people are called An and born in 1990; with room for 5 candidates the whole name narrows to its 5.
    const exact = await searchCitizens(s.runtime.ctx, { name: 'nguyen van an', dateOfBirth: '1990' }, { maxCandidates: 5 });
    assert.deepEqual(sorted(keysOf(exact.items.map((c) => c.personalId))), sorted(['middle', 'middleMonth', 'otherDay', 'hcm', 'alias']));
    await assert.rejects(searchCitizens(s.runtime.ctx, { name: 'an', dateOfBirth: '1990' }, { maxCandidates: 5 }), (e: RegistryError) => e.code === 'SEARCH_TOO_BROAD');
    await assert.rejects(searchCitizens(s.runtime.ctx, { name: 'nguyen van an', dateOfBirth: '1990' }, { maxCandidates: 4 }), (e: RegistryError) => e.code === 'SEARCH_TOO_BROAD');
  });

  test('surname + given name finds the people with middle names, the whole name ranked first', async () => {
    const found = keysOf(await search('Nguyễn An', 'dateOfBirth=1990-05-12'));
    assert.equal(found[0], 'whole');
    assert.deepEqual(sorted(found), sorted(['whole', 'middle', 'middleMonth', 'female', 'hcm', 'alias']));
    // Exact date before a date known only to the month, within the same name rank.
    assert.ok(found.indexOf('middle') < found.indexOf('middleMonth'));
    assert.ok(!found.includes('anh') && !found.includes('otherSurname') && !found.includes('otherDay') && !found.includes('otherYear'));
  });

  test('the given name alone with a year, narrowed by sex and province', async () => {
    const all = keysOf(await search('an', 'dateOfBirth=1990'));
    assert.deepEqual(sorted(all), sorted(['whole', 'middle', 'middleMonth', 'otherSurname', 'female', 'otherDay', 'hcm', 'alias']));
    assert.deepEqual(keysOf(await search('AN', 'dateOfBirth=1990&sex=female')), ['female']);
    assert.deepEqual(keysOf(await search('an', 'dateOfBirth=1990&province=79')), ['hcm']);
  });

  test('the whole name still finds exactly that name first, typed without diacritics or decomposed', async () => {
    for (const typed of ['nguyen van an', 'Nguyễn Văn An'.normalize('NFD'), 'NGUYỄN  VĂN AN']) {
      const found = keysOf(await search(typed, 'dateOfBirth=1990-05-12'));
      assert.deepEqual(sorted(found.slice(0, 4)), sorted(['middle', 'middleMonth', 'hcm', 'alias']), typed);
      assert.equal(found.length, 4, typed);
    }
  });

  test('a month finds the days in it', async () => {
    assert.deepEqual(sorted(keysOf(await search('nguyen van an', 'dateOfBirth=1990-05'))), sorted(['middle', 'middleMonth', 'otherDay', 'hcm', 'alias']));
  });

  test('pages through the ranked list without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await s.call('GET', `/citizens?name=an&dateOfBirth=1990&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: s.tokens.officer });
      assert.equal(r.status, 200);
      seen.push(...(r.body.items as { personalId: string }[]).map((c) => c.personalId));
      cursor = r.body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 8);
    assert.equal(new Set(seen).size, 8);
    assert.deepEqual(seen, await search('an', 'dateOfBirth=1990&limit=100'));
  });

  test('nobody: an empty list', async () => {
    assert.deepEqual(await search('Nguyễn Bình', 'dateOfBirth=1990'), []);
    assert.deepEqual(await search('van', 'dateOfBirth=1990'), []);
  });
});
