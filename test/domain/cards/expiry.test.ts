/** Card expiry: the renewal-age table at every issue age, 29 February, partial dates of birth, CMND. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { daysInMonth, isLeapYear } from '../../../src/domain/dates/partial-date.js';
import { ageOn, cardExpiry, renewalAgeDue, type RenewingGeneration } from '../../../src/domain/cards/expiry.js';
import { dayArb, pad } from './arbitraries.js';

/** The law's table written out by issue age (completed years), independently of the implementation. */
const TABLE: Record<RenewingGeneration, Array<[from: number, to: number, renewAt: number | null]>> = {
  CAN_CUOC: [[0, 11, 14], [12, 22, 25], [23, 37, 40], [38, 57, 60], [58, 200, null]],
  CCCD: [[0, 22, 25], [23, 37, 40], [38, 57, 60], [58, 200, null]],
};
const renewAt = (g: RenewingGeneration, issueAge: number): number | null => TABLE[g].find(([a, b]) => issueAge >= a && issueAge <= b)![2];

/** Birthday at `age`, 29 February → 28 February in common years (the documented convention). */
function birthday(dob: string, age: number): string {
  const y = Number(dob.slice(0, 4)) + age;
  const m = Number(dob.slice(5, 7));
  const d = Math.min(Number(dob.slice(8, 10)), daysInMonth(y, m));
  return `${y}-${pad(m)}-${pad(d)}`;
}
const plusDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string): number => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/** Expected expiry for a full date of birth, the issue day being `offset` days after the k-th birthday. */
function expectedFull(g: RenewingGeneration, dob: string, issue: string): string | null {
  let k = 0;
  while (birthday(dob, k + 1) <= issue) k++;
  const age = renewAt(g, k);
  return age === null ? null : birthday(dob, age);
}

const GENERATIONS: RenewingGeneration[] = ['CAN_CUOC', 'CCCD'];
const genArb = fc.constantFrom<RenewingGeneration>(...GENERATIONS);

describe('renewal ages (Luật Căn cước 2023 Art. 21; Luật CCCD 2014 Art. 21)', () => {
  test('every issue age 0–100, first and last day of the year of age, both generations', () => {
    for (const g of GENERATIONS) {
      for (const dob of ['1950-01-01', '1964-02-29', '1987-07-15', '1999-12-31']) {
        for (let k = 0; k <= 100; k++) {
          const start = birthday(dob, k);
          for (const issue of [start, plusDays(birthday(dob, k + 1), -1)]) {
            const want = renewAt(g, k);
            assert.equal(renewalAgeDue(g, dob, issue), want, `${g} ${dob} issued at ${k} (${issue})`);
            assert.equal(cardExpiry(g, dob, issue), want === null ? null : birthday(dob, want), `${g} ${dob} ${issue}`);
          }
        }
      }
    }
  });

  test('property: expiry = birthday at the renewal age the table gives for the issue age', () => {
    fc.assert(
      fc.property(genArb, dayArb(1900, 2020), fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (g, dob, k, frac) => {
        const from = birthday(dob, k);
        const issue = plusDays(from, Math.floor(frac * daysBetween(from, birthday(dob, k + 1))));
        assert.equal(ageOn(dob, issue), k);
        const want = renewAt(g, k);
        assert.equal(cardExpiry(g, dob, issue), want === null ? null : birthday(dob, want));
        const exp = cardExpiry(g, dob, issue);
        if (exp !== null) assert.ok(exp > issue);
      }),
      { numRuns: 2000 },
    );
  });

  test('the examples: under 12 → 14; 12–13 → 25 (2-year rule); 23½ → 40; 58 → none', () => {
    assert.equal(cardExpiry('CAN_CUOC', '2012-05-20', '2024-05-19'), '2026-05-20'); // 11 y 364 d → 14
    assert.equal(cardExpiry('CAN_CUOC', '2012-05-20', '2024-07-01'), '2037-05-20'); // 12: within 2 years of 14 → 25
    assert.equal(cardExpiry('CAN_CUOC', '2001-03-10', '2024-09-10'), '2041-03-10'); // 23½ → 40
    assert.equal(cardExpiry('CCCD', '1998-03-10', '2021-09-10'), '2038-03-10'); // 23½ → 40
    assert.equal(cardExpiry('CCCD', '1998-03-10', '2020-09-10'), '2023-03-10'); // 22½ → 25
    assert.equal(cardExpiry('CCCD', '1980-01-15', '2018-01-14'), '2020-01-15'); // 37 y 364 d → 40
    assert.equal(cardExpiry('CCCD', '1980-01-15', '2018-01-15'), '2040-01-15'); // 38th birthday: window starts → 60
    assert.equal(cardExpiry('CAN_CUOC', '1966-08-01', '2024-08-01'), null); // issued on the 58th birthday
    assert.equal(cardExpiry('CAN_CUOC', '1966-08-01', '2024-07-31'), '2026-08-01'); // one day before: 60
    assert.equal(cardExpiry('CAN_CUOC', '1950-08-01', '2024-08-01'), null);
    assert.equal(cardExpiry('CCCD', '2004-01-01', '2018-01-01'), '2029-01-01'); // CCCD from 14 → 25 (no 14 step)
  });

  test('29 February: the birthday in a common year is 28 February; in a leap year it stays', () => {
    assert.equal(ageOn('2000-02-29', '2001-02-27'), 0);
    assert.equal(ageOn('2000-02-29', '2001-02-28'), 1);
    assert.equal(cardExpiry('CAN_CUOC', '2000-02-29', '2005-06-01'), '2014-02-28');
    assert.equal(cardExpiry('CCCD', '2000-02-29', '2016-06-01'), '2025-02-28');
    assert.equal(cardExpiry('CCCD', '2000-02-29', '2026-06-01'), '2040-02-29');
    assert.equal(cardExpiry('CAN_CUOC', '1972-02-29', '2030-02-28'), null); // 58 on 28/02/2030
  });
});

