/**
 * The citizen's answer to an agency's consent request by SMS (decision 0044): "DONGY <code>"
 * (approve) or "TUCHOI <code>" (refuse), the code the notice carried. Read like every command
 * (commands.ts): diacritics, case, spaces and punctuation do not matter ("Đồng ý ab23-cd45"). Pure.
 */
import { CONSENT_CODE } from '../exchange/consent.js';
import { compactForm } from './commands.js';

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
 * The reply (unaccented: it goes as GSM-7, like the notice). No personal data: the agency's name
 * only; a representative's answer is said to be for the person they represent.
 */
export function consentReplyText(outcome: 'approved' | 'refused' | 'unknown' | 'closed', agencyName?: string, onBehalf = false): string {
  const who = `${agencyName ? ` cua ${agencyName}` : ''}${onBehalf ? ' ve nguoi ban dai dien' : ''}`;
  if (outcome === 'approved') return `Ban da dong y yeu cau${who}. Rut lai: tren tai khoan dinh danh dien tu.`;
  if (outcome === 'refused') return `Ban da tu choi yeu cau${who}.`;
  if (outcome === 'closed') return `Yeu cau${who} khong con cho tra loi (da tra loi, da rut lai hoac het han).`;
  return 'Khong tim thay yeu cau xin y kien dong y voi ma nay cho so dien thoai nay.';
}
