/**
 * Names, street addresses and e-mail addresses. Input lists are normalised once (NFC, folded spaces)
 * so that every generated string is already in the form the registry stores.
 */
import type { Sex } from '../domain/identity/personal-id.js';
import { foldKey, normalizeText } from '../domain/text/normalize.js';
import { type Random, WeightedTable } from './random.js';

export interface NameLists {
  surnames: [string, number][];
  male: string[];
  female: string[];
}

function cleanList(list: readonly string[], what: string): string[] {
  const out = list.map(normalizeText).filter((s) => s.length > 0);
  if (out.length === 0) throw new RangeError(`names.${what} must hold at least one non-empty name`);
  return out;
}

export class NamePools {
  readonly surnames: string[];
  readonly surnameTable: WeightedTable;
  readonly male: string[];
  readonly female: string[];
  // Folding (NFD + regex) is slow; the lists are small, so each name is folded once.
  private readonly folded = new Map<string, string>();

  constructor(lists: NameLists) {
    const pairs = lists.surnames
      .map(([name, weight]) => [normalizeText(name), weight] as const)
      .filter(([name, weight]) => name.length > 0 && weight > 0);
    if (pairs.length === 0) throw new RangeError('names.surnames must hold at least one name with weight > 0');
    this.surnames = pairs.map(([n]) => n);
    this.surnameTable = new WeightedTable(pairs.map(([, w]) => w));
    this.male = cleanList(lists.male, 'male');
    this.female = cleanList(lists.female, 'female');
  }

  surname(rng: Random): string {
    return this.surnames[rng.weighted(this.surnameTable)]!;
  }

  given(rng: Random, sex: Sex): string {
    return rng.pick(sex === 'male' ? this.male : this.female);
  }

  fold(name: string): string {
    let f = this.folded.get(name);
    if (f === undefined) {
      f = foldKey(name).replace(/[^a-z0-9]+/g, '');
      this.folded.set(name, f);
    }
    return f;
  }

  /** A mailbox on a reserved example domain (RFC 2606), so no message can reach a real person. */
  email(rng: Random, surname: string, given: string, serial: number): string {
    const domain = EMAIL_DOMAINS[rng.int(EMAIL_DOMAINS.length)]!;
    const local = this.fold(given) || 'user';
    const sep = rng.chance(0.5) ? '.' : '';
    return `${local}${sep}${this.fold(surname)}${serial}@${domain}`;
  }
}

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.vn'];

/** Common street names (national heroes, places): public street names, not people in the registry. */
const STREETS = [
  'Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Quang Trung',
  'Lê Duẩn', 'Hùng Vương', 'Nguyễn Huệ', 'Phan Đình Phùng', 'Trần Phú', 'Lê Lai', 'Bà Triệu',
  'Nguyễn Du', 'Điện Biên Phủ', 'Võ Thị Sáu', 'Lý Tự Trọng', 'Hoàng Diệu', 'Phan Chu Trinh',
  'Nguyễn Thái Học', 'Ngô Quyền', 'Đinh Tiên Hoàng', 'Lê Thánh Tông', 'Trưng Nữ Vương',
  'Cách Mạng Tháng Tám', 'Nguyễn Văn Cừ', 'Lạc Long Quân', 'Âu Cơ', 'Chu Văn An', 'Tôn Đức Thắng',
  'Phạm Văn Đồng', 'Nguyễn Chí Thanh', 'Hoàng Hoa Thám', 'Trường Chinh', 'Lê Hồng Phong',
].map((s) => s.normalize('NFC'));

const RURAL = ['Thôn', 'Xóm', 'Ấp', 'Bản', 'Tổ dân phố'].map((s) => s.normalize('NFC'));

/** A synthetic address detail: an urban house number on a street, or a numbered rural hamlet. */
export function addressDetail(rng: Random): string {
  const r = rng.int(100);
  if (r < 30) return `Số ${rng.range(1, 200)}, ngõ ${rng.range(1, 150)}, đường ${rng.pick(STREETS)}`;
  if (r < 45) return `Số ${rng.range(1, 300)}/${rng.range(1, 40)}, hẻm ${rng.range(1, 120)}, đường ${rng.pick(STREETS)}`;
  if (r < 60) return `Số ${rng.range(1, 400)}, đường ${rng.pick(STREETS)}`;
  return `${rng.pick(RURAL)} ${rng.range(1, 20)}`;
}
