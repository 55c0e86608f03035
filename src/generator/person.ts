/**
 * One synthetic citizen from what the family decided (sex, birth day, surname, shared attributes):
 * identifiers, places, dates and contact data are filled in here.
 */
import type { Address, Citizen, Relative, RelationKind } from '../domain/citizen/citizen.js';
import type { Sex } from '../domain/identity/personal-id.js';
import { BLOOD_GROUPS, MARITAL } from './attributes.js';
import { DAY_MS, DayTable, dayNumber } from './calendar.js';
import { LegacyIdAllocator, PersonalIdAllocator, PhoneAllocator } from './identifiers.js';
import type { NamePools } from './names.js';
import type { Random } from './random.js';
import type { ProvinceUnits, UnitPools } from './units.js';

/** A citizen as generated: no version or update time yet (the store assigns them). */
export type GeneratedCitizen = Omit<Citizen, 'version' | 'createdAt' | 'updatedAt'> & { createdAt: string };

export const YEAR_DAYS = 365.2425;
/** More than 18 calendar years in days, whatever the leap days (18·365 + 5 + 1). */
export const ADULT_DAYS = 6576;
const SIXTY_DAYS = Math.ceil(60 * YEAR_DAYS);
/** The 2025 unit set applies to births from 1 July 2025, when the new units took effect (vn-domain §6.4). */
const REFORM_DAY = dayNumber(2025, 7, 1);
/** Records of people born before the database went live are dated at its launch (1 July 2021). */
const MIGRATION_MS = Date.UTC(2021, 6, 1);
const MIGRATION_ISO = new Date(MIGRATION_MS).toISOString();
const BIRTH_REGISTRATION_DAYS = 60;

export interface PersonSpec {
  sex: Sex;
  birthDay: number;
  surname: string;
  ethnicity: string;
  religion: string;
  maritalStatus: string;
  /** Inherited from a parent (children); absent for adults, who get their own. */
  hometown?: Address | undefined;
  /** True for a child born into this family: registered at the family's home mostly. */
  bornHere: boolean;
}

export interface FamilyHome {
  pre: ProvinceUnits;
  post: ProvinceUnits;
  /** Shared by the whole household and frozen (see families.ts). */
  residence: Readonly<Address>;
}

export interface Member {
  citizen: GeneratedCitizen;
  birthDay: number;
  surname: string;
  deceased: boolean;
}

export class PersonFactory {
  readonly nowDay: number;
  private readonly nowMs: number;
  private readonly pids: PersonalIdAllocator;
  private readonly legacy: LegacyIdAllocator;
  private readonly phones: PhoneAllocator;
  private emailSerial = 0;

  constructor(
    private readonly rng: Random,
    seed: number,
    private readonly names: NamePools,
    private readonly units: UnitPools,
    private readonly days: DayTable,
    nowMs: number,
  ) {
    this.nowMs = nowMs;
    this.nowDay = Math.floor(nowMs / DAY_MS);
    this.pids = new PersonalIdAllocator(seed);
    this.legacy = new LegacyIdAllocator(seed);
    this.phones = new PhoneAllocator(seed);
  }

