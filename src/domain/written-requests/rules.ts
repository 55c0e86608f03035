/**
 * Written requests for citizens' data (Luật Căn cước Art. 10(5)(c); NĐ 70/2024 Art. 10(2);
 * docs/legal/written-requests.md; decision 0040). Pure: the instants, the calendar and the bytes
 * come in as arguments.
 *
 * - Who asks: a citizen for themselves or for someone they represent, or an organisation — a state
 *   body of NĐ 70/2024 Art. 8(1) or not. Only an organisation outside Art. 8(1) needs the subject's
 *   consent (Art. 10(2)).
 * - When it is due: 3 working days counted on the residence calendar from the day the request is
 *   received — or, when consent is needed, from the day the consent is received (the competent
 *   person's period cannot run while the law forbids the decision).
 * - What may happen next: the lifecycle below; a decided request never changes again.
 */
import { randomCode } from '../residence/household.js';
import { dateVi } from '../dates/partial-date.js';
import { deadlineFor, localDay, receiptOf, type Deadline } from '../residence/working-days.js';
import type { HolidayCalendar } from '../residence/holidays.js';
import { parseInstant } from '../telecom/subscriber-lines.js';

/** NĐ 70/2024 Art. 10(2): the competent person decides within 03 working days. */
export const DECISION_PERIOD_DAYS = 3;

