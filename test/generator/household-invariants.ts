/**
 * What the residence data of every generated batch must satisfy (households, registrations, stay
 * notices), checked against the citizens and family links of the same batch. Problems as strings.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Relationship } from '../../src/domain/residence/household.js';
import { RELATIONSHIP_CODES } from '../../src/domain/residence/household.js';
import { completedYears } from '../../src/domain/residence/rules.js';
import { isStayNoticeOnTime, maxTemporaryResidenceEnd } from '../../src/domain/residence/time-rules.js';
import { localDay } from '../../src/domain/residence/working-days.js';
import { earliestDay } from '../../src/domain/dates/partial-date.js';
import { allRegistrations, type GeneratedCitizen, type PopulationBatch } from '../../src/generator/population.js';
import type { Context } from './invariants.js';

const DAY_MS = 86_400_000;
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);

/** Families as the links draw them: connected groups of relatives (the generator links only within one). */
export function familiesOf(citizens: readonly GeneratedCitizen[]): GeneratedCitizen[][] {
  const byId = new Map(citizens.map((c) => [c.personalId, c]));
  const seen = new Set<string>();
  const out: GeneratedCitizen[][] = [];
  for (const c of citizens) {
    if (seen.has(c.personalId)) continue;
    const family: GeneratedCitizen[] = [];
    const todo = [c];
    seen.add(c.personalId);
    while (todo.length > 0) {
      const x = todo.pop()!;
      family.push(x);
      for (const r of x.relatives) {
        const y = r.personalId === undefined ? undefined : byId.get(r.personalId);
        if (y && !seen.has(y.personalId)) {
          seen.add(y.personalId);
          todo.push(y);
        }
      }
    }
    out.push(family);
  }
  return out;
}

const alive = (c: GeneratedCitizen): boolean => c.dateOfDeath === undefined;
const active = (c: GeneratedCitizen): boolean => alive(c) && c.dateDeclaredMissing === undefined;

function linked(a: GeneratedCitizen, relation: string, b: GeneratedCitizen): boolean {
  return a.relatives.some((r) => r.relation === relation && r.personalId === b.personalId);
}
const parentsOf = (c: GeneratedCitizen, byId: Map<string, GeneratedCitizen>): GeneratedCitizen[] =>
  c.relatives.filter((r) => r.relation === 'father' || r.relation === 'mother').flatMap((r) => byId.get(r.personalId!) ?? []);

/** Whether `rel` describes member m as seen from head h, by the family links. */
function relationshipHolds(rel: Relationship, h: GeneratedCitizen, m: GeneratedCitizen, byId: Map<string, GeneratedCitizen>): boolean {
  const isParent = (p: GeneratedCitizen, c: GeneratedCitizen): boolean => parentsOf(c, byId).some((x) => x.personalId === p.personalId);
  switch (rel) {
    case 'head': return h === m;
    case 'wife': return linked(h, 'spouse', m) && m.sex === 'female';
    case 'husband': return linked(h, 'spouse', m) && m.sex === 'male';
    case 'child': return isParent(h, m);
    case 'father': return isParent(m, h) && m.sex === 'male';
    case 'mother': return isParent(m, h) && m.sex === 'female';
    case 'grandchild': return parentsOf(m, byId).some((p) => isParent(h, p));
    case 'grandparent': return parentsOf(h, byId).some((p) => isParent(m, p));
    case 'sibling': return parentsOf(m, byId).some((p) => isParent(p, h));
    case 'other_relative': {
      // Only when no closer word applies.
      const closer: Relationship[] = ['wife', 'husband', 'child', 'father', 'mother', 'grandchild', 'grandparent', 'sibling'];
      return h !== m && !closer.some((r) => relationshipHolds(r, h, m, byId));
    }
    default: return false;
  }
}

