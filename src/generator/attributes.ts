/**
 * Category-coded attributes with plausible weights. Weights only shape synthetic data; they are not a
 * statistical source. Codes are those of reference-data/categories (ethnicities: vn-domain §6.1 List
 * B; blood groups: 01 A, 02 B, 03 AB, 04 O); ethnic weights are rough 2019 census sizes, in thousands.
 */
import { WeightedTable } from './random.js';

export interface CodeTable {
  codes: readonly string[];
  table: WeightedTable;
}

function codeTable(weights: readonly (readonly [string, number])[]): CodeTable {
  return { codes: weights.map(([c]) => c), table: new WeightedTable(weights.map(([, w]) => w)) };
}

/** Kinh is pinned to ~85% (the brief's target); the other groups (02..54) share the rest by size. */
const MINORITY_SIZES: readonly (readonly [string, number])[] = [
  ['02', 1845], ['03', 1820], ['04', 750], ['05', 1319], ['06', 1452], ['07', 1083], ['08', 1393],
  ['09', 891], ['10', 513], ['11', 1.6], ['12', 398], ['13', 287], ['14', 212], ['15', 201],
  ['16', 200], ['17', 179], ['18', 183], ['19', 149], ['20', 127], ['21', 146], ['22', 100],
  ['23', 94], ['24', 91], ['25', 67], ['26', 74], ['27', 63], ['28', 50], ['29', 90], ['30', 40],
  ['31', 52], ['32', 29], ['33', 16], ['34', 29], ['35', 25], ['36', 23], ['37', 17], ['38', 15],
  ['39', 10], ['40', 12], ['41', 12], ['42', 6.7], ['43', 4.8], ['44', 7.5], ['45', 4.6], ['46', 8],
  ['47', 4], ['48', 2.7], ['49', 3.2], ['50', 0.9], ['51', 0.9], ['52', 0.5], ['53', 0.4], ['54', 0.6],
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

/** 00 unknown (5%), then A, B, AB, O at about 21/30/7/42 among the known. */
export const BLOOD_GROUPS = codeTable([
  ['00', 5],
  ['01', 21 * 0.95],
  ['02', 30 * 0.95],
  ['03', 7 * 0.95],
  ['04', 42 * 0.95],
]);

/** Marital status codes of the citizen record. */
export const MARITAL = {
  unknown: '0',
  single: '1',
  married: '2',
  divorced: '3',
  widowed: '4',
} as const;
