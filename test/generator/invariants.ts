/**
 * What every generated citizen, and every batch, must satisfy. Returns problems as strings so a
 * failing property shows what broke and for whom.
 */
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CitizenData } from '../../src/domain/citizen/citizen.js';
import { earliestDay, isValidPartialDate, yearOf } from '../../src/domain/dates/partial-date.js';
import { validatePersonalId } from '../../src/domain/identity/personal-id.js';
import { completedYears } from '../../src/domain/residence/rules.js';
import { localDay } from '../../src/domain/residence/working-days.js';
import { idProvinceCodesOf, type GeneratedCitizen, type GeneratorInput } from '../../src/generator/population.js';

// TypeBox checks formats only when registered; the HTTP layer registers its own.
if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v));

const REFORM = '2025-07-01';

export interface Context {
  provinceCodes: Set<string>;
  /** commune code → 2-digit province code, per unit set */
  pre: Map<string, string>;
  post: Map<string, string>;
  surnames: Set<string>;
  now: string;
  nowMs: number;
  today: string;
  /** The local (Vietnam) day of now: the residence rules' "today". */
  localToday: string;
}

export function contextOf(input: GeneratorInput): Context {
  const index = (list: { code: string; communes: string[] }[]): Map<string, string> =>
    new Map(list.flatMap((p) => p.communes.map((c) => [c, p.code] as const)));
  const nowMs = Date.parse(input.now);
  return {
    provinceCodes: idProvinceCodesOf(input.units),
    pre: index(input.units.pre2025Provinces),
    post: index(input.units.provinces2025),
    surnames: new Set(input.names.surnames.map(([s]) => s.normalize('NFC'))),
    now: input.now,
    nowMs,
    today: new Date(nowMs).toISOString().slice(0, 10),
    localToday: localDay(input.now),
  };
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) allStrings(v, out);
  return out;
}

/** Whole years from `a` to `b` at least `years` (by day when both are full dates, else by year). */
export function atLeastYears(a: string, b: string, years: number): boolean {
  if (a.length === 10 && b.length === 10) return `${yearOf(a) + years}${a.slice(4)}` <= b;
  return yearOf(b) - yearOf(a) >= years;
}

