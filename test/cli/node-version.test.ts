/**
 * dancu runs on the Node.js 24 that `npm ci` installs. Started with an older `node` directly, it
 * says in one line which Node it needs and how to run it, instead of failing on node:sqlite.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { REQUIRED_NODE_MAJOR, nodeVersionProblem } from '../../src/cli/node-version.js';

describe('the Node.js version check', () => {
  it('accepts 24 and later, refuses anything older with the version it saw', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(30), fc.nat(30), fc.boolean(), (major, minor, patch, v) => {
        const version = `${v ? 'v' : ''}${major}.${minor}.${patch}`;
        const problem = nodeVersionProblem(version);
        if (major >= REQUIRED_NODE_MAJOR) assert.equal(problem, undefined);
        else {
          assert.ok(problem);
          assert.ok(problem.includes(`v${major}.${minor}.${patch}`), problem);
          assert.ok(problem.startsWith('dancu needs Node.js 24 or later'));
          assert.ok(!problem.includes('\n'));
        }
      }),
    );
    assert.ok(nodeVersionProblem('garbage'));
    assert.equal(nodeVersionProblem(process.versions.node), undefined, 'the test runner itself runs on Node 24');
  });

  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    if (!existsSync(p)) return false;
    const r = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    return r.status === 0 && Number(r.stdout.split('.')[0]) < REQUIRED_NODE_MAJOR;
  });

  it('bin/dancu.js started with an older system Node prints that one line and exits 1', { skip: oldNode ? false : 'no Node older than 24 on this machine' }, () => {
    const r = spawnSync(oldNode!, ['bin/dancu.js', '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^dancu needs Node\.js 24 or later \(this is v\d+\.\d+\.\d+\): run it through npm \(npm start, npx dancu …\)/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});
