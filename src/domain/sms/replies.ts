/**
 * The reply texts of the citizens' SMS service: short Vietnamese, dates dd/mm/yyyy, addresses as the
 * services format them (domain/categories), and the unaccented variant (GSM-7) by the project's
 * folding. Pure: the service reads the facts and passes them in.
 */
import { dateVi } from '../dates/partial-date.js';
import { withoutDiacritics } from '../text/normalize.js';
import { chooseAlphabet, isGsm7, partCount } from './encoding.js';
import { helpText } from './help.js';

/** The one sentence for a number not in the subscriber register, or a citizen not found (seed 000). */
export const NOT_FOUND_REPLY = 'Số điện thoại hoặc công dân không tồn tại';

/** Sent once to a number that exceeded its rate; further excess in the window is not answered. */
export const RATE_LIMITED_REPLY = 'Bạn đã gửi quá nhiều tin nhắn. Vui lòng thử lại sau ít phút.';

export interface IdentityFacts {
  fullName: string;
  dateOfBirth: string;
  personalId: string;
  legacyIdNumber?: string | undefined;
}

/** A place as formatted text; `from`/`until` are days (YYYY-MM-DD). */
export interface PlaceFacts {
  text: string;
  from?: string | undefined;
  until?: string | undefined;
}

export interface ResidenceFacts {
  permanent?: PlaceFacts | undefined;
  temporary?: PlaceFacts | undefined;
  /** Where the person lives now (the temporary residence in force, else the permanent one). */
  current?: PlaceFacts | undefined;
}

export interface HouseholdFacts {
  place: string;
  head?: string | undefined;
  /** Everyone but the head, in the household book's order. */
  members: { fullName: string; relationship: string }[];
}

export type CardState = 'valid' | 'expired' | 'replaced' | 'revoked' | 'lost' | 'not_yet_issued';

export interface CardFacts {
  /** The card in force today, if any, else the latest card. */
  card?: { generation: 'CMND' | 'CCCD' | 'CAN_CUOC'; cardNo: string; issueDate: string; expiryDate: string | null; status: CardState } | undefined;
}

export interface UsageFacts {
  items: { at: string; who: string; what: string; refused: boolean }[];
}

/** At most this many household members are listed (a long household would run to many SMS). */
export const MAX_MEMBERS = 10;

const GENERATION_VI = { CMND: 'CMND', CCCD: 'Thẻ CCCD', CAN_CUOC: 'Thẻ căn cước' } as const;
const CARD_STATE_VI: Record<CardState, string> = {
  valid: 'còn giá trị',
  expired: 'hết hạn',
  replaced: 'đã được thay',
  revoked: 'đã bị thu hồi',
  lost: 'đã báo mất',
  not_yet_issued: 'chưa đến ngày cấp',
};

export function identityReply(f: IdentityFacts): string {
  return [`Họ tên: ${f.fullName}`, `Ngày sinh: ${dateVi(f.dateOfBirth)}`, `Số định danh: ${f.personalId}`, `CMND cũ: ${f.legacyIdNumber ?? 'không có'}`].join('\n');
}

function placeLine(label: string, p: PlaceFacts | undefined): string {
  if (!p) return `${label}: chưa đăng ký`;
  const period = p.until ? ` (đến ${dateVi(p.until)})` : p.from ? ` (từ ${dateVi(p.from)})` : '';
  return `${label}: ${p.text}${period}`;
}

export type ResidencePart = 'permanent' | 'temporary' | 'current';
const RESIDENCE_LABELS: Record<ResidencePart, string> = { permanent: 'Thường trú', temporary: 'Tạm trú', current: 'Nơi ở hiện tại' };

/** The parts asked for, in this order: permanent, temporary, current. */
export function residenceReply(f: ResidenceFacts, parts: readonly ResidencePart[] = ['permanent', 'temporary', 'current']): string {
  return (['permanent', 'temporary', 'current'] as const)
    .filter((p) => parts.includes(p))
    .map((p) => (p === 'current' && !f.current ? `${RESIDENCE_LABELS[p]}: không xác định` : placeLine(RESIDENCE_LABELS[p], f[p])))
    .join('\n');
}

