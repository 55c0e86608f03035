/**
 * Households: who lives together and how they are related. A family is generated whole (so it can be
 * inserted in one batch and its links resolve) and never holds more members than the budget given.
 *
 * Shapes: single adults; couples with their children under 30 (older children have left and head
 * their own families, unlinked); three generations where one married child stayed with spouse and
 * children; widowed or divorced parents. The head-age weights below were tuned by simulation so the
 * whole population has a Vietnam-like pyramid (median ≈ 33, ~20% under 15, ~8% aged 65+).
 */
import type { Sex } from '../domain/identity/personal-id.js';
import { ETHNICITIES, MARITAL, RELIGIONS } from './attributes.js';
import { dayNumber } from './calendar.js';
import { addressDetail, type NamePools } from './names.js';
import {
  ADULT_DAYS,
  YEAR_DAYS,
  linkParent,
  linkSpouses,
  type FamilyHome,
  type GeneratedCitizen,
  type Member,
  type PersonFactory,
} from './person.js';
import { type Random, WeightedTable } from './random.js';
import type { UnitPools } from './units.js';

const FIRST_BIRTH_DAY = dayNumber(1925, 1, 1);
/** Latest birth relative to the mother: still 42 years old. */
const MOTHER_LAST_DAYS = Math.floor(43 * YEAR_DAYS) - 2;
/** Grown children leave home between 18 and 30: the chance of still living at home falls linearly. */
const LEFT_HOME_DAYS = Math.floor(30 * YEAR_DAYS);
const STAYER_MIN_DAYS = Math.floor(22 * YEAR_DAYS);

/** Household-head ages 18..100, by 5-year band (weights per year of age within the band). */
const HEAD_AGE_BANDS: readonly [number, number, number][] = [
  [18, 19, 1], [20, 24, 3], [25, 29, 6.5], [30, 34, 8.5], [35, 39, 9], [40, 44, 8.5], [45, 49, 8],
  [50, 54, 7], [55, 59, 6.5], [60, 64, 5.5], [65, 69, 4.5], [70, 74, 3.2], [75, 79, 2.2], [80, 84, 1.5],
  [85, 89, 0.8], [90, 94, 0.3], [95, 100, 0.1],
];
const HEAD_MIN_AGE = 18;
const HEAD_AGES = new WeightedTable(
  HEAD_AGE_BANDS.flatMap(([from, to, w]) => Array.from({ length: to - from + 1 }, () => w / (to - from + 1))),
);

/** Children per mother: older generations had more. Index = number of children (0..4). */
const CHILDREN_BEFORE_1970 = new WeightedTable([5, 10, 25, 30, 30]);
const CHILDREN_BEFORE_1990 = new WeightedTable([8, 20, 42, 20, 10]);
const CHILDREN_LATER = new WeightedTable([12, 28, 42, 13, 5]);
const YEAR_1970 = dayNumber(1970, 1, 1);
const YEAR_1990 = dayNumber(1990, 1, 1);

function opposite(sex: Sex): Sex {
  return sex === 'male' ? 'female' : 'male';
}

export class FamilyGenerator {
  private readonly nowDay: number;
  private members: Member[] = [];
  private budget = 0;
  private home!: FamilyHome;
  private ethnicity = '01';
  private religion = '00';

  constructor(
    private readonly rng: Random,
    private readonly names: NamePools,
    private readonly units: UnitPools,
    private readonly people: PersonFactory,
  ) {
    this.nowDay = people.nowDay;
    if (this.nowDay - FIRST_BIRTH_DAY < Math.ceil(HEAD_MIN_AGE * YEAR_DAYS) + 2) {
      throw new RangeError('now must be late enough for adults born since 1925 to exist');
    }
  }

