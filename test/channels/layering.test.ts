/**
 * Imports run one way (DESIGN §4): channels → services → store and domain. A channel that reached the
 * store's repositories itself would bypass the use cases (their transactions, their records).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every relative module specifier of a file: static imports, re-exports and dynamic import(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const re of [/\bfrom\s*['"](\.[^'"]*)['"]/g, /\bimport\s*['"](\.[^'"]*)['"]/g, /\bimport\s*\(\s*['"](\.[^'"]*)['"]\s*\)/g]) {
    for (const m of text.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

/** file → the src/ folders it imports from, for every .ts file under `folder`. */
function importsUnder(folder: string): { file: string; target: string }[] {
  const dir = join(ROOT, folder);
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => {
      const abs = join(dir, f);
      return specifiers(readFileSync(abs, 'utf8')).map((s) => ({ file: relative(ROOT, abs), target: relative(ROOT, resolve(dirname(abs), s)) }));
    });
}

test('the specifier scan sees static, type-only, re-exported and dynamic imports', () => {
  const text = ["import type { A } from '../a.js';", "export { b } from './b.js';", "import './c.js';", "const d = await import('../d.js');", "import x from 'node:fs';"].join('\n');
  assert.deepEqual(specifiers(text), ['../a.js', './b.js', './c.js', '../d.js']);
});

test('src/channels imports neither the store nor http or cli: its store work goes through services', () => {
  const all = importsUnder('src/channels');
  assert.ok(all.some((i) => i.target.startsWith('src/services/')), 'the scan found the channels’ imports of services');
  const wrong = all.filter((i) => /^src\/(store|http|cli)(\/|\.ts$|$)/.test(i.target)).map((i) => `${i.file} → ${i.target}`);
  assert.deepEqual(wrong, []);
});
