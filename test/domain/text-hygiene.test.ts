/** The character rule, one script per name, and JSON depth by one loop (decision 0021). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { codePointLabel, nameScriptProblem, textProblem } from '../../src/domain/text/hygiene.js';
import { foldKey, normalizeText } from '../../src/domain/text/normalize.js';
import { jsonDepthExceeds } from '../../src/domain/text/json-depth.js';

const VIETNAMESE = [...'aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵAĂÂĐÊÔƠƯ'];
const name = fc.array(fc.string({ unit: fc.constantFrom(...VIETNAMESE), minLength: 1, maxLength: 7 }), { minLength: 2, maxLength: 4 }).map((w) => w.join(' '));
const REFUSED = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f', '\u202a', '\u202e', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\ufffe', '\uffff', '\ufdd0', '\ud800', '\udfff'];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\ufeff', '\u034f', '\ufe0f'];

function insertAt(s: string, i: number, c: string): string {
  const at = Math.min(i, s.length);
  return s.slice(0, at) + c + s.slice(at);
}

describe('the character rule', () => {
  test('Vietnamese text, tabs and new lines pass', () => {
    fc.assert(fc.property(name, (n) => assert.equal(textProblem(n), undefined)));
    assert.equal(textProblem('Số 12, ngõ 3\tphố Huế\r\nHà Nội 😀'), undefined);
  });

  test('a refused character anywhere is found and named by its code point', () => {
    fc.assert(
      fc.property(name, fc.nat(), fc.constantFrom(...REFUSED), (n, i, c) => {
        const p = textProblem(insertAt(n, i, c));
        assert.ok(p, JSON.stringify(c));
        assert.equal(p.codePoint, c.charCodeAt(0));
      }),
    );
    assert.deepEqual(textProblem('a\u202eb'), { kind: 'bidi', codePoint: 0x202e });
    assert.deepEqual(textProblem('a\ud800b'), { kind: 'surrogate', codePoint: 0xd800 });
    assert.equal(textProblem('\u{1F600}'), undefined, 'a surrogate pair is not lone');
    assert.equal(codePointLabel(0x202e), 'U+202E');
    assert.equal(codePointLabel(0), 'U+0000');
  });

  test('invisible characters are removed: the name with them folds and normalises like the name without', () => {
    fc.assert(
      fc.property(name, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { minLength: 1, maxLength: 4 }), (n, inserts) => {
        let typed = n;
        for (const [i, c] of inserts) typed = insertAt(typed, i, c);
        assert.equal(textProblem(typed), undefined);
        assert.equal(normalizeText(typed), normalizeText(n));
        assert.equal(foldKey(normalizeText(typed)), foldKey(n));
      }),
    );
    // One between a letter and its combining accent does not block composition.
    assert.equal(normalizeText('Nguye\u200b\u0302\u0303n'), 'Nguyễn');
  });
});

describe('one script per name', () => {
  test('Vietnamese names are Latin throughout', () => {
    fc.assert(fc.property(name, (n) => assert.equal(nameScriptProblem(n, true), undefined)));
    assert.equal(nameScriptProblem("H'Hen Niê", true), undefined);
  });

  test('a Cyrillic or Greek look-alike anywhere in a Vietnamese name is refused', () => {
    fc.assert(
      fc.property(name, fc.nat(), fc.constantFrom('о', 'а', 'е', 'р', 'с', 'ο', 'α'), (n, i, c) => {
        const p = nameScriptProblem(insertAt(n, i, c), true);
        assert.ok(p);
        assert.equal(p.codePoint, c.codePointAt(0));
      }),
    );
    assert.deepEqual(nameScriptProblem('Nguyễn Văn Hоà', true), { script: 'Cyrillic', codePoint: 0x043e });
  });

  test("a foreign relative's name may use another script, but only one", () => {
    assert.equal(nameScriptProblem('Иван Петров', false), undefined);
    assert.equal(nameScriptProblem('山田 はなこ', false), undefined);
    assert.equal(nameScriptProblem('John Smith', false), undefined);
    assert.deepEqual(nameScriptProblem('Ивaн', false), { script: 'Latin', codePoint: 0x61 });
    assert.ok(nameScriptProblem('Иван Петров', true));
  });
});

describe('JSON depth by one loop', () => {
  const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);

  test('agrees with the depth of the parsed value, brackets inside strings not counted', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 8 }), (v, max) => {
        const text = JSON.stringify(v);
        assert.equal(jsonDepthExceeds(text, max), depthOf(v) > max, text);
      }),
    );
    assert.equal(jsonDepthExceeds('{"a":"[[[[\\"[[[["}', 1), false);
  });

  test('a 1,000,000-deep text is measured without recursion', () => {
    const n = 1_000_000;
    assert.equal(jsonDepthExceeds('['.repeat(n) + ']'.repeat(n), 32), true);
    assert.equal(jsonDepthExceeds('['.repeat(32) + ']'.repeat(32), 32), false);
    assert.equal(jsonDepthExceeds('['.repeat(33) + ']'.repeat(33), 32), true);
  });
});
