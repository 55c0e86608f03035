/**
 * `dancu serve` as a real process, started with umask 000 (issue 12, item 4): every file it creates
 * — the SQLite database and its WAL, signing keys, demo tokens, the demo agency's files — is the
 * owner's only (0600, directories 0700), and the demo tokens go to the terminal and their files,
 * never into the structured (pino) log on stdout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../support/child.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let database: TestDatabase | undefined;
let root: string;
let dataDir: string;

before(async () => {
  if (TEST_STORE === 'postgres') database = await createTestDatabase();
  root = mkdtempSync(join(tmpdir(), 'dancu-files-'));
  dataDir = join(root, 'data', 'store'); // created by dancu, parents included
});
after(async () => {
  await database?.drop();
  rmSync(root, { recursive: true, force: true });
});

/** Every file and directory under `dir`, with its permission bits. */
function modes(dir: string): { path: string; dir: boolean; mode: number }[] {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    out.push({ path, dir: e.isDirectory(), mode: statSync(path).mode & 0o777 });
    if (e.isDirectory()) out.push(...modes(path));
  }
  return out;
}

describe('files and start-up output of dancu serve', () => {
  test('owner-only files and directories; demo tokens on the terminal and in files, not in the log', async () => {
    const port = 41000 + Math.floor(Math.random() * 1000);
    const env: NodeJS.ProcessEnv = { ...process.env, DANCU_DATA_DIR: dataDir, DANCU_DEMO_CITIZENS: '60', DANCU_DEMO_SEED: '3', LOG_LEVEL: 'info' };
    if (database) env.DANCU_DATABASE_URL = database.url;
    else delete env.DANCU_DATABASE_URL;
    // umask 000: the modes must come from dancu, not from a careful shell.
    const child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" --import tsx src/cli/main.ts serve --port "$1"', process.execPath, String(port)], { cwd: ROOT, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      for (let i = 0; i < 600 && !err.includes('Demo admin token'); i++) await new Promise((r) => setTimeout(r, 100));
      const officer = readFileSync(join(dataDir, 'demo-officer.token'), 'utf8').trim();
      const admin = /Demo admin token\s+(\S+)/.exec(err)?.[1];
      assert.ok(officer.length >= 20 && admin, err);
      assert.ok(err.includes(officer), 'the officer token is shown on the terminal');
      // Requests that the log records: a good token, a bad one, and the admin's.
      const base = `http://127.0.0.1:${port}`;
      assert.equal((await fetch(`${base}/principals`, { headers: { authorization: `Bearer ${admin}` } })).status, 200);
      assert.equal((await fetch(`${base}/principals`, { headers: { authorization: `Bearer ${officer}` } })).status, 403);
      assert.equal((await fetch(`${base}/health`)).status, 200);
      await new Promise((r) => setTimeout(r, 300));
      const logLines = out.split('\n').filter((l) => l.startsWith('{'));
      assert.ok(logLines.length >= 3, `pino lines on stdout: ${out.slice(0, 500)}`);
      const secrets = [officer, admin!];
      const agencyDir = modes(dataDir).find((e) => e.dir && readdirSync(e.path).some((f) => f.endsWith('.jwk.json')));
      if (agencyDir) {
        const jwk = JSON.parse(readFileSync(join(agencyDir.path, readdirSync(agencyDir.path).find((f) => f.endsWith('.jwk.json'))!), 'utf8')) as { d: string };
        secrets.push(jwk.d);
      }
      for (const secret of secrets) assert.ok(!out.includes(secret), 'a secret reached the structured log');

      const entries = [{ path: join(root, 'data'), dir: true, mode: statSync(join(root, 'data')).mode & 0o777 }, { path: dataDir, dir: true, mode: statSync(dataDir).mode & 0o777 }, ...modes(dataDir)];
      const files = entries.filter((e) => !e.dir).map((e) => e.path.slice(dataDir.length + 1));
      for (const expected of ['demo-officer.token', 'demo-admin.token']) assert.ok(files.includes(expected), `${expected} in ${files.join(', ')}`);
      assert.ok(files.some((f) => f.startsWith('keys/') && f.endsWith('.pem')), files.join(', '));
      assert.ok(agencyDir, 'the demo agency files');
      if (!database) for (const f of ['dancu.sqlite', 'dancu.sqlite-wal', 'dancu.sqlite-shm']) assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
      const loose = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
      assert.deepEqual(loose, []);
    } finally {
      await stopChild(child);
    }
  });
});
