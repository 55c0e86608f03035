/**
 * An independent check of the shipped Tết / Hùng Kings table: the Vietnamese lunar calendar
 * computed from astronomy, following the method Hồ Ngọc Đức published
 * (https://www.informatik.uni-leipzig.de/~duc/amlich/): months start on the local (UTC+7) day of
 * the new moon (Meeus' series), month 11 holds the winter solstice, and in a 13-month year the
 * first month without a major solar term is the leap month. Test-only: production uses the table.
 */
const TZ = 7;
const RAD = Math.PI / 180;
const SYNODIC = 29.530588853;
const JD_1900 = 2415021.076998695;

/** Julian day number of a Gregorian date. */
function julianDay(y: number, m: number, d: number): number {
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) - 32045;
}

const isoOfJulianDay = (jd: number): string => new Date((jd - 2440588) * 86_400_000).toISOString().slice(0, 10);

/** Julian date of the k-th new moon after 1900-01-01 (Meeus, Astronomical Algorithms, ch. 49, short series). */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const M = (359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3) * RAD;
  const Mp = (306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3) * RAD;
  const F = (21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3) * RAD;
  const mean = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3 + 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * RAD);
  const correction =
    (0.1734 - 0.000393 * T) * Math.sin(M) + 0.0021 * Math.sin(2 * M) - 0.4068 * Math.sin(Mp) + 0.0161 * Math.sin(2 * Mp) - 0.0004 * Math.sin(3 * Mp) +
    0.0104 * Math.sin(2 * F) - 0.0051 * Math.sin(M + Mp) - 0.0074 * Math.sin(M - Mp) + 0.0004 * Math.sin(2 * F + M) - 0.0004 * Math.sin(2 * F - M) -
    0.0006 * Math.sin(2 * F + Mp) + 0.001 * Math.sin(2 * F - Mp) + 0.0005 * Math.sin(2 * Mp + M);
  const deltaT = -0.000278 + 0.000265 * T + 0.000262 * T2; // valid for the 20th–21st centuries
  return mean + correction - deltaT;
}

/** Apparent solar longitude (radians, 0–2π) at a Julian date. */
function sunLongitude(jd: number): number {
  const T = (jd - 2451545.0) / 36525;
  const T2 = T * T;
  const M = (357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2) * RAD;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  const C = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(M) + (0.019993 - 0.000101 * T) * Math.sin(2 * M) + 0.00029 * Math.sin(3 * M);
  const L = (L0 + C) * RAD;
  return L - 2 * Math.PI * Math.floor(L / (2 * Math.PI));
}

/** Local day number of the k-th new moon. */
const newMoonDay = (k: number): number => Math.floor(newMoon(k) + 0.5 + TZ / 24);
/** Which 30° sector of the ecliptic the sun is in at the start of a local day. */
const sunSector = (dayNumber: number): number => Math.floor((sunLongitude(dayNumber - 0.5 - TZ / 24) / Math.PI) * 6);

/** First day of the lunar month holding the winter solstice of Gregorian year y. */
function month11(y: number): number {
  const k = Math.floor((julianDay(y, 12, 31) - 2415021) / SYNODIC);
  const nm = newMoonDay(k);
  return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm;
}

/** Offset (in months after month 11) of the leap month in a 13-month year. */
function leapOffset(a11: number): number {
  const k = Math.floor((a11 - JD_1900) / SYNODIC + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

/** Gregorian date of day d of (non-leap) lunar month m of lunar year y, m < 11. */
export function lunarToGregorian(d: number, m: number, y: number): string {
  const a11 = month11(y - 1);
  const b11 = month11(y);
  const k = Math.floor(0.5 + (a11 - JD_1900) / SYNODIC);
  let off = m + 1; // months after month 11 of the previous year
  if (b11 - a11 > 365 && off >= leapOffset(a11)) off += 1;
  return isoOfJulianDay(newMoonDay(k + off) + d - 1);
}