/** The registry's data, in the groups a request chooses from. */
export const FIELD_GROUPS = ['identity', 'residence', 'household', 'card', 'usage'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/** How each group is named in the reply letter. */
export const FIELD_GROUP_VI: Readonly<Record<FieldGroup, string>> = {
  identity: 'Thông tin nhân thân',
  residence: 'Thông tin về cư trú',
  household: 'Thông tin về hộ gia đình',
  card: 'Thông tin về thẻ căn cước',
  usage: 'Lịch sử khai thác thông tin',
};

export type Channel = 'counter' | 'post';
export const CHANNEL_VI: Readonly<Record<Channel, string>> = { counter: 'Nộp trực tiếp', post: 'Qua đường bưu chính' };

/** Why a citizen may ask about a person (domain/accountability/representation.ts). */
export type CitizenGround = 'self' | 'minor_child' | 'legal_representative';

export type Requester =
  | { kind: 'citizen'; personalId: string; ground: CitizenGround }
  | { kind: 'organisation'; name: string; stateBody: boolean; registrationNumber?: string; address?: string };

export type RequestStatus = 'awaiting_consent' | 'open' | 'provided' | 'refused';
export type RequestAction = 'consent_given' | 'consent_refused' | 'provide' | 'refuse';

export const OPEN_STATUSES: readonly RequestStatus[] = ['awaiting_consent', 'open'];
export const DECIDED_STATUSES: readonly RequestStatus[] = ['provided', 'refused'];

/** Only an organisation outside the state bodies of NĐ 70/2024 Art. 8(1) waits for the subject's consent. */
export function consentRequired(r: Requester): boolean {
  return r.kind === 'organisation' && !r.stateBody;
}

/** The status a request starts in. */
export function initialStatus(r: Requester): RequestStatus {
  return consentRequired(r) ? 'awaiting_consent' : 'open';
}

/**
 * Why an action is not possible, or the status it leads to. A refusal by the competent officer is
 * possible while consent is pending (a request the law does not allow need not wait); providing is
 * not (the subject has not agreed).
 */
export type Transition = { ok: true; status: RequestStatus } | { ok: false; code: 'WRITTEN_REQUEST_ALREADY_DECIDED' | 'WRITTEN_REQUEST_AWAITING_CONSENT' | 'CONSENT_NOT_PENDING' };

export function nextStatus(status: RequestStatus, action: RequestAction): Transition {
  if (status === 'provided' || status === 'refused') return { ok: false, code: 'WRITTEN_REQUEST_ALREADY_DECIDED' };
  if (action === 'consent_given' || action === 'consent_refused') {
    if (status !== 'awaiting_consent') return { ok: false, code: 'CONSENT_NOT_PENDING' };
    return { ok: true, status: action === 'consent_given' ? 'open' : 'refused' };
  }
  if (action === 'provide') return status === 'open' ? { ok: true, status: 'provided' } : { ok: false, code: 'WRITTEN_REQUEST_AWAITING_CONSENT' };
  return { ok: true, status: 'refused' };
}

/** The deadline of the competent person's decision, the period counted from the instant its clock starts. */
export function decisionDeadline(startsAt: string, calendar: HolidayCalendar): { receivedOn: string; deadline: Deadline } {
  const receipt = receiptOf(startsAt, calendar);
  return { receivedOn: receipt.day, deadline: deadlineFor(receipt, { days: DECISION_PERIOD_DAYS }, calendar) };
}

/** Luật Căn cước 2023 and NĐ 70/2024 took effect on 1 July 2024: no request under them was received earlier. */
export const FIRST_RECEIPT_DAY = '2024-07-01';
/** How far ahead of the server's clock an officer's stated receipt may be (their own clock's drift). */
export const RECEIPT_CLOCK_SKEW_MS = 5 * 60_000;

export type ReceiptProblem = 'RECEIVED_AT_INVALID' | 'RECEIVED_BEFORE_LAW' | 'DATE_IN_FUTURE';

/**
 * When a letter was received, from what the officer states (default: now): a real instant with its
 * offset (no leap second, no 31 February), in Vietnam on or after FIRST_RECEIPT_DAY, and not after
 * now — a receipt within the clock skew ahead is taken as now (a letter is not received after it
 * is recorded).
 */
export function receiptAt(stated: string | undefined, now: string): { ok: true; at: string } | { ok: false; code: ReceiptProblem } {
  if (stated === undefined) return { ok: true, at: now };
  const at = parseInstant(stated);
  if (at === undefined) return { ok: false, code: 'RECEIVED_AT_INVALID' };
  const ahead = Date.parse(at) - Date.parse(now);
  if (ahead > RECEIPT_CLOCK_SKEW_MS) return { ok: false, code: 'DATE_IN_FUTURE' };
  if (localDay(at) < FIRST_RECEIPT_DAY) return { ok: false, code: 'RECEIVED_BEFORE_LAW' };
  return { ok: true, at: ahead > 0 ? now : at };
}

/** The reason written when the subject refuses consent. */
export const SUBJECT_REFUSED_REASON = 'Chủ thể thông tin không đồng ý cung cấp thông tin (Nghị định 70/2024/NĐ-CP, Điều 10 khoản 2).';

/** Reasons as written, trimmed, blank ones dropped; undefined when none remains (a refusal needs one). */
export function cleanReasons(items: readonly string[]): string[] | undefined {
  const clean = items.map((i) => i.trim()).filter((i) => i !== '');
  return clean.length > 0 ? clean : undefined;
}

/** The groups asked, each once, in the registry's order; undefined when none is known. */
export function cleanFields(fields: readonly string[]): FieldGroup[] | undefined {
  const asked = FIELD_GROUPS.filter((g) => fields.includes(g));
  return asked.length > 0 && asked.length === fields.length ? asked : undefined;
}

// Scanned letters -------------------------------------------------------------------------------

/** A scanned letter of a few pages at 300 dpi fits well within this (decision 0040). */
export const SCAN_MAX_BYTES = 10 * 1024 * 1024;

export const SCAN_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ScanMediaType = (typeof SCAN_MEDIA_TYPES)[number];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PDF_SIGNATURE = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

// Past the end a byte reads as undefined, which equals no signature byte: short input never matches.
function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** The media type the bytes are, by their signature (what a scanner writes), or undefined. */
export function sniffScan(bytes: Uint8Array): ScanMediaType | undefined {
  if (startsWith(bytes, PDF_SIGNATURE)) return 'application/pdf';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, JPEG_SIGNATURE)) return 'image/jpeg';
  return undefined;
}

