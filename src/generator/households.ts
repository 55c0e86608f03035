/**
 * The residence register of a generated family: one household at the family home holding its
 * living members (each with a permanent registration there), registrations ended by a recorded
 * death, and the stays away from home (stays.ts). Random streams of its own, drawn family after
 * family in generation order: the people generated do not change, nor depend on the batch size.
 */
import { DAY_MS, DayTable, dayNumberOfIso, latestDayOf } from './calendar.js';
import { HouseholdIdMaker } from './household-ids.js';
import { Kinship, MAX_KIN } from './kinship.js';
import type { NamePools } from './names.js';
import { ADULT_DAYS, type GeneratedCitizen } from './person.js';
import { createRandom, hash32, type Random } from './random.js';
import type { GeneratedMember, GeneratedResidence } from './residence-data.js';
import { isAdultOn, StayGenerator, type Today } from './stays.js';
import type { UnitPools } from './units.js';

export * from './residence-data.js';

/** Days within which a newborn is registered at the family home. */
const NEWBORN_REGISTRATION_DAYS = 60;
const VIETNAM_OFFSET_MS = 7 * 3_600_000; // UTC+07:00 all year, no daylight saving

export class ResidenceGenerator {
  private readonly rng: Random;
  private readonly ids: HouseholdIdMaker;
  private readonly days: DayTable;
  private readonly today: Today;
  private readonly stays: StayGenerator;
  private readonly kin = new Kinship();
  // Per-family scratch space, reused (see kinship.ts); bit i of a mask is member i.
  private readonly births = new Int32Array(MAX_KIN);
  private readonly starts = new Int32Array(MAX_KIN);

  constructor(seed: number, names: NamePools, units: UnitPools, nowMs: number) {
    this.rng = createRandom(hash32(seed, 'residence/households'));
    this.ids = new HouseholdIdMaker(seed);
    // Valid-until days run up to two years past today (within the table's range).
    this.days = new DayTable(Math.min(2199, new Date(nowMs).getUTCFullYear() + 3));
    const localDay = Math.floor((nowMs + VIETNAM_OFFSET_MS) / DAY_MS);
    this.today = { nowMs, utcDay: Math.floor(nowMs / DAY_MS), localDay, localIso: this.days.iso(localDay) };
    this.stays = new StayGenerator(seed, names, units, this.days, this.today);
  }

  /**
   * Adds the family's residence data to `out`, and sets `temporaryResidence` on members whose
   * temporary registration is valid today (the citizen record mirrors the register).
   */
  add(family: readonly GeneratedCitizen[], out: GeneratedResidence): void {
    if (family.length === 0) return;
    this.household(family, out);
    const homeCommune = family[0]!.permanentResidence!.unitCode!;
    this.stays.temporaries(family, homeCommune, out);
    this.stays.stayNotices(family, homeCommune, out);
  }

  /** Only what the citizen records show (their temporary residence): the same as add() does to them. */
  mirrorOnly(family: readonly GeneratedCitizen[]): void {
    if (family.length === 0) return;
    this.stays.temporaries(family, family[0]!.permanentResidence!.unitCode!, undefined);
  }

  private household(family: readonly GeneratedCitizen[], out: GeneratedResidence): void {
    const n = family.length;
    const { kin } = this;
    const home = family[0]!.permanentResidence!;
    kin.read(family);
    let alive = 0; // not dead: still a member (someone declared missing stays registered)
    let eligible = 0; // may head the household: alive, not missing, of full age
    let adults = 0; // alive and of full age, missing or not
    for (let i = 0; i < n; i++) {
      const c = family[i]!;
      const born = latestDayOf(c.dateOfBirth);
      this.births[i] = born;
      if (c.dateOfDeath !== undefined) continue;
      alive |= 1 << i;
      if (!isAdultOn(c.dateOfBirth, born, this.today)) continue;
      adults |= 1 << i;
      if (c.dateDeclaredMissing === undefined) eligible |= 1 << i;
    }
    // Luật Cư trú Art. 10: a member of full capacity heads the household; failing one (the only
    // adult is declared missing — a declaration does not end the headship — or only minors are
    // left), the oldest living member. A household is never registered without a head.
    let head = kin.chooseHead(eligible);
    if (head < 0) head = kin.chooseHead(adults);
    if (head < 0) head = kin.chooseHead(alive);
    const reference = head >= 0 ? head : kin.chooseHead((1 << n) - 1);
    this.startDays(n);
    const householdId = alive === 0 ? null : this.ids.idFor(home.unitCode!, family[0]!.personalId);
    if (householdId !== null) {
      // Exact-size member list: an empty array that grows by push reserves 16 slots.
      let count = 0;
      for (let i = 0; i < n; i++) count += (alive >>> i) & 1;
      const members = new Array<GeneratedMember>(count);
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (((alive >>> i) & 1) === 0) continue;
        members[k++] = { personalId: family[i]!.personalId, relationship: kin.relationshipTo(reference, i), joinedOn: this.days.iso(this.starts[i]!) };
      }
      out.households.push({ householdId, address: home, headPersonalId: head >= 0 ? family[head]!.personalId : null, members });
    }
    for (let i = 0; i < n; i++) {
      const c = family[i]!;
      const died = c.dateOfDeath;
      // Ended by the death; an imprecise date of death cannot end it, and no row is made.
      if (died === undefined || died.length !== 10) continue;
      out.registrations.push({
        personalId: c.personalId,
        seq: 1,
        kind: 'permanent',
        address: home,
        householdId,
        relationship: householdId === null ? null : kin.relationshipTo(reference, i),
        startOn: this.days.iso(Math.min(this.starts[i]!, dayNumberOfIso(died))),
        validUntil: null,
        endedOn: died,
        endReason: 'death',
      });
    }
  }

  /** The earliest birth among member i's children, or today. */
  private firstChild(i: number): number {
    let first = this.today.utcDay;
    const children = this.kin.children[i]!;
    for (let c = 0; c < this.kin.size; c++) if ((children >>> c) & 1) first = Math.min(first, this.births[c]!);
    return first;
  }

  /**
   * When each member's registration at the home began (into this.starts). The founding adults set up
   * the household between coming of age and their first child's birth; children born here are
   * registered within 60 days of birth; someone who married in joined between coming of age and
   * their first child's birth.
   */
  private startDays(n: number): void {
    const { rng, kin, births } = this;
    const today = this.today.utcDay;
    let lo = 0;
    let hi = today;
    for (let i = 0; i < n; i++) {
      if (kin.generation[i] !== 0) continue;
      lo = Math.max(lo, births[i]! + ADULT_DAYS);
      hi = Math.min(hi, this.firstChild(i));
    }
    const founded = lo > hi ? hi : lo + rng.int(hi - lo + 1);
    for (let i = 0; i < n; i++) {
      let day: number;
      if (kin.generation[i] === 0) day = founded;
      else if (kin.parents[i] !== 0) day = births[i]! + rng.int(NEWBORN_REGISTRATION_DAYS);
      else {
        let from = Math.max(founded, births[i]! + ADULT_DAYS);
        const spouses = kin.spouses[i]!;
        for (let s = 0; s < n; s++) if ((spouses >>> s) & 1) from = Math.max(from, births[s]! + ADULT_DAYS);
        const to = this.firstChild(i);
        day = from > to ? to : from + rng.int(to - from + 1);
      }
      // Never before birth nor after today (a birth yesterday is registered today at the latest).
      this.starts[i] = Math.min(today, Math.max(day, births[i]!));
    }
  }
}