export function citizenProblems(c: GeneratedCitizen, ctx: Context): string[] {
  const p: string[] = [];
  const { personalId, createdAt, ...data } = c;
  if (!Value.Check(CitizenData, data)) p.push(`schema: ${[...Value.Errors(CitizenData, data)].map((e) => e.path + ' ' + e.message).join('; ')}`);
  const id = validatePersonalId(personalId, ctx.provinceCodes, { sex: c.sex, dateOfBirth: c.dateOfBirth });
  if (!id.valid) p.push(`personalId ${id.problems.join(',')}`);
  if (!isValidPartialDate(c.dateOfBirth) || yearOf(c.dateOfBirth) < 1925) p.push('dateOfBirth invalid');
  const born = earliestDay(c.dateOfBirth);
  if (born >= ctx.today) p.push('born today or later');
  for (const s of allStrings(c)) if (s !== s.normalize('NFC') || s !== s.trim() || /\s\s/.test(s)) p.push(`not normalised: ${s}`);
  const surname = c.fullName.split(' ')[0]!;
  if (!ctx.surnames.has(surname)) p.push(`unknown surname ${surname}`);

  const set = born >= REFORM ? '2025' : 'pre2025';
  const index = set === '2025' ? ctx.post : ctx.pre;
  for (const [name, place] of [['birthRegistrationPlace', c.birthRegistrationPlace], ['placeOfBirth', c.placeOfBirth]] as const) {
    if (place.country !== 'VN' || place.unitSet !== set || !index.has(place.unitCode ?? '')) p.push(`${name} ${JSON.stringify(place)}`);
  }
  const regProvince = index.get(c.birthRegistrationPlace.unitCode ?? '');
  if (regProvince !== undefined && personalId.slice(0, 3) !== `0${regProvince}`) p.push('ID province ≠ birth registration province');
  if (!ctx.pre.has(c.hometown.unitCode ?? '')) p.push('hometown not a pre-2025 commune');
  const home = c.permanentResidence;
  if (home?.unitSet !== '2025' || !ctx.post.has(home.unitCode ?? '') || !home.detail) p.push('permanentResidence');
  // Mirrors a temporary registration valid today: elsewhere than home, for a living adult.
  const away = c.temporaryResidence;
  if (away !== undefined) {
    if (away.unitSet !== '2025' || !ctx.post.has(away.unitCode ?? '') || !away.detail || away.unitCode === home?.unitCode) p.push(`temporaryResidence ${JSON.stringify(away)}`);
    if (c.dateOfDeath !== undefined || c.dateDeclaredMissing !== undefined || completedYears(c.dateOfBirth, ctx.localToday) < 18) {
      p.push('temporaryResidence of someone not a living adult');
    }
  }

  if (!/^(0[1-9]|[1-4]\d|5[0-4])$/.test(c.ethnicity)) p.push(`ethnicity ${c.ethnicity}`);
  if (!/^0[0-5]$/.test(c.religion)) p.push(`religion ${c.religion}`);
  if (!/^0[0-4]$/.test(c.bloodGroup)) p.push(`bloodGroup ${c.bloodGroup}`);
  if (!/^[0-4]$/.test(c.maritalStatus)) p.push(`maritalStatus ${c.maritalStatus}`);
  if (c.nationality !== 'VN') p.push('nationality');
  const adult = atLeastYears(c.dateOfBirth, ctx.today, 18);
  if (!adult && c.maritalStatus !== '1') p.push('minor not single');
  if (c.legacyIdNumber !== undefined && (!/^\d{9}$/.test(c.legacyIdNumber) || yearOf(c.dateOfBirth) >= 2000)) p.push('legacyIdNumber');
  if (c.phone !== undefined && (!/^0[39]\d{8}$/.test(c.phone) || !adult)) p.push(`phone ${c.phone}`);
  if (c.email !== undefined && !/@(mail\.)?example\.(com|net|org|vn)$/.test(c.email)) p.push(`email ${c.email}`);
  for (const [name, d] of [['dateOfDeath', c.dateOfDeath], ['dateDeclaredMissing', c.dateDeclaredMissing]] as const) {
    if (d !== undefined && (!isValidPartialDate(d) || d <= c.dateOfBirth || d > ctx.today)) p.push(`${name} ${d}`);
  }
  const created = Date.parse(createdAt);
  if (!(created < ctx.nowMs) || created < Date.parse(born) || new Date(created).toISOString() !== createdAt) p.push(`createdAt ${createdAt}`);
  return p.map((m) => `${personalId}: ${m}`);
}

const INVERSE = { spouse: ['spouse'], father: ['child'], mother: ['child'], child: ['father', 'mother'] } as const;

/** Links resolve inside the batch, both ways, with matching names, sexes and ages. */
export function batchProblems(batch: readonly GeneratedCitizen[]): string[] {
  const p: string[] = [];
  const byId = new Map(batch.map((c) => [c.personalId, c]));
  for (const c of batch) {
    for (const r of c.relatives) {
      const other = r.personalId === undefined ? undefined : byId.get(r.personalId);
      if (other === undefined || r.relation === 'legalRepresentative' || r.relation === 'representedPerson') {
        p.push(`${c.personalId}: ${r.relation} ${r.personalId} not in batch`);
        continue;
      }
      if (other.fullName !== r.fullName || r.nationality !== 'VN') p.push(`${c.personalId}: ${r.relation} name`);
      const back = other.relatives.filter((b) => b.personalId === c.personalId);
      if (back.length !== 1 || !(INVERSE[r.relation] as readonly string[]).includes(back[0]!.relation)) {
        p.push(`${c.personalId}: ${r.relation} link not mirrored`);
      }
      if (r.relation === 'father' || r.relation === 'mother') {
        if (other.sex !== (r.relation === 'father' ? 'male' : 'female')) p.push(`${c.personalId}: ${r.relation} sex`);
        if (!atLeastYears(other.dateOfBirth, c.dateOfBirth, 18)) p.push(`${c.personalId}: ${r.relation} under 18 at birth`);
        if (r.relation === 'mother' && yearOf(c.dateOfBirth) - yearOf(other.dateOfBirth) > 43) p.push(`${c.personalId}: mother over 42`);
        if (r.relation === 'father' && c.fullName.split(' ')[0] !== other.fullName.split(' ')[0]) p.push(`${c.personalId}: surname ≠ father's`);
      }
      if (r.relation === 'spouse' && (other.sex === c.sex || c.maritalStatus === '1' || c.maritalStatus === '0')) {
        p.push(`${c.personalId}: spouse sex/marital status`);
      }
    }
  }
  return p;
}