export type ScanProblem = 'SCAN_EMPTY' | 'SCAN_TOO_LARGE' | 'SCAN_TYPE_UNSUPPORTED' | 'SCAN_TYPE_MISMATCH';

/** What is wrong with a scanned letter, or undefined: not empty, at most `maxBytes`, of a declared type it really is. */
export function scanProblem(declared: string, bytes: Uint8Array, maxBytes: number): ScanProblem | undefined {
  if (!(SCAN_MEDIA_TYPES as readonly string[]).includes(declared)) return 'SCAN_TYPE_UNSUPPORTED';
  if (bytes.length === 0) return 'SCAN_EMPTY';
  if (bytes.length > maxBytes) return 'SCAN_TOO_LARGE';
  return sniffScan(bytes) === declared ? undefined : 'SCAN_TYPE_MISMATCH';
}

// Numbers and the letter --------------------------------------------------------------------------

/** e.g. YCTT-2026-7K3M9QPA2B: 50 random bits (Crockford base32), so numbers cannot be guessed. */
export function requestIdFor(year: number, random5bit: () => number): string {
  return `YCTT-${year}-${randomCode(10, random5bit)}`;
}
export const REQUEST_ID_PATTERN = '^YCTT-\\d{4}-[0-9A-HJKMNP-TV-Z]{10}$';

/** The requester as printed in a letter; a citizen's name comes from the registry. */
export function requesterLine(r: Requester, citizenName?: string): string {
  if (r.kind === 'organisation') {
    const parts = [r.name];
    if (r.registrationNumber) parts.push(`số đăng ký ${r.registrationNumber}`);
    if (r.address) parts.push(`địa chỉ ${r.address}`);
    return parts.join(', ');
  }
  const who = `${citizenName ?? 'Công dân'} (số định danh cá nhân ${r.personalId})`;
  if (r.ground === 'minor_child') return `${who}, cha/mẹ của người chưa thành niên`;
  if (r.ground === 'legal_representative') return `${who}, người đại diện theo pháp luật`;
  return who;
}

export interface LetterLine {
  label: string;
  value: string;
}

/** The lines every letter opens with: the request it answers. */
export function requestLines(r: { requestId: string; receivedOn: string; channel: Channel; requester: string; purpose: string }): LetterLine[] {
  return [
    { label: 'Số phiếu yêu cầu', value: r.requestId },
    { label: 'Ngày tiếp nhận', value: `${dateVi(r.receivedOn)} (${CHANNEL_VI[r.channel]})` },
    { label: 'Người yêu cầu', value: r.requester },
    { label: 'Mục đích, lý do', value: r.purpose },
  ];
}

/** The lines of a refusal: the request, then each reason numbered. */
export function refusalLines(request: LetterLine[], reasons: readonly string[]): LetterLine[] {
  return [...request, ...reasons.map((value, i) => ({ label: `Lý do từ chối ${i + 1}`, value }))];
}

/** The lines of a reply: the request, then each group asked with its lines under its heading. */
export function replyLines(request: LetterLine[], data: ReadonlyArray<{ group: FieldGroup; lines: LetterLine[] }>): LetterLine[] {
  const out = [...request];
  for (const { group, lines } of data) {
    out.push({ label: FIELD_GROUP_VI[group], value: lines.length === 0 ? 'Không có thông tin' : `${lines.length} mục` });
    out.push(...lines);
  }
  return out;
}

export const REPLY_BODY =
  'Cơ quan quản lý cơ sở dữ liệu quốc gia về dân cư cung cấp các thông tin nêu trên theo yêu cầu bằng văn bản (Luật Căn cước, Điều 10 khoản 5 điểm c; Nghị định 70/2024/NĐ-CP, Điều 10 khoản 2). Người nhận chỉ được sử dụng thông tin đúng mục đích đã nêu.';
export const REFUSAL_BODY =
  'Cơ quan quản lý cơ sở dữ liệu quốc gia về dân cư từ chối cung cấp thông tin theo yêu cầu bằng văn bản vì các lý do nêu trên (Nghị định 70/2024/NĐ-CP, Điều 10 khoản 2).';
