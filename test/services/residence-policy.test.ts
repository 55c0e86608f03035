/** DANCU_RESIDENCE_POLICY_FILE: read, checked, merged over the law's defaults; a bad file names itself and the fault. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResidencePolicyFile } from '../../src/services/residence/policy.js';
import { DEFAULT_RESIDENCE_POLICY } from '../../src/domain/residence/policy.js';
import { loadConfig } from '../../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'dancu-policy-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('residence policy file', () => {
  test('settings given replace the defaults, the others stay', () => {
    assert.deepEqual(loadResidencePolicyFile(file('a.json', '{"floorAreaM2ByProvince": {"01": 15}}')), { ...DEFAULT_RESIDENCE_POLICY, floorAreaM2ByProvince: { '01': 15 } });
    assert.deepEqual(loadResidencePolicyFile(file('b.json', '{"minTemporaryStayDays": 30, "headMaySplitOff": false}')), { minTemporaryStayDays: 30, headMaySplitOff: false, floorAreaM2ByProvince: {} });
    assert.deepEqual(loadResidencePolicyFile(file('c.json', '{}')), DEFAULT_RESIDENCE_POLICY);
  });

  test('unknown settings, wrong types, bad province codes, unreadable files are refused with the file named', () => {
    for (const [name, text, what] of [
      ['d.json', '{"minStay": 30}', /minStay|additional/i],
      ['e.json', '{"minTemporaryStayDays": -1}', /minTemporaryStayDays/],
      ['f.json', '{"headMaySplitOff": "no"}', /headMaySplitOff/],
      ['g.json', '{"floorAreaM2ByProvince": {"1": 8}}', /floorAreaM2ByProvince/],
      ['h.json', '{"floorAreaM2ByProvince": {"01": 0}}', /floorAreaM2ByProvince/],
      ['i.json', 'not json', /not a readable JSON file/],
    ] as const) {
      assert.throws(() => loadResidencePolicyFile(file(name, text)), (e: Error) => e.message.includes(join(dir, name)) && what.test(e.message), name);
    }
    assert.throws(() => loadResidencePolicyFile(join(dir, 'missing.json')), /not a readable JSON file/);
  });

  test('DANCU_RESIDENCE_POLICY_FILE reaches the configuration', () => {
    assert.equal(loadConfig({ DANCU_RESIDENCE_POLICY_FILE: '/etc/dancu/residence.json' }).residencePolicyFile, '/etc/dancu/residence.json');
    assert.equal(loadConfig({}).residencePolicyFile, undefined);
  });
});