describe('partial dates of birth', () => {
  /** Every full date the partial date may stand for, up to the issue date. */
  function possibleDays(partial: string, issue: string): string[] {
    const y = Number(partial.slice(0, 4));
    const months = partial.length === 7 ? [Number(partial.slice(5, 7))] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const out: string[] = [];
    for (const m of months) for (let d = 1; d <= daysInMonth(y, m); d++) out.push(`${y}-${pad(m)}-${pad(d)}`);
    return out.filter((d) => d <= issue);
  }
  const partialArb = fc.tuple(fc.integer({ min: 1900, max: 2020 }), fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined })).map(([y, m]) => (m === undefined ? `${y}` : `${y}-${pad(m)}`));

  test('property: the expiry is the earliest any possible birthday gives (never valid longer than the law allows)', () => {
    fc.assert(
      fc.property(genArb, partialArb, fc.integer({ min: 0, max: 80 * 366 }), (g, dob, offset) => {
        const first = dob.length === 4 ? `${dob}-01-01` : `${dob}-01`;
        const issue = plusDays(first, offset);
        const all = possibleDays(dob, issue).map((d) => expectedFull(g, d, issue));
        const finite = all.filter((e): e is string => e !== null).sort();
        const got = cardExpiry(g, dob, issue);
        assert.equal(got, finite[0] ?? null);
        if (got !== null) assert.equal(renewalAgeDue(g, dob, issue), Number(got.slice(0, 4)) - Number(dob.slice(0, 4)));
      }),
      { numRuns: 400 },
    );
  });

  test('property: around every window start (12, 23, 38, 58 years) the minimum is still exact', () => {
    fc.assert(
      fc.property(genArb, partialArb, fc.constantFrom(12, 23, 38, 58), fc.integer({ min: -400, max: 400 }), (g, dob, age, shift) => {
        const issue = plusDays(`${Number(dob.slice(0, 4)) + age}-${dob.length === 7 ? dob.slice(5, 7) : '06'}-15`, shift);
        const finite = possibleDays(dob, issue).map((d) => expectedFull(g, d, issue)).filter((e): e is string => e !== null).sort();
        assert.equal(cardExpiry(g, dob, issue), finite[0] ?? null);
      }),
      { numRuns: 600 },
    );
  });

  test('why neither fixed day is safe: year-only 1990, CCCD issued 2013-06-01', () => {
    // Born 1–1 Jun 1990 → 23 at issue → the 2-year rule runs the card to 40 (2030);
    // born 2 Jun–31 Dec → 22 → expires at 25, the earliest such birthday being 2 June 2015.
    assert.equal(expectedFull('CCCD', '1990-01-01', '2013-06-01'), '2030-01-01'); // "first day" convention
    assert.equal(expectedFull('CCCD', '1990-12-31', '2013-06-01'), '2015-12-31'); // "last day" convention
    assert.equal(cardExpiry('CCCD', '1990', '2013-06-01'), '2015-06-02');
    assert.equal(renewalAgeDue('CCCD', '1990', '2013-06-01'), 25);
  });

  test('an issue date inside the birth period only counts birthdays up to it', () => {
    assert.equal(cardExpiry('CAN_CUOC', '2024', '2024-03-01'), '2038-01-01');
    assert.equal(cardExpiry('CAN_CUOC', '2024-07', '2024-07-09'), '2038-07-01');
  });
});

describe('CMND and bad input', () => {
  test('CMND: 15 years from issue, never beyond 31/12/2024', () => {
    assert.equal(cardExpiry('CMND', '1970', '2000-05-10'), '2015-05-10');
    assert.equal(cardExpiry('CMND', '1970-01-01', '2009-12-31'), '2024-12-31');
    assert.equal(cardExpiry('CMND', '1970-01-01', '2012-01-01'), '2024-12-31');
    assert.equal(cardExpiry('CMND', '1980-02-29', '1996-02-29'), '2011-02-28');
    assert.ok(isLeapYear(1996));
  });

  test('impossible dates and an issue before birth are refused with RangeError', () => {
    assert.throws(() => cardExpiry('CCCD', '1990-02-30', '2020-01-01'), RangeError);
    assert.throws(() => cardExpiry('CCCD', '1990-01-01', '2020-13-01'), RangeError);
    assert.throws(() => cardExpiry('CAN_CUOC', '2025', '2024-12-31'), RangeError);
    assert.throws(() => cardExpiry('CMND', '1990-05-05', '1990-05-04'), RangeError);
    assert.throws(() => renewalAgeDue('CCCD', '1990', '20200101'), RangeError);
  });
});