  create(spec: PersonSpec, home: FamilyHome): Member {
    const { rng, units, days } = this;
    const { sex, birthDay, surname } = spec;
    const year = days.year(birthDay);
    const ageDays = this.nowDay - birthDay;

    let dateOfBirth = days.iso(birthDay);
    // Old registers often hold only a year or a month for people born before 1960.
    if (year < 1960 && rng.chance(0.02)) dateOfBirth = dateOfBirth.slice(0, rng.chance(0.5) ? 4 : 7);

    let hometown = spec.hometown;
    let hometownProvince: ProvinceUnits | undefined;
    if (hometown === undefined) {
      hometownProvince = rng.chance(0.5) ? home.pre : units.randomPre(rng);
      hometown = Object.freeze({ country: 'VN', unitSet: 'pre2025', unitCode: units.commune(rng, hometownProvince) });
    }

    const post = birthDay >= REFORM_DAY;
    let registeredIn: ProvinceUnits;
    if (post) registeredIn = spec.bornHere && rng.chance(0.95) ? home.post : units.randomPost(rng);
    else if (spec.bornHere) registeredIn = rng.chance(0.85) ? home.pre : units.randomPre(rng);
    else registeredIn = hometownProvince !== undefined && rng.chance(0.75) ? hometownProvince : units.randomPre(rng);
    const unitSet = post ? '2025' : 'pre2025';
    const registrationCommune = units.commune(rng, registeredIn);
    const r = rng.int(100);
    const birthProvince = r < 95 ? registeredIn : post ? units.randomPost(rng) : units.randomPre(rng);
    const birthCommune = r < 70 ? registrationCommune : units.commune(rng, birthProvince);

    const given = this.names.given(rng, sex);
    const fullName = `${surname} ${given}`;
    const citizen: GeneratedCitizen = {
      personalId: this.pids.next(registeredIn.idCode, year, sex),
      fullName,
      otherNames: rng.chance(0.01) ? [`${surname} ${this.names.given(rng, sex)}`] : [],
      dateOfBirth,
      sex,
      placeOfBirth: { country: 'VN', unitSet, unitCode: birthCommune },
      birthRegistrationPlace: { country: 'VN', unitSet, unitCode: registrationCommune },
      hometown,
      ethnicity: spec.ethnicity,
      religion: spec.religion,
      nationality: 'VN',
      bloodGroup: BLOOD_GROUPS.codes[rng.weighted(BLOOD_GROUPS.table)]!,
      maritalStatus: ageDays < ADULT_DAYS ? MARITAL.single : spec.maritalStatus,
      relatives: [],
      permanentResidence: home.residence,
      createdAt: this.createdAt(birthDay),
    };
    // Most people born before 2000 held a 9-digit CMND before the chip cards.
    if (year < 2000 && rng.chance(0.7)) citizen.legacyIdNumber = this.legacy.next();

    let deceased = false;
    if (ageDays > SIXTY_DAYS && rng.chance(0.008)) {
      deceased = true;
      const from = birthDay + SIXTY_DAYS;
      citizen.dateOfDeath = days.iso(from + rng.int(this.nowDay - from));
    } else if (ageDays > ADULT_DAYS) {
      if (rng.chance(0.0002)) {
        const from = Math.max(birthDay + ADULT_DAYS, this.nowDay - 3650);
        citizen.dateDeclaredMissing = days.iso(from + rng.int(this.nowDay - from));
      }
      const ageYears = ageDays / YEAR_DAYS;
      if (rng.chance(ageYears < 70 ? 0.9 : 0.6)) citizen.phone = this.phones.next();
      if (ageYears < 60 && rng.chance(0.3)) {
        citizen.email = this.names.email(rng, surname, given, ++this.emailSerial);
      }
    }
    return { citizen, birthDay, surname, deceased };
  }

  /** Registration time: the launch for people already born, else within the 60-day birth deadline. */
  private createdAt(birthDay: number): string {
    const bornMs = birthDay * DAY_MS;
    if (bornMs < MIGRATION_MS && MIGRATION_MS < this.nowMs) return MIGRATION_ISO;
    // Births are at least a day before now, so the interval is never empty and stays before now.
    const end = Math.min(this.nowMs, bornMs + BIRTH_REGISTRATION_DAYS * DAY_MS);
    return new Date(bornMs + this.rng.int(end - bornMs)).toISOString();
  }
}

function relative(relation: RelationKind, to: GeneratedCitizen): Relative {
  return { relation, personalId: to.personalId, fullName: to.fullName, nationality: 'VN' };
}

/**
 * The list with one more relative. Small lists are rebuilt as exact-size literals: push() on an empty
 * array reserves 16 slots, which a million retained records would carry (and the GC copy) for nothing.
 */
function appended(list: Relative[], r: Relative): Relative[] {
  switch (list.length) {
    case 0:
      return [r];
    case 1:
      return [list[0]!, r];
    case 2:
      return [list[0]!, list[1]!, r];
    case 3:
      return [list[0]!, list[1]!, list[2]!, r];
    case 4:
      return [list[0]!, list[1]!, list[2]!, list[3]!, r];
    default:
      return [...list, r];
  }
}

/** Links a parent and a child both ways. */
export function linkParent(parent: Member, child: Member): void {
  const p = parent.citizen;
  const c = child.citizen;
  c.relatives = appended(c.relatives, relative(p.sex === 'male' ? 'father' : 'mother', p));
  p.relatives = appended(p.relatives, relative('child', c));
}

export function linkSpouses(a: Member, b: Member): void {
  a.citizen.relatives = appended(a.citizen.relatives, relative('spouse', b.citizen));
  b.citizen.relatives = appended(b.citizen.relatives, relative('spouse', a.citizen));
}
