/**
 * Small hand-built generator inputs, so generator tests do not depend on the reference-data loaders.
 * A few real province codes (vn-domain §2.4, §6.4) with made-up commune codes.
 */
import type { GeneratorInput } from '../../src/generator/population.js';

function communes(start: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(start + i * 3).padStart(5, '0'));
}

export const TEST_NAMES: GeneratorInput['names'] = {
  surnames: [
    ['Nguyễn', 38],
    ['Trần', 11],
    ['Lê', 9.5],
    ['Phạm', 7],
    ['Hoàng', 5],
    ['Vũ', 3.9],
    ['Đặng', 2.1],
    ['Bùi', 2],
    ['Đỗ', 1.4],
    ['Ngô', 1.3],
  ],
  male: ['Văn An', 'Văn Bình', 'Minh Đức', 'Quốc Hùng', 'Hữu Nghĩa', 'Đức Thắng', 'Gia Huy', 'Thành Long'],
  // One decomposed (NFD) entry: the generator must still emit NFC.
  female: ['Thị Hoa', 'Thị Lan', 'Ngọc Ánh', 'Thu Hương', 'Minh Thư', 'Thị Mai'.normalize('NFD'), 'Khánh Linh'],
};

export const TEST_UNITS: GeneratorInput['units'] = {
  pre2025Provinces: [
    { code: '01', communes: communes(4, 12) },
    { code: '15', communes: communes(4300, 6) },
    { code: '24', communes: communes(7200, 8) },
    { code: '27', communes: communes(9100, 5) },
    { code: '79', communes: communes(26700, 10) },
    { code: '80', communes: communes(27600, 7) },
  ],
  provinces2025: [
    { code: '01', communes: communes(4, 9) },
    { code: '24', communes: communes(7200, 10) },
    { code: '79', communes: communes(26700, 12) },
  ],
};

export const TEST_NOW = '2026-03-15T08:30:00.000Z';

export function testInput(seed: number, count: number, now = TEST_NOW): GeneratorInput {
  return { seed, count, names: TEST_NAMES, units: TEST_UNITS, now };
}
