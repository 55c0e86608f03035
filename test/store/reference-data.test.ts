import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  loadNameLists,
  loadReferenceData,
  PACKAGE_ROOT,
  REFERENCE_DATA_DIR,
} from '../../src/store/reference-data.js';

const isNfc = (s: string) => s === s.normalize('NFC');

function withTempCopy(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dancu-ref-'));
  try {
    cpSync(REFERENCE_DATA_DIR, dir, { recursive: true });
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('loadReferenceData', () => {
  it('finds reference-data/ at the package root, not in ../shared', () => {
    assert.equal(basename(REFERENCE_DATA_DIR), 'reference-data');
    assert.ok(existsSync(join(PACKAGE_ROOT, 'package.json')));
    assert.ok(!REFERENCE_DATA_DIR.includes('/shared/'));
  });

  it('returns unit rows and the five lists, all text NFC', () => {
    const ref = loadReferenceData();
    assert.equal(ref.adminUnits.length, 63 + 696 + 10_035 + 34 + 3_321 + 11);
    assert.equal(ref.ethnicities.length, 55);
    assert.equal(ref.religions.length, 14);
    assert.equal(ref.nationalities.length, 250);
    assert.equal(ref.bloodGroups.length, 5);
    assert.equal(ref.maritalStatuses.length, 5);
    for (const u of ref.adminUnits) assert.ok(isNfc(u.name) && isNfc(u.fullName), u.code);
    for (const list of [ref.ethnicities, ref.religions, ref.nationalities, ref.bloodGroups, ref.maritalStatuses]) {
      for (const e of list) for (const s of [e.nameVi, e.nameEn, ...(e.aliases ?? [])]) assert.ok(isNfc(s), s);
    }
  });

  it('normalises decomposed text in a list file to NFC', () => {
    withTempCopy((dir) => {
      writeFileSync(
        join(dir, 'categories/blood-groups.json'),
        JSON.stringify([{ code: '00', nameVi: ' Chưa  xác định '.normalize('NFD'), nameEn: 'Unknown' }]),
      );
      assert.deepEqual(loadReferenceData(dir).bloodGroups, [{ code: '00', nameVi: 'Chưa xác định', nameEn: 'Unknown' }]);
    });
  });

  it('refuses a list whose codes do not fit the record field, naming the file', () => {
    withTempCopy((dir) => {
      writeFileSync(join(dir, 'categories/religions.json'), JSON.stringify([{ code: '1', nameVi: 'X', nameEn: 'X' }]));
      assert.throws(() => loadReferenceData(dir), /categories\/religions\.json: \/0\/code/);
    });
  });
});

describe('loadNameLists', () => {
  const names = loadNameLists();

  it('reads 210 surnames with weights, most frequent first', () => {
    assert.equal(names.surnames.length, 210);
    assert.deepEqual(names.surnames.slice(0, 3), [
      ['Nguyễn', 2746],
      ['Trần', 850],
      ['Lê', 790],
    ]);
    for (const [, w] of names.surnames) assert.ok(Number.isInteger(w) && w > 0);
  });

  it('reads the given-name lists without blanks or repeats, in NFC', () => {
    // The files spell some names with the look-alike Ð/ð (U+00D0/U+00F0) as well as with Đ/đ; once
    // normalised to Đ those are repeats: boy.txt 1,236 lines → 1,230; girl.txt 1,316 (one plain
    // repeat) → 1,303; the one-word lists 334 → 330 and 256 → 250.
    assert.equal(names.male.length, 1230);
    assert.equal(names.female.length, 1303);
    assert.equal(names.maleOneWord.length, 330);
    assert.equal(names.femaleOneWord.length, 250);
    for (const list of [names.male, names.female, names.maleOneWord, names.femaleOneWord]) {
      assert.equal(new Set(list).size, list.length);
      for (const n of list) assert.ok(n !== '' && n === n.trim() && isNfc(n) && !/[Ðð]/.test(n), n);
    }
    assert.ok(names.male.includes('An Khang'));
  });

  it('normalises decomposed input and CRLF line ends', () => {
    withTempCopy((dir) => {
      const names = join(dir, 'vn-names');
      writeFileSync(join(names, 'surnames.tsv'), `surname\tcount\r\n${'Nguyễn'.normalize('NFD')}\t3\r\n`);
      writeFileSync(join(names, 'boy.txt'), `${'Đức Anh'.normalize('NFD')}\r\nĐức Anh\r\n\r\n`);
      const lists = loadNameLists(names);
      assert.deepEqual(lists.surnames, [['Nguyễn', 3]]);
      assert.deepEqual(lists.male, ['Đức Anh']);
    });
  });
});
