/**
 * Reads the bundled reference data (reference-data/ at the package root) and checks its shape.
 * The only place that touches those files; the domain gets plain, validated rows.
 * The root is found from this module's URL: src/store/ (tsx) and dist/store/ (built) are both two
 * levels below it, so the same relative path works in both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { buildAdminUnits, Pre2025File, Units2025File, type AdminUnit } from '../domain/categories/admin-units.js';
import type { ReferenceData } from '../domain/categories/categories.js';
import {
  CATEGORY_LIST_SCHEMAS,
  type CategoryEntry,
  type CategoryKind,
} from '../domain/categories/category-lists.js';
import { MergesFile, SplitsFile } from '../domain/categories/reform-2025.js';
import { normalizeText } from '../domain/text/normalize.js';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REFERENCE_DATA_DIR = join(PACKAGE_ROOT, 'reference-data');

export const REFERENCE_FILES = {
  pre2025: 'vn-units-pre2025/vn_units_63_provinces_simplified.json',
  units2025: 'vn-units-2025/vn_units_34_provinces_v3.0.2_20250701.json',
  units2026: 'vn-units-2025/vn_units_34_provinces_v4.2.0_2026.json',
  ethnicity: 'categories/ethnicities.json',
  religion: 'categories/religions.json',
  nationality: 'categories/nationalities.json',
  bloodGroup: 'categories/blood-groups.json',
  maritalStatus: 'categories/marital-statuses.json',
} as const;

/** What loadReferenceData returns: plain arrays, ready for buildCategories and for inserting. */
export interface LoadedReferenceData extends ReferenceData {
  adminUnits: AdminUnit[];
  ethnicities: CategoryEntry[];
  religions: CategoryEntry[];
  nationalities: CategoryEntry[];
  bloodGroups: CategoryEntry[];
  maritalStatuses: CategoryEntry[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** Returns the value typed by `schema`, or throws naming the file and the first offending path. */
function checked<T extends TSchema>(schema: T, value: unknown, file: string): Static<T> {
  if (Value.Check(schema, value)) return value;
  const first = Value.Errors(schema, value).First();
  throw new Error(`reference data ${file}: ${first ? `${first.path || '/'} ${first.message}` : 'invalid'}`);
}

function loadList(dir: string, kind: CategoryKind): CategoryEntry[] {
  const file = REFERENCE_FILES[kind];
  const entries = checked(CATEGORY_LIST_SCHEMAS[kind], readJson(join(dir, file)), file);
  // Text is NFC at every boundary, the bundled files included (DESIGN §3.7).
  return entries.map((e) => ({
    code: e.code,
    nameVi: normalizeText(e.nameVi),
    nameEn: normalizeText(e.nameEn),
    ...(e.aliases ? { aliases: e.aliases.map(normalizeText) } : {}),
  }));
}

/** Reads and checks every reference file under `dir` (default: the package's reference-data/). Synchronous: run once at start-up or in a migration. */
export function loadReferenceData(dir: string = REFERENCE_DATA_DIR): LoadedReferenceData {
  const pre2025 = checked(Pre2025File, readJson(join(dir, REFERENCE_FILES.pre2025)), REFERENCE_FILES.pre2025);
  const units2025 = checked(Units2025File, readJson(join(dir, REFERENCE_FILES.units2025)), REFERENCE_FILES.units2025);
  const units2026 = checked(Units2025File, readJson(join(dir, REFERENCE_FILES.units2026)), REFERENCE_FILES.units2026);
  return {
    adminUnits: buildAdminUnits(pre2025, units2025, units2026),
    ethnicities: loadList(dir, 'ethnicity'),
    religions: loadList(dir, 'religion'),
    nationalities: loadList(dir, 'nationality'),
    bloodGroups: loadList(dir, 'bloodGroup'),
    maritalStatuses: loadList(dir, 'maritalStatus'),
  };
}

/** The dvhcvn old → new mapping of the 1 July 2025 reform (reference-data/dvhcvn-2025-mapping; ADR 0011). */
export const REFORM_2025_FILES = {
  splits: 'dvhcvn-2025-mapping/splits.json',
  merges: 'dvhcvn-2025-mapping/merges.json',
} as const;

export interface LoadedReform2025Mapping {
  splits: SplitsFile;
  merges: MergesFile;
}

/**
 * Reads and checks the shape of the two mapping files under `dir` (default: the package's
 * reference-data/), as they are: code corrections and the checks against our unit tables are
 * `buildReformMapping`'s job. Synchronous, like loadReferenceData (about 4 MB of JSON).
 */
export function loadReform2025Mapping(dir: string = REFERENCE_DATA_DIR): LoadedReform2025Mapping {
  const { splits, merges } = REFORM_2025_FILES;
  return {
    splits: checked(SplitsFile, readJson(join(dir, splits)), splits),
    merges: checked(MergesFile, readJson(join(dir, merges)), merges),
  };
}

export interface NameLists {
  /** Surname and its observed count (a weight for random choice), most frequent first. */
  surnames: [name: string, weight: number][];
  /** Given names, usually two syllables (middle + given), e.g. "An Khang". */
  male: string[];
  female: string[];
  /** Single given-name syllables. */
  maleOneWord: string[];
  femaleOneWord: string[];
}

/** Non-empty lines, NFC-normalised and trimmed, first occurrence kept (girl.txt repeats one name). */
function readLines(path: string): string[] {
  const seen = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/u)) {
    const name = normalizeText(line);
    if (name !== '') seen.add(name);
  }
  return [...seen];
}

/** The personal-name lists in reference-data/vn-names (aggregated counts only; no real people's full names). */
export function loadNameLists(dir: string = join(REFERENCE_DATA_DIR, 'vn-names')): NameLists {
  const surnames: [string, number][] = [];
  const [header, ...rows] = readFileSync(join(dir, 'surnames.tsv'), 'utf8').split(/\r?\n/u);
  if (header?.trim() !== 'surname\tcount') throw new Error('reference data vn-names/surnames.tsv: unexpected header');
  for (const line of rows) {
    if (line.trim() === '') continue;
    const [name, count] = line.split('\t');
    const weight = Number(count);
    if (!name || !Number.isInteger(weight) || weight <= 0) {
      throw new Error(`reference data vn-names/surnames.tsv: bad row "${line}"`);
    }
    surnames.push([normalizeText(name), weight]);
  }
  return {
    surnames,
    male: readLines(join(dir, 'boy.txt')),
    female: readLines(join(dir, 'girl.txt')),
    maleOneWord: readLines(join(dir, 'boy_one_word.txt')),
    femaleOneWord: readLines(join(dir, 'girl_one_word.txt')),
  };
}
