/**
 * The published syntax of the citizens' SMS service (issue 14): written once here, parsed by
 * commands.ts, served at GET /sms/help and quoted in the README. Keywords are Vietnamese first; each
 * is accepted with or without diacritics, in any case, with extra spaces, and with its words run
 * together ("CƯ TRÚ", "cu tru", "CUTRU"). Pure.
 */

export const SMS_COMMANDS = ['identity', 'residence', 'permanent', 'temporary', 'current', 'household', 'card', 'usage', 'lock', 'help'] as const;
export type SmsCommandName = (typeof SMS_COMMANDS)[number];

export interface SmsKeyword {
  command: SmsCommandName;
  /** The forms a citizen may type, as printed (the first is the short code shown in the help). */
  forms: readonly string[];
  /** What the reply carries, in Vietnamese. */
  meaning: string;
}

/** Every command and its forms; the first is the short code shown in the help. */
export const SMS_KEYWORDS: readonly SmsKeyword[] = [
  { command: 'identity', forms: ['CN', 'CÁ NHÂN', 'THÔNG TIN', 'THÔNG TIN CÁ NHÂN'], meaning: 'họ tên, ngày sinh, số định danh, số CMND cũ' },
  { command: 'residence', forms: ['CT', 'CƯ TRÚ', 'ĐỊA CHỈ'], meaning: 'nơi thường trú, tạm trú và nơi ở hiện tại' },
  { command: 'permanent', forms: ['CT TH', 'THƯỜNG TRÚ'], meaning: 'nơi thường trú' },
  { command: 'temporary', forms: ['CT TA', 'TẠM TRÚ'], meaning: 'nơi tạm trú' },
  { command: 'current', forms: ['CT HT', 'NƠI Ở', 'NƠI Ở HIỆN TẠI'], meaning: 'nơi ở hiện tại' },
  { command: 'household', forms: ['HK', 'HỘ', 'HỘ KHẨU', 'HỘ GIA ĐÌNH'], meaning: 'chủ hộ và các thành viên' },
  { command: 'card', forms: ['THẺ', 'CĂN CƯỚC', 'THẺ CĂN CƯỚC', 'CCCD'], meaning: 'tình trạng thẻ căn cước' },
  { command: 'usage', forms: ['NK', 'NHẬT KÝ', 'TRUY CẬP'], meaning: 'các lần gần nhất dữ liệu của bạn được sử dụng: ai, khi nào, vì sao' },
  // A lost phone: locks at once the e-ID accounts whose codes go to the number it is sent from (decision 0042).
  { command: 'lock', forms: ['KHÓA TK', 'KHÓA', 'KHÓA TÀI KHOẢN'], meaning: 'khóa ngay tài khoản định danh điện tử nhận mã qua số này (mất điện thoại); mở khóa trên cổng dịch vụ' },
  { command: 'help', forms: ['HD', 'HƯỚNG DẪN', 'TRỢ GIÚP', 'HELP', '?'], meaning: 'hướng dẫn này' },
];

/**
 * Answers to a message dancu sent, with the code it carried (decision 0044: an agency's consent
 * request); parsed by consent-reply.ts. Published so that the syntax is written in one place.
 */
export const ANSWER_FORMS: readonly { answer: 'approve' | 'refuse'; forms: readonly string[]; meaning: string }[] = [
  { answer: 'approve', forms: ['ĐỒNG Ý <mã>', 'DONGY <mã>'], meaning: 'đồng ý yêu cầu xin dữ liệu của cơ quan, tổ chức mà tin nhắn báo có mã này' },
  { answer: 'refuse', forms: ['TỪ CHỐI <mã>', 'TUCHOI <mã>'], meaning: 'từ chối yêu cầu đó' },
];

/** Typed after a command, asks for the reply without diacritics (GSM-7: more characters per SMS). */
export const UNACCENTED_FORMS = ['KD', 'KHÔNG DẤU'] as const;

/** May open any message (the service's keyword on a shared short code); ignored. */
export const SERVICE_PREFIXES = ['DANCU', 'DÂN CƯ'] as const;

/** How many of the last accesses the `usage` command lists. */
export const USAGE_ITEMS = 5;

/** The help text sent for HD and for anything not understood (Vietnamese, with diacritics). */
export function helpText(): string {
  const lines = SMS_KEYWORDS.filter((k) => k.command !== 'help').map((k) => `${k.forms[0]}: ${k.meaning}`);
  return [
    'Tra cứu dữ liệu dân cư của bạn, nhắn:',
    ...lines,
    `Thêm ${UNACCENTED_FORMS[0]} để nhận trả lời không dấu (vd: CN ${UNACCENTED_FORMS[0]}).`,
    'Chỉ trả lời cho số điện thoại đã đăng ký chính chủ.',
  ].join('\n');
}

/** The help as data, for GET /sms/help in JSON. */
export function helpDocument(): {
  keywords: { command: SmsCommandName; forms: string[]; meaning: string }[];
  answers: { answer: 'approve' | 'refuse'; forms: string[]; meaning: string }[];
  unaccented: string[];
  prefixes: string[];
  text: string;
} {
  return {
    keywords: SMS_KEYWORDS.map((k) => ({ command: k.command, forms: [...k.forms], meaning: k.meaning })),
    answers: ANSWER_FORMS.map((a) => ({ answer: a.answer, forms: [...a.forms], meaning: a.meaning })),
    unaccented: [...UNACCENTED_FORMS],
    prefixes: [...SERVICE_PREFIXES],
    text: helpText(),
  };
}
