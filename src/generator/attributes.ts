/**
 * Category-coded attributes with plausible weights. Weights only shape synthetic data; they are not
 * a statistical source. Ethnicity codes follow numbering "List A" of vn-domain §6.1 (01..54); the
 * weights are the rough 2019 census sizes of each group, in thousands.
 */
import { WeightedTable } from './random.js';

export interface CodeTable {
  codes: readonly string[];
  table: WeightedTable;
}

function codeTable(weights: readonly (readonly [string, number])[]): CodeTable {
  return { codes: weights.map(([c]) => c), table: new WeightedTable(weights.map(([, w]) => w)) };
}

/** Kinh is pinned to ~85% (the brief's target); the other 53 groups share the rest by size. */
const MINORITY_SIZES: readonly (readonly [string, number])[] = [
  ['02', 1845], ['03', 1820], ['04', 1452], ['05', 750], ['06', 1319], ['07', 1083], ['08', 1393],
  ['09', 891], ['10', 513], ['11', 398], ['12', 287], ['13', 201], ['14', 179], ['15', 212],
  ['16', 183], ['17', 149], ['18', 200], ['19', 146], ['20', 127], ['21', 91], ['22', 100],
  ['23', 90], ['24', 94], ['25', 67], ['26', 74], ['27', 63], ['28', 52], ['29', 50], ['30', 40],
  ['31', 29], ['32', 25], ['33', 29], ['34', 23], ['35', 17], ['36', 15], ['37', 12], ['38', 12],
  ['39', 16], ['40', 6.7], ['41', 8], ['42', 4.8], ['43', 7.5], ['44', 4.6], ['45', 4], ['46', 3.2],
  ['47', 10], ['48', 2.7], ['49', 1.6], ['50', 0.9], ['51', 0.9], ['52', 0.5], ['53', 0.6], ['54', 0.4],
];
const KINH_SHARE = 0.85;
const minorityTotal = MINORITY_SIZES.reduce((s, [, w]) => s + w, 0);

export const ETHNICITIES = codeTable([
  ['01', (minorityTotal * KINH_SHARE) / (1 - KINH_SHARE)],
  ...MINORITY_SIZES,
]);

/** 00 none, 01 Phật giáo, 02 Công giáo, 03 Tin lành, 04 Cao Đài, 05 Phật giáo Hòa Hảo. */
export const RELIGIONS = codeTable([
  ['00', 85],
  ['01', 5.6],
  ['02', 6.2],
  ['03', 1.1],
  ['04', 0.8],
  ['05', 1.3],
]);

/** 00 unknown, then O, A, B, AB at about 42/21/30/7 among the known. */
export const BLOOD_GROUPS = codeTable([
  ['00', 5],
  ['01', 42 * 0.95],
  ['02', 21 * 0.95],
  ['03', 30 * 0.95],
  ['04', 7 * 0.95],
]);

/** Marital status codes of the citizen record. */
export const MARITAL = {
  unknown: '0',
  single: '1',
  married: '2',
  divorced: '3',
  widowed: '4',
} as const;
