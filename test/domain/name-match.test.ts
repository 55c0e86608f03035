/** The counter-search rule (domain/citizen/name-match.ts): which names match a typed name, and their rank. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dateFit, givenKeyOf, nameTier, NameTier, rankMatches } from '../../src/domain/citizen/name-match.js';
import { foldKey } from '../../src/domain/text/normalize.js';

const word = fc.constantFrom('nguyen', 'tran', 'le', 'pham', 'van', 'thi', 'minh', 'anh', 'ngoc', 'an', 'binh', 'tuyet', 'duc', 'hoa');
/** A folded name of 2–5 words. */
const name = fc.array(word, { minLength: 2, maxLength: 5 }).map((ws) => ws.join(' '));
/** Words of a name kept in order (a subsequence), always ending with its last word. */
const typedFrom = (n: string) => {
  const ws = n.split(' ');
  return fc.array(fc.boolean(), { minLength: ws.length - 1, maxLength: ws.length - 1 }).map((keep) => [...ws.slice(0, -1).filter((_, i) => keep[i]), ws[ws.length - 1]].join(' '));
};

describe('nameTier', () => {
  test('the counter examples', () => {
    assert.equal(nameTier('nguyen van an', 'nguyen van an'), NameTier.Whole);
    assert.equal(nameTier('nguyen an', 'nguyen van an'), NameTier.SurnameAndGiven);
    assert.equal(nameTier('an', 'nguyen van an'), NameTier.Given);
    assert.equal(nameTier('van an', 'nguyen van an'), NameTier.Given);
    assert.equal(nameTier('nguyen anh tuyet', 'nguyen thi anh tuyet'), NameTier.SurnameAndGiven);
    assert.equal(nameTier('nguyen van', 'nguyen van an'), undefined, 'the given name must be typed');
    assert.equal(nameTier('an nguyen', 'nguyen van an'), undefined, 'words in order');
    assert.equal(nameTier('tran an', 'nguyen van an'), undefined, 'a surname that is not in the name');
    assert.equal(nameTier('nguyen van an', 'nguyen an'), undefined, 'more words than the name');
    assert.equal(nameTier('an', 'nguyen van anh'), undefined, 'whole words only');
  });

  test('every name matches itself as a whole, and its surname + given name at least as that', () => {
    fc.assert(
      fc.property(name, (n) => {
        const ws = n.split(' ');
        const sg = `${ws[0]} ${ws[ws.length - 1]}`;
        const t = nameTier(sg, n);
        return nameTier(n, n) === NameTier.Whole && t !== undefined && t >= NameTier.SurnameAndGiven && nameTier(ws[ws.length - 1]!, n) !== undefined;
      }),
    );
  });

  test('any in-order selection of words ending with the given name matches; the first word kept ranks above a dropped one', () => {
    fc.assert(
      fc.property(name.chain((n) => fc.tuple(fc.constant(n), typedFrom(n))), ([n, typed]) => {
        const t = nameTier(typed, n);
        if (t === undefined) return false;
        if (typed === n) return t === NameTier.Whole;
        const ws = n.split(' ');
        const q = typed.split(' ');
        // Ranked as surname + given exactly when the surname was typed with fewer words than the name.
        return t === (q.length >= 2 && q[0] === ws[0] && q.length < ws.length ? NameTier.SurnameAndGiven : q.length === ws.length ? NameTier.Whole : NameTier.Given);
      }),
    );
  });

  test('a different given name never matches', () => {
    fc.assert(fc.property(name, name, (typed, n) => givenKeyOf(typed) === givenKeyOf(n) || nameTier(typed, n) === undefined));
  });

  test('insensitive to diacritics, case and Unicode form through foldKey', () => {
    const stored = foldKey('Nguyễn Thị Ánh Tuyết');
    for (const typed of ['NGUYEN TUYET', 'nguyễn tuyết'.normalize('NFD'), 'Nguyễn  Tuyết', 'ánh tuyết']) {
      assert.notEqual(nameTier(foldKey(typed), stored), undefined, typed);
    }
    assert.equal(givenKeyOf(foldKey('Đỗ Văn Đức')), 'duc');
  });
});

describe('dateFit', () => {
  test('exact, more precise, less precise, or no fit', () => {
    assert.equal(dateFit('1990-05-12', '1990-05-12'), 2);
    assert.equal(dateFit('1990-05-12', '1990-05'), 0);
    assert.equal(dateFit('1990-05-12', '1990'), 0);
    assert.equal(dateFit('1990-05-12', '1990-05-13'), undefined);
    assert.equal(dateFit('1990-05-12', '1990-06'), undefined);
    assert.equal(dateFit('1990-05', '1990-05-31'), 1);
    assert.equal(dateFit('1990-05', '1990'), 0);
    assert.equal(dateFit('1990', '1990-12-31'), 1);
    assert.equal(dateFit('1990', '1991'), undefined);
  });
});

describe('rankMatches', () => {
  const candidate = fc.record({
    personalId: fc.stringMatching(/^0\d{11}$/),
    nameKey: name,
    dateOfBirth: fc.constantFrom('1990', '1990-05', '1990-05-12', '1990-05-13', '1990-06-01'),
  });

  test('each person once, only matches, best first, ties by personal ID', () => {
    fc.assert(
      fc.property(name, fc.constantFrom('1990', '1990-05', '1990-05-12'), fc.array(candidate, { maxLength: 40 }), (typed, date, cs) => {
        const ranked = rankMatches(typed, date, cs);
        const ids = ranked.map((m) => m.personalId);
        if (new Set(ids).size !== ids.length) return false;
        for (const m of ranked) {
          // Its rank is the best among its names.
          const mine = cs.filter((c) => c.personalId === m.personalId && nameTier(typed, c.nameKey) !== undefined && dateFit(date, c.dateOfBirth) !== undefined);
          if (mine.length === 0) return false;
          if (!mine.some((c) => nameTier(typed, c.nameKey) === m.tier && dateFit(date, c.dateOfBirth) === m.dateFit)) return false;
        }
        // Nobody who matches is left out.
        const expected = new Set(cs.filter((c) => nameTier(typed, c.nameKey) !== undefined && dateFit(date, c.dateOfBirth) !== undefined).map((c) => c.personalId));
        if (expected.size !== ids.length) return false;
        for (let i = 1; i < ranked.length; i++) {
          const a = ranked[i - 1]!;
          const b = ranked[i]!;
          const order = b.tier - a.tier || b.dateFit - a.dateFit || (a.personalId < b.personalId ? -1 : 1);
          if (order >= 0) return false;
        }
        return true;
      }),
    );
  });

  test('the whole name before surname + given before given name alone', () => {
    const ranked = rankMatches('nguyen an', '1990', [
      { personalId: '001090000003', nameKey: 'an', dateOfBirth: '1990' },
      { personalId: '001090000002', nameKey: 'nguyen van an', dateOfBirth: '1990-01-01' },
      { personalId: '001090000001', nameKey: 'nguyen an', dateOfBirth: '1990' },
      { personalId: '001090000004', nameKey: 'tran van an', dateOfBirth: '1990' },
    ]);
    assert.deepEqual(ranked.map((m) => [m.personalId, m.tier]), [
      ['001090000001', NameTier.Whole],
      ['001090000002', NameTier.SurnameAndGiven],
    ]);
  });
});
