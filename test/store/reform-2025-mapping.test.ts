import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReform2025Mapping, REFERENCE_DATA_DIR, REFORM_2025_FILES } from '../../src/store/reference-data.js';

function withTempCopy(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dancu-reform-'));
  try {
    cpSync(join(REFERENCE_DATA_DIR, 'dvhcvn-2025-mapping'), join(dir, 'dvhcvn-2025-mapping'), { recursive: true });
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('loadReform2025Mapping', () => {
  it('reads both files from reference-data/, as they are', () => {
    const { splits, merges } = loadReform2025Mapping();
    assert.equal(splits.data.length, 63);
    assert.equal(merges.data.length, 34);
    assert.equal(splits.data.flatMap((p) => p.level3s).length, 10_047);
    assert.equal(merges.data.flatMap((p) => p.level2s).length, 3321);
    // Unchanged: the correction of Ba Chẽ's code is buildReformMapping's job, not the loader's.
    assert.ok(merges.data.some((p) => p.level2s.some((n) => n.level2_id === '06970')));
  });

  it('refuses a file of the wrong shape, naming the file and the path', () => {
    withTempCopy((dir) => {
      const path = join(dir, REFORM_2025_FILES.merges);
      const merges = JSON.parse(readFileSync(path, 'utf8')) as { data: { level2s: { merges: { type: string }[] }[] }[] };
      merges.data[0]!.level2s[0]!.merges[0]!.type = 'most';
      writeFileSync(path, JSON.stringify(merges));
      assert.throws(() => loadReform2025Mapping(dir), /merges\.json: \/data\/0\/level2s\/0\/merges\/0\/type/);
    });
  });

  it('fails clearly when a file is missing', () => {
    withTempCopy((dir) => {
      rmSync(join(dir, REFORM_2025_FILES.splits));
      assert.throws(() => loadReform2025Mapping(dir), /ENOENT.*splits\.json/);
    });
  });
});