  /** One household of 1..budget members, as citizens ready to insert together. */
  next(budget: number): GeneratedCitizen[] {
    if (!(budget >= 1)) throw new RangeError('a family needs a budget of at least one person');
    const { rng } = this;
    this.members = [];
    this.budget = budget;
    const pre = this.units.randomPre(rng);
    const post = this.units.postFor(rng, pre);
    this.home = {
      pre,
      post,
      residence: Object.freeze({ unitSet: '2025', unitCode: this.units.commune(rng, post), detail: addressDetail(rng) }),
    };
    this.ethnicity = ETHNICITIES.codes[rng.weighted(ETHNICITIES.table)]!;
    this.religion = RELIGIONS.codes[rng.weighted(RELIGIONS.table)]!;

    const age = HEAD_MIN_AGE + rng.weighted(HEAD_AGES);
    const headBirth = this.birthForAge(age);
    const r = rng.next();
    const single = age < 25 ? 0.75 : age < 30 ? 0.4 : age < 40 ? 0.15 : 0.06;
    const widowed = age < 55 ? 0.01 : age < 65 ? 0.1 : age < 75 ? 0.22 : 0.45;
    if (budget === 1 || r < single) {
      this.adult(rng.chance(0.5) ? 'male' : 'female', headBirth, MARITAL.single);
    } else if (r < single + widowed) {
      this.loneParent(rng.chance(0.75) ? 'female' : 'male', headBirth, MARITAL.widowed);
    } else if (age >= 25 && age < 65 && r < single + widowed + 0.05) {
      this.loneParent(rng.chance(0.65) ? 'female' : 'male', headBirth, MARITAL.divorced);
    } else {
      this.couple(headBirth);
    }
    const out: GeneratedCitizen[] = new Array(this.members.length);
    for (let i = 0; i < out.length; i++) out[i] = this.members[i]!.citizen;
    return out;
  }

  /**
   * A birth day for a head `age` (≥ 18) full years old today, never before 1925; always more than
   * 18 calendar years ago, so that every head is of full age whatever the leap days.
   */
  private birthForAge(age: number): number {
    const day = this.nowDay - Math.floor(age * YEAR_DAYS) - this.rng.int(365);
    return Math.min(this.nowDay - ADULT_DAYS - 1, Math.max(FIRST_BIRTH_DAY, day));
  }

  private adult(sex: Sex, birthDay: number, maritalStatus: string): Member {
    const m = this.people.create(
      {
        sex,
        birthDay,
        surname: this.names.surname(this.rng),
        ethnicity: this.ethnicity,
        religion: this.religion,
        maritalStatus,
        bornHere: false,
      },
      this.home,
    );
    this.members.push(m);
    return m;
  }

  /** An adult from outside the family: a different ethnicity or religion now and then. */
  private spouseFor(partner: Member, birthDay: number): Member {
    const { rng } = this;
    const ethnicity = this.ethnicity;
    const religion = this.religion;
    if (rng.chance(0.05)) this.ethnicity = ETHNICITIES.codes[rng.weighted(ETHNICITIES.table)]!;
    if (rng.chance(0.05)) this.religion = RELIGIONS.codes[rng.weighted(RELIGIONS.table)]!;
    const spouse = this.adult(opposite(partner.citizen.sex), birthDay, MARITAL.married);
    this.ethnicity = ethnicity;
    this.religion = religion;
    linkSpouses(partner, spouse);
    return spouse;
  }

  /** Wife's birth relative to her husband's: usually 0–5 years younger, never under 18 today. */
  private wifeBirth(husbandBirth: number): number {
    const gap = Math.floor(this.rng.range(-2, 7) * YEAR_DAYS) + this.rng.int(365);
    return Math.max(FIRST_BIRTH_DAY, Math.min(husbandBirth + gap, this.nowDay - ADULT_DAYS - 1));
  }

  private couple(husbandBirth: number): void {
    const husband = this.adult('male', husbandBirth, MARITAL.married);
    const wife = this.spouseFor(husband, this.wifeBirth(husbandBirth));
    this.widowIfDeceased(husband, wife);
    this.household(husband, wife, wife.birthDay, husband);
  }

  /** A widowed or divorced parent, the children's other parent absent from the data. */
  private loneParent(sex: Sex, birthDay: number, maritalStatus: string): void {
    const parent = this.adult(sex, birthDay, maritalStatus);
    const motherBirth = sex === 'female' ? birthDay : this.wifeBirth(birthDay);
    // Children of a divorced parent are fewer (custody is often shared out).
    const kids = maritalStatus === MARITAL.divorced ? (this.rng.chance(0.5) ? 0 : 1 + this.rng.int(2)) : -1;
    this.household(sex === 'male' ? parent : undefined, sex === 'female' ? parent : undefined, motherBirth, parent, kids);
  }

