/**
 * Residence away from home: a temporary registration in another commune for about 5% of living
 * adults (a third of them already past their last valid day — expiry is read from the clock, so
 * they stay open), and recent stay notices for about 1% of living people. Each kind draws from a
 * stream of its own, so the citizens-only generator can decide the temporary registrations (their
 * records mirror the valid ones) without generating households.
 */
import type { Address } from '../domain/citizen/citizen.js';
import { completedYears, FULL_AGE } from '../domain/residence/rules.js';
import { isStayNoticeOnTime, maxTemporaryResidenceEnd } from '../domain/residence/time-rules.js';
import { localDay } from '../domain/residence/working-days.js';
import { type DayTable, dayNumberOfIso, latestDayOf } from './calendar.js';
import { addressDetail, type NamePools } from './names.js';
import { ADULT_DAYS, type GeneratedCitizen } from './person.js';
import { createRandom, hash32, type Random } from './random.js';
import type { GeneratedResidence } from './residence-data.js';
import type { UnitPools } from './units.js';

export const TEMPORARY_SHARE = 0.05;
export const TEMPORARY_EXPIRED_SHARE = 1 / 3;
export const STAY_NOTICE_SHARE = 0.01;
/** Stay notices are from the last 60 days; stays last 1–20 days (under the 30 of Art. 27). */
const STAY_WINDOW_MINUTES = 60 * 24 * 60;
const MINUTE_MS = 60_000;

export interface Today {
  nowMs: number;
  /** The UTC day of now: no start day lies after it. */
  utcDay: number;
  /** The local (Vietnam) day of now, which decides expiry, as the residence rules read it. */
  localDay: number;
  localIso: string;
}

/** Of full age on the local day by the domain's rule; the day count settles all but days near the 18th birthday. */
export function isAdultOn(dateOfBirth: string, latestBirth: number, today: Today): boolean {
  const days = today.localDay - latestBirth;
  if (days >= ADULT_DAYS) return true; // ADULT_DAYS exceeds any 18 years
  if (days < ADULT_DAYS - 3) return false; // and 18 years are never shorter than this
  return completedYears(dateOfBirth, today.localIso) >= FULL_AGE;
}

/** Neither dead nor declared missing. */
function active(c: GeneratedCitizen): boolean {
  return c.dateOfDeath === undefined && c.dateDeclaredMissing === undefined;
}

export class StayGenerator {
  private readonly temporaryRng: Random;
  private readonly noticeRng: Random;

  constructor(
    seed: number,
    private readonly names: NamePools,
    private readonly units: UnitPools,
    private readonly days: DayTable,
    private readonly today: Today,
  ) {
    this.temporaryRng = createRandom(hash32(seed, 'residence/temporary'));
    this.noticeRng = createRandom(hash32(seed, 'residence/stay-notice'));
  }

  /**
   * Temporary registrations (seq 2, after the permanent one) for some living adults, into `out`
   * when given. Either way, a registration still valid today is mirrored on the citizen record.
   * One draw per member first, whoever they are: the few drawn are checked, not everyone.
   */
  temporaries(family: readonly GeneratedCitizen[], homeCommune: string, out: GeneratedResidence | undefined): void {
    const rng = this.temporaryRng;
    const { utcDay, localDay: today, localIso } = this.today;
    for (let i = 0; i < family.length; i++) {
      if (!rng.chance(TEMPORARY_SHARE)) continue;
      const c = family[i]!;
      if (!active(c) || !isAdultOn(c.dateOfBirth, latestDayOf(c.dateOfBirth), this.today)) continue;
      const address = this.elsewhere(rng, homeCommune);
      if (address === undefined) continue;
      let start: number;
      let end: number;
      if (rng.chance(TEMPORARY_EXPIRED_SHARE)) {
        // Ran out within the last year and a half, after a month to two years.
        end = utcDay - 1 - rng.int(540);
        start = end - 30 - rng.int(700);
      } else {
        // Started in the last two years; valid through a day from today up to the legal maximum.
        start = utcDay - 1 - rng.int(700);
        const last = dayNumberOfIso(maxTemporaryResidenceEnd(this.days.iso(start)));
        end = today + rng.int(last - today + 1);
      }
      const startOn = this.days.iso(start);
      const max = maxTemporaryResidenceEnd(startOn);
      const validUntil = this.days.iso(end) > max ? max : this.days.iso(end);
      if (validUntil >= localIso) c.temporaryResidence = address;
      out?.registrations.push({
        personalId: c.personalId,
        seq: 2,
        kind: 'temporary',
        address,
        householdId: null,
        relationship: null,
        startOn,
        validUntil,
        endedOn: null,
        endReason: null,
      });
    }
  }

  /** Stay notices (one each) for some living people. */
  stayNotices(family: readonly GeneratedCitizen[], homeCommune: string, out: GeneratedResidence): void {
    const rng = this.noticeRng;
    const { nowMs } = this.today;
    for (let i = 0; i < family.length; i++) {
      if (!rng.chance(STAY_NOTICE_SHARE) || !active(family[i]!)) continue;
      const address = this.elsewhere(rng, homeCommune);
      if (address === undefined) continue;
      const arrivalMs = nowMs - (1 + rng.int(STAY_WINDOW_MINUTES)) * MINUTE_MS;
      // Most hosts notify within a few hours; some a day or more late.
      const delay = rng.chance(0.85) ? rng.int(4 * 60) : 4 * 60 + rng.int(36 * 60);
      const arrivalAt = new Date(arrivalMs).toISOString();
      const notifiedAt = new Date(Math.min(nowMs, arrivalMs + delay * MINUTE_MS)).toISOString();
      const sex = rng.chance(0.5) ? 'male' : 'female';
      out.stayNotices.push({
        personalId: family[i]!.personalId,
        seq: 1,
        address,
        host: {
          fullName: `${this.names.surname(rng)} ${this.names.given(rng, sex)}`,
          phone: `0${rng.chance(0.5) ? 9 : 3}${String(rng.int(100_000_000)).padStart(8, '0')}`,
        },
        arrivalAt,
        departureOn: this.days.iso(dayNumberOfIso(localDay(arrivalAt)) + 1 + rng.int(20)),
        notifiedAt,
        onTime: isStayNoticeOnTime(arrivalAt, notifiedAt),
      });
    }
  }

  /** A 2025 address in any commune but `exclude` (undefined if the unit list has no other). */
  private elsewhere(rng: Random, exclude: string): Address | undefined {
    for (let tries = 0; tries < 8; tries++) {
      const unitCode = this.units.commune(rng, this.units.randomPost(rng));
      if (unitCode !== exclude) return Object.freeze({ unitSet: '2025', unitCode, detail: addressDetail(rng) });
    }
    return undefined;
  }
}