export function residenceProblems(batch: PopulationBatch, ctx: Context): string[] {
  const p: string[] = [];
  const { citizens, residence } = batch;
  const byId = new Map(citizens.map((c) => [c.personalId, c]));
  const membership = new Map<string, string>();
  const households = new Map(residence.households.map((h) => [h.householdId, h]));
  if (households.size !== residence.households.length) p.push('household id repeated in a batch');
  const adult = (c: GeneratedCitizen): boolean => completedYears(c.dateOfBirth, ctx.localToday) >= 18;

  for (const h of residence.households) {
    const id = h.householdId;
    if (!/^HS\d{5}[0-9A-Z]{8}$/.test(id) || id.slice(2, 7) !== h.address.unitCode) p.push(`${id}: id`);
    const members = h.members.map((m) => byId.get(m.personalId));
    if (members.some((m) => m === undefined)) {
      p.push(`${id}: member not in the batch`);
      continue;
    }
    for (const m of members) {
      if (membership.has(m!.personalId)) p.push(`${m!.personalId}: in two households`);
      membership.set(m!.personalId, id);
      if (!alive(m!)) p.push(`${id}: deceased member ${m!.personalId}`);
      if (!isDeepStrictEqual(m!.permanentResidence, h.address)) p.push(`${id}: member living elsewhere`);
    }
    for (const m of h.members) if (!RELATIONSHIP_CODES.includes(m.relationship)) p.push(`${id}: relationship code ${m.relationship}`);
    const heads = h.members.filter((m) => m.relationship === 'head');
    const head = h.headPersonalId === null ? undefined : byId.get(h.headPersonalId);
    if (h.headPersonalId === null) {
      // Never vacant at seeding: Art. 10 always names someone among the living members.
      p.push(`${id}: vacant headship`);
    } else if (heads.length !== 1 || heads[0]!.personalId !== h.headPersonalId || !head) {
      p.push(`${id}: not exactly one head`);
    } else {
      // Luật Cư trú Art. 10: a member of full capacity heads; failing one, an adult declared missing
      // (a declaration does not end the headship); failing that, the oldest living member.
      const capable = members.some((m) => active(m!) && adult(m!));
      const anyAdult = members.some((m) => adult(m!));
      if (capable ? !(active(head) && adult(head)) : anyAdult ? !adult(head) : false) p.push(`${id}: head ${head.personalId} is not a living adult`);
      // The older generation heads: no eligible parent of the head is passed over.
      if (members.some((m) => active(m!) && adult(m!) && linked(head, m!.sex === 'male' ? 'father' : 'mother', m!))) p.push(`${id}: head's parent passed over`);
      for (const m of h.members) {
        if (!relationshipHolds(m.relationship, head, byId.get(m.personalId)!, byId)) p.push(`${id}: ${m.personalId} is not the head's ${m.relationship}`);
      }
    }
  }

  // Every living citizen of a family lives in its one household; families are whole households.
  for (const family of familiesOf(citizens)) {
    const ids = new Set(family.filter(alive).map((c) => membership.get(c.personalId)));
    if (ids.has(undefined)) p.push(`${family[0]!.personalId}: living family member without household`);
    if (ids.size > 1) p.push(`${family[0]!.personalId}: family split over households`);
  }

  const registrations = allRegistrations(residence);
  const regsOf = new Map<string, typeof registrations>();
  for (const r of registrations) regsOf.set(r.personalId, [...(regsOf.get(r.personalId) ?? []), r]);
  for (const c of citizens) {
    const regs = regsOf.get(c.personalId) ?? [];
    const who = c.personalId;
    if (regs.some((r, i) => r.seq !== i + 1)) p.push(`${who}: seq not 1..n`);
    const permanent = regs.filter((r) => r.kind === 'permanent');
    const temporary = regs.filter((r) => r.kind === 'temporary');
    const deadWithDay = c.dateOfDeath !== undefined && c.dateOfDeath.length === 10;
    if (permanent.length !== (alive(c) || deadWithDay ? 1 : 0)) p.push(`${who}: ${permanent.length} permanent registrations`);
    for (const r of permanent) {
      if (!isDeepStrictEqual(r.address, c.permanentResidence)) p.push(`${who}: permanent registration elsewhere than the record`);
      if (r.startOn < earliestDay(c.dateOfBirth) || r.startOn > ctx.today) p.push(`${who}: permanent start ${r.startOn}`);
      if (alive(c) && (r.endedOn !== null || r.householdId !== membership.get(who))) p.push(`${who}: open registration not in their household`);
      if (alive(c) && households.get(r.householdId!)?.members.find((m) => m.personalId === who)?.joinedOn !== r.startOn) p.push(`${who}: joined ≠ start`);
      if (!alive(c) && (r.endedOn !== c.dateOfDeath || r.endReason !== 'death' || r.startOn > r.endedOn!)) p.push(`${who}: not ended by death`);
    }
    if (temporary.length > 0 && (!active(c) || !adult(c))) p.push(`${who}: temporary registration of someone not a living adult`);
    let mirrored: unknown;
    for (const r of temporary) {
      if (r.address.unitSet !== '2025' || !ctx.post.has(r.address.unitCode ?? '') || r.address.unitCode === c.permanentResidence?.unitCode) p.push(`${who}: temporary address`);
      if (r.householdId !== null || r.relationship !== null || r.endedOn !== null) p.push(`${who}: temporary registration fields`);
      if (!(r.startOn < ctx.today) || r.validUntil === null || r.validUntil < r.startOn || r.validUntil > maxTemporaryResidenceEnd(r.startOn)) {
        p.push(`${who}: temporary ${r.startOn}..${r.validUntil}`);
      }
      if (r.validUntil !== null && r.validUntil >= ctx.localToday) mirrored = r.address;
    }
    if (!isDeepStrictEqual(c.temporaryResidence, mirrored)) p.push(`${who}: temporaryResidence does not mirror the valid registration`);
  }

  for (const s of residence.stayNotices) {
    const c = byId.get(s.personalId);
    const who = s.personalId;
    if (!c || !active(c)) {
      p.push(`${who}: stay notice of someone absent or not living`);
      continue;
    }
    const arrival = Date.parse(s.arrivalAt);
    if (!(arrival < ctx.nowMs && arrival >= ctx.nowMs - 60 * DAY_MS)) p.push(`${who}: arrival ${s.arrivalAt}`);
    const stay = daysBetween(localDay(s.arrivalAt), s.departureOn);
    if (stay < 1 || stay > 20) p.push(`${who}: stay of ${stay} days`);
    const notified = Date.parse(s.notifiedAt);
    if (notified < arrival || notified > ctx.nowMs) p.push(`${who}: notified ${s.notifiedAt}`);
    if (s.onTime !== isStayNoticeOnTime(s.arrivalAt, s.notifiedAt)) p.push(`${who}: onTime`);
    if (s.address.unitCode === c.permanentResidence?.unitCode || !ctx.post.has(s.address.unitCode ?? '')) p.push(`${who}: stay address`);
    if (!/^0[39]\d{8}$/.test(s.host.phone) || !ctx.surnames.has(s.host.fullName.split(' ')[0]!)) p.push(`${who}: host ${JSON.stringify(s.host)}`);
  }
  return p;
}