  /**
   * The children of a couple (or lone parent) living at home, and perhaps one married child who stayed
   * with spouse and grandchildren. `kids` < 0 means: draw the number from the mother's generation.
   */
  private household(father: Member | undefined, mother: Member | undefined, motherBirth: number, head: Member, kids = -1): void {
    const { rng } = this;
    const births = this.childBirths(motherBirth, kids, father?.birthDay ?? head.birthDay);
    // Children take the father's surname and hometown; an absent father's surname is still his own.
    const surname = father !== undefined ? father.surname : this.names.surname(rng);
    const hometown = (father ?? head).citizen.hometown;
    // A married child stays on with their own family in about 40% of the homes that have one.
    let grown = 0;
    for (const b of births) if (this.nowDay - b >= STAYER_MIN_DAYS) grown++;
    let stayerBirth = -1;
    if (grown > 0 && this.room() >= 2 && rng.chance(0.4)) {
      stayerBirth = births[rng.int(grown)]!; // births are in order: the first `grown` are old enough
      const male = rng.chance(0.6);
      const stayer = this.child(father, mother, surname, hometown, stayerBirth, male ? 'male' : 'female', MARITAL.married);
      const spouse = this.spouseFor(stayer, male ? this.wifeBirth(stayerBirth) : this.birthOfHusband(stayerBirth));
      this.widowIfDeceased(stayer, spouse);
      const f = male ? stayer : spouse;
      const mo = male ? spouse : stayer;
      for (const b of this.childBirths(mo.birthDay, -1, f.birthDay)) {
        if (this.room() === 0 || !this.atHome(b)) continue;
        this.child(f, mo, f.surname, f.citizen.hometown, b, rng.chance(0.5) ? 'male' : 'female', MARITAL.single);
      }
    }
    for (const b of births) {
      if (b === stayerBirth || this.room() === 0 || !this.atHome(b)) continue;
      this.child(father, mother, surname, hometown, b, rng.chance(0.5) ? 'male' : 'female', MARITAL.single);
    }
  }

  private child(
    father: Member | undefined,
    mother: Member | undefined,
    surname: string,
    hometown: GeneratedCitizen['hometown'],
    birthDay: number,
    sex: Sex,
    maritalStatus: string,
  ): Member {
    const m = this.people.create(
      { sex, birthDay, surname, ethnicity: this.ethnicity, religion: this.religion, maritalStatus, hometown, bornHere: true },
      this.home,
    );
    this.members.push(m);
    if (father !== undefined) linkParent(father, m);
    if (mother !== undefined) linkParent(mother, m);
    return m;
  }

  private atHome(birthDay: number): boolean {
    const age = this.nowDay - birthDay;
    return age < ADULT_DAYS || this.rng.int(LEFT_HOME_DAYS - ADULT_DAYS) > age - ADULT_DAYS;
  }

  private room(): number {
    return this.budget - this.members.length;
  }

  private birthOfHusband(wifeBirth: number): number {
    const gap = Math.floor(this.rng.range(0, 6) * YEAR_DAYS) + this.rng.int(365);
    return Math.max(FIRST_BIRTH_DAY, wifeBirth - gap);
  }

  /** Birth days of up to `kids` children: mother 18–42 and father adult at each birth, none from today. */
  private childBirths(motherBirth: number, kids: number, fatherBirth: number): number[] {
    const { rng } = this;
    const table = motherBirth < YEAR_1970 ? CHILDREN_BEFORE_1970 : motherBirth < YEAR_1990 ? CHILDREN_BEFORE_1990 : CHILDREN_LATER;
    const n = kids >= 0 ? kids : rng.weighted(table);
    const out: number[] = [];
    let day = Math.max(motherBirth, fatherBirth) + ADULT_DAYS + rng.int(Math.floor(8 * YEAR_DAYS));
    for (let i = 0; i < n; i++) {
      if (day > motherBirth + MOTHER_LAST_DAYS || day >= this.nowDay) break;
      out.push(day);
      day += 400 + rng.int(1500); // 13 months to 5 years between births
    }
    return out;
  }

  /** The survivor of a couple where one partner has died is widowed. */
  private widowIfDeceased(a: Member, b: Member): void {
    if (a.deceased && !b.deceased) b.citizen.maritalStatus = MARITAL.widowed;
    else if (b.deceased && !a.deceased) a.citizen.maritalStatus = MARITAL.widowed;
  }
}