export function householdReply(f: HouseholdFacts | undefined): string {
  if (!f) return 'Bạn chưa thuộc hộ gia đình nào (chưa đăng ký thường trú).';
  const shown = f.members.slice(0, MAX_MEMBERS);
  const more = f.members.length - shown.length;
  return [
    `Hộ: ${f.place}`,
    `Chủ hộ: ${f.head ?? 'chưa có'}`,
    ...shown.map((m, i) => `${i + 1}. ${m.fullName} (${m.relationship})`),
    ...(more > 0 ? [`và ${more} người khác`] : []),
  ].join('\n');
}

export function cardReply(f: CardFacts): string {
  const c = f.card;
  if (!c) return 'Chưa có thẻ căn cước.';
  const expiry = c.expiryDate ? `có giá trị đến ${dateVi(c.expiryDate)}` : 'không thời hạn';
  return `${GENERATION_VI[c.generation]} số ${c.cardNo}, cấp ${dateVi(c.issueDate)}, ${expiry}: ${CARD_STATE_VI[c.status]}.`;
}

/** An instant (ISO, UTC) as Vietnam's local time, dd/mm/yyyy hh:mm (UTC+7, no daylight saving). */
export function localTimeVi(instant: string): string {
  const local = new Date(Date.parse(instant) + 7 * 3_600_000).toISOString();
  return `${dateVi(local.slice(0, 10))} ${local.slice(11, 16)}`;
}

export function usageReply(f: UsageFacts): string {
  if (f.items.length === 0) return 'Chưa có lần sử dụng dữ liệu nào được ghi nhận.';
  return ['Sử dụng dữ liệu gần nhất:', ...f.items.map((u) => `${localTimeVi(u.at)} ${u.who}: ${u.what}${u.refused ? ' (bị từ chối)' : ''}`)].join('\n');
}

/**
 * The reply to KHÓA (decision 0042): how many e-ID accounts whose codes go to this number were
 * locked now, or that there was none to lock. Told only to the number itself.
 */
export function lockReply(lockedNow: number): string {
  if (lockedNow === 0) return 'Không có tài khoản định danh điện tử đang mở nào nhận mã qua số này.';
  return `Đã khóa ${lockedNow} tài khoản định danh điện tử nhận mã qua số này. Mở khóa: cổng dịch vụ, mục Mở khóa tài khoản, hoặc cơ quan Công an.`;
}

export function helpReply(): string {
  return helpText();
}

/**
 * The variant the citizen asked for: with diacritics (sent as UCS-2), or without (GSM-7). Any
 * character left without a GSM 7-bit code becomes "?", so that the text stays in that alphabet.
 */
export function variant(text: string, unaccented: boolean): string {
  if (!unaccented) return text;
  let out = '';
  for (const ch of withoutDiacritics(text)) out += isGsm7(ch) ? ch : '?';
  return out;
}

/** Parts a text takes in the alphabet it would go in (GSM-7 when it can, else UCS-2). */
function partsOf(text: string): number {
  return partCount(text, chooseAlphabet(text));
}

/**
 * The reply within `maxParts` SMS: whole lines dropped from the end, with "..." saying so; a single
 * line too long is cut. A long household or address never makes a reply the outbox refuses.
 */
export function fitToParts(text: string, maxParts: number): string {
  if (partsOf(text) <= maxParts) return text;
  const lines = text.split('\n');
  while (lines.length > 1) {
    lines.pop();
    const cut = `${lines.join('\n')}\n...`;
    if (partsOf(cut) <= maxParts) return cut;
  }
  const chars = [...lines[0]!];
  let n = chars.length;
  while (n > 0 && partsOf(`${chars.slice(0, n).join('')}...`) > maxParts) n = Math.floor(n * 0.9);
  return `${chars.slice(0, n).join('')}...`;
}
