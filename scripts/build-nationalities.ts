/**
 * Generates reference-data/categories/nationalities.json from the i18n-iso-countries
 * devDependency (MIT): ISO 3166-1 alpha-2 codes with Vietnamese and English names. Run once by
 * hand (`npx tsx scripts/build-nationalities.ts`) and commit the output; the product reads only
 * the JSON, so the library is not needed at run time.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Countries from 'i18n-iso-countries';
import { categoryNameKey } from '../src/domain/categories/categories.js';
import type { CategoryEntry } from '../src/domain/categories/category-lists.js';
import { normalizeText } from '../src/domain/text/normalize.js';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries') as typeof Countries;
countries.registerLocale(require('i18n-iso-countries/langs/vi.json') as Countries.LocaleData);
countries.registerLocale(require('i18n-iso-countries/langs/en.json') as Countries.LocaleData);
const version = (require('i18n-iso-countries/package.json') as { version: string }).version;

const out = fileURLToPath(new URL('../reference-data/categories/nationalities.json', import.meta.url));

const vi = countries.getNames('vi', { select: 'all' });
const en = countries.getNames('en', { select: 'all' });
const codes = Object.keys(countries.getAlpha2Codes()).sort();

const entries: CategoryEntry[] = codes.map((code) => {
  const viNames = (vi[code] ?? []).map(normalizeText);
  const enNames = (en[code] ?? []).map(normalizeText);
  const nameVi = viNames[0];
  const nameEn = enNames[0];
  if (!nameVi || !nameEn) throw new Error(`no vi/en name for ${code}`);
  const aliases = [...new Set([...viNames.slice(1), ...enNames.slice(1)])].filter((a) => a !== nameVi && a !== nameEn);
  return aliases.length > 0 ? { code, nameVi, nameEn, aliases } : { code, nameVi, nameEn };
});

// An alias that folds to another country's name would make matching ambiguous: drop it here
// rather than leave buildCategories to mark it ambiguous at run time.
const owner = new Map<string, Set<string>>();
for (const e of entries) {
  for (const s of [e.nameVi, e.nameEn, ...(e.aliases ?? [])]) {
    const k = categoryNameKey(s);
    owner.set(k, (owner.get(k) ?? new Set()).add(e.code));
  }
}
for (const e of entries) {
  if (!e.aliases) continue;
  const kept = e.aliases.filter((a) => owner.get(categoryNameKey(a))!.size === 1);
  const dropped = e.aliases.filter((a) => !kept.includes(a));
  if (dropped.length > 0) console.warn(`${e.code}: dropped ambiguous aliases ${dropped.join(', ')}`);
  if (kept.length > 0) e.aliases = kept;
  else delete e.aliases;
}
const clashes = [...owner].filter(([, set]) => set.size > 1);
for (const e of entries) {
  for (const s of [e.nameVi, e.nameEn]) {
    if (owner.get(categoryNameKey(s))!.size > 1) throw new Error(`${e.code}: name "${s}" is shared with another code`);
  }
}

// One entry per line keeps diffs readable when the library is updated.
writeFileSync(out, `[\n${entries.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]\n`);
console.log(`wrote ${entries.length} nationalities from i18n-iso-countries ${version} (${clashes.length} shared spellings dropped)`);
