/**
 * The SMS of an agency's consent request (decision 0044): the notice carrying the code; the
 * citizen's answer "DONGY <code>" (approve) or "TUCHOI <code>" (refuse), read like every command
 * (commands.ts): diacritics, case, spaces and punctuation do not matter ("Đồng ý ab23-cd45"); and
 * the reply to it. The notice and the reply go unaccented, the agency's name included, as an
 * unaccented reply does (replies.ts `variant`): GSM-7, 160 characters a part instead of 70. Pure.
 */
import { CONSENT_CODE } from '../exchange/consent.js';
import { compactForm } from './commands.js';
import { variant } from './replies.js';

export interface ConsentReply {
  answer: 'approve' | 'refuse';
  code: string;
}

const FORMS: readonly [string, ConsentReply['answer']][] = [
  ['dongy', 'approve'],
  ['tuchoi', 'refuse'],
];

export function parseConsentReply(text: string): ConsentReply | undefined {
  const key = compactForm(text);
  for (const [form, answer] of FORMS) {
    if (!key.startsWith(form)) continue;
    const code = key.slice(form.length).toUpperCase();
    return CONSENT_CODE.test(code) ? { answer, code } : undefined;
  }
  return undefined;
}

/**
 * The notice of a request: the agency's name and the code, nothing about the person; a
 * representative's says only that it concerns a person they represent.
 */
export function consentNoticeText(agencyName: string, code: string, onBehalf: boolean): string {
  const whose = onBehalf ? 'về việc sử dụng thông tin cá nhân của người bạn đại diện theo pháp luật' : 'của bạn về việc sử dụng thông tin cá nhân';
  return variant(`${agencyName} xin ý kiến đồng ý ${whose}. Mã ${code}. Trả lời DONGY ${code} hoặc TUCHOI ${code}, hoặc xem trên tài khoản định danh điện tử.`, true);
}

/** The reply to an answer. No personal data: the agency's name only; a representative's answer is said to be for the person they represent. */
export function consentReplyText(outcome: 'approved' | 'refused' | 'unknown' | 'closed', agencyName?: string, onBehalf = false): string {
  const who = `${agencyName ? ` của ${agencyName}` : ''}${onBehalf ? ' về người bạn đại diện' : ''}`;
  const text =
    outcome === 'approved'
      ? `Bạn đã đồng ý yêu cầu${who}. Rút lại: trên tài khoản định danh điện tử.`
      : outcome === 'refused'
        ? `Bạn đã từ chối yêu cầu${who}.`
        : outcome === 'closed'
          ? `Yêu cầu${who} không còn chờ trả lời (đã trả lời, đã rút lại hoặc hết hạn).`
          : 'Không tìm thấy yêu cầu xin ý kiến đồng ý với mã này cho số điện thoại này.';
  return variant(text, true);
}
