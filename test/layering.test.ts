/**
 * Imports run one way (DESIGN §4): http, channels and cli → services → store and domain; neither
 * services nor the store reach back into the layers above them; the domain imports nothing but itself. An edge that
 * reached the store's repositories itself would bypass the use cases (their transactions, their
 * records of citizens' data use).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');

/** Every relative module specifier of a file: static imports (one line or many), type-only, re-exports and dynamic import(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const re of [/\bfrom\s*['"](\.[^'"]*)['"]/g, /\bimport\s*['"](\.[^'"]*)['"]/g, /\bimport\s*\(\s*['"](\.[^'"]*)['"]\s*\)/g]) {
    for (const m of text.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

/** Every import of every .ts file under `folder`: the importing file and the path it names, from the repository root. */
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

/** `folder` or any file under it (src/store matches src/store/connect.js, not src/storefront). */
const inFolder = (folder: string) => (target: string) => target === folder || target.startsWith(`${folder}/`) || target === `${folder}.ts` || target === `${folder}.js`;

/**
 * Known exceptions, "file → target" with why each is still there. Empty: every edge obeys the rules.
 * One is added only with its reason, and the last test fails when it no longer occurs.
 */
const KNOWN_EXCEPTIONS: Record<string, string> = {};

const RULES: { name: string; folders: string[]; refused: string[]; mustReach: string }[] = [
  { name: 'channels import neither the store nor http or cli', folders: ['src/channels'], refused: ['src/store', 'src/http', 'src/cli'], mustReach: 'src/services' },
  { name: 'http imports no store module', folders: ['src/http'], refused: ['src/store'], mustReach: 'src/services' },
  { name: 'cli imports no store module', folders: ['src/cli'], refused: ['src/store'], mustReach: 'src/services' },
  { name: 'services import no http, channels or cli', folders: ['src/services'], refused: ['src/http', 'src/channels', 'src/cli'], mustReach: 'src/store' },
  { name: 'the store imports no services, http, channels or cli', folders: ['src/store'], refused: ['src/services', 'src/http', 'src/channels', 'src/cli'], mustReach: 'src/domain' },
];

function offenders(folders: string[], wrong: (target: string) => boolean): string[] {
  return folders
    .flatMap(importsUnder)
    .filter((i) => wrong(i.target))
    .map((i) => `${i.file} → ${i.target}`)
    .filter((edge) => !(edge in KNOWN_EXCEPTIONS));
}

test('the specifier scan sees static, multi-line, type-only, re-exported and dynamic imports', () => {
  const text = [
    "import type { A } from '../a.js';",
    'import {\n  e,\n  f,\n} from "../../store/e.js";',
    "export { b } from './b.js';",
    "import './c.js';",
    "const d = await import('../d.js');",
    "import x from 'node:fs';",
  ].join('\n');
  assert.deepEqual(specifiers(text), ['../a.js', '../../store/e.js', './b.js', './c.js', '../d.js']);
  assert.ok(inFolder('src/store')('src/store/repositories/citizens.js'));
  assert.ok(!inFolder('src/store')('src/storefront/x.js'));
});

for (const rule of RULES) {
  test(`layering: ${rule.name}`, () => {
    const all = rule.folders.flatMap(importsUnder);
    // The scan is not vacuous: it sees the imports the layer is meant to have.
    assert.ok(all.some((i) => inFolder(rule.mustReach)(i.target)), `the scan found ${rule.folders.join(', ')} importing ${rule.mustReach}`);
    assert.deepEqual(offenders(rule.folders, (t) => rule.refused.some((f) => inFolder(f)(t))), []);
  });
}

test('layering: the domain imports nothing outside src/domain', () => {
  const all = importsUnder('src/domain');
  assert.ok(all.some((i) => inFolder('src/domain')(i.target)), 'the scan found the domain importing itself');
  assert.deepEqual(offenders(['src/domain'], (t) => !inFolder('src/domain')(t)), []);
});

test('layering: every known exception still occurs (a fixed one is taken off the list)', () => {
  const edges = new Set(['src/channels', 'src/http', 'src/cli', 'src/services', 'src/store', 'src/domain'].flatMap(importsUnder).map((i) => `${i.file} → ${i.target}`));
  assert.deepEqual(Object.keys(KNOWN_EXCEPTIONS).filter((e) => !edges.has(e)), []);
});
