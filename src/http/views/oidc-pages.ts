/**
 * The pages a citizen sees while a public-service portal signs them in through dancu (decision
 * 0043): sign-in, the one-time code, consent, and messages. Server-rendered, Vietnamese first with
 * English by a link (`lang`), usable without JavaScript: no scripts at all, no inline styles (one
 * style sheet served by dancu, CSP without 'unsafe-inline'), every form with the interaction's CSRF
 * token, and nothing personal in a URL (forms are POSTed).
 */
import { CLAIM_WORDS, type ConsentItem } from '../../domain/oidc/claims.js';

export type Lang = 'vi' | 'en';

export const STYLESHEET_PATH = '/oidc/assets/pages.css';

export const STYLESHEET = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f23}
main{max-width:32rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:6px;border:1px solid #d0d4d9}
h1{font-size:1.35rem;margin-top:0}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #8a9099;border-radius:4px}
button{margin-top:1rem;padding:.55rem 1.1rem;font-size:1rem;border-radius:4px;border:1px solid #0b5394;background:#0b5394;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5394}.error{color:#a40000;font-weight:600}.note{color:#50565e;font-size:.9rem}
ul.claims{list-style:none;padding:0}ul.claims li{padding:.4rem 0;border-bottom:1px solid #eceef1}.required{color:#a40000;font-size:.85rem}
nav.lang{text-align:right;font-size:.9rem}.rp{font-weight:600}
`;

const T = {
  title: { vi: 'Đăng nhập bằng tài khoản định danh điện tử', en: 'Sign in with your e-ID account' },
  forRp: { vi: 'để sử dụng dịch vụ', en: 'to use the service' },
  personalId: { vi: 'Số định danh cá nhân', en: 'Personal ID number' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
  codeTitle: { vi: 'Nhập mã xác thực', en: 'Enter your one-time code' },
  codeSent: { vi: 'Mã gồm 6 chữ số đã được gửi bằng tin nhắn SMS đến số', en: 'A 6-digit code was sent by SMS to' },
  codeTotp: { vi: 'Nhập mã 6 chữ số từ ứng dụng xác thực của bạn.', en: 'Enter the 6-digit code from your authenticator app.' },
  code: { vi: 'Mã xác thực', en: 'One-time code' },
  confirm: { vi: 'Xác nhận', en: 'Confirm' },
  resend: { vi: 'Gửi lại mã', en: 'Send the code again' },
  consentTitle: { vi: 'Cho phép chia sẻ thông tin', en: 'Allow sharing your data' },
  consentAsks: { vi: 'yêu cầu các thông tin sau của bạn. Bỏ chọn thông tin bạn không muốn chia sẻ.', en: 'asks for the following data about you. Untick what you do not want to share.' },
  required: { vi: 'bắt buộc', en: 'required' },
  requiredNote: { vi: 'Thông tin bắt buộc: nếu bỏ chọn, dịch vụ sẽ không thể đăng nhập cho bạn.', en: 'Required data: if you untick it, the service cannot sign you in.' },
  purpose: { vi: 'Mục đích', en: 'Purpose' },
  allow: { vi: 'Đồng ý', en: 'Allow' },
  deny: { vi: 'Từ chối', en: 'Refuse' },
  nothing: { vi: 'Dịch vụ chỉ nhận một mã định danh riêng cho dịch vụ này, không kèm thông tin cá nhân.', en: 'The service receives only an identifier of its own for you, no personal data.' },
  errorTitle: { vi: 'Không thể tiếp tục', en: 'This cannot go on' },
  logoutTitle: { vi: 'Đăng xuất', en: 'Sign out' },
  logoutAsk: { vi: 'Bạn có muốn đăng xuất khỏi tài khoản định danh điện tử trên trình duyệt này?', en: 'Do you want to sign out of your e-ID account in this browser?' },
  yes: { vi: 'Đăng xuất', en: 'Sign out' },
  loggedOut: { vi: 'Bạn đã đăng xuất.', en: 'You are signed out.' },
  other: { vi: 'English', en: 'Tiếng Việt' },
} as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function page(lang: Lang, title: string, body: string, selfPath?: string): string {
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  const switcher = selfPath ? `<nav class="lang"><a href="${escapeHtml(selfPath)}?lang=${other}" hreflang="${other}">${T.other[lang]}</a></nav>` : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="${STYLESHEET_PATH}"></head><body><main>${switcher}<h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;

export interface FormContext {
  lang: Lang;
  /** The interaction's own path (forms post to sub-paths of it). */
  path: string;
  csrf: string;
  clientName: string;
  error?: string | undefined;
}

const errorLine = (e?: string) => (e ? `<p class="error" role="alert">${escapeHtml(e)}</p>` : '');

export function signInPage(f: FormContext): string {
  const l = f.lang;
  return page(
    l,
    T.title[l],
    `<p>${T.forRp[l]} <span class="rp">${escapeHtml(f.clientName)}</span></p>${errorLine(f.error)}
<form method="post" action="${escapeHtml(f.path)}/sign-in">${hidden('csrf', f.csrf)}${hidden('lang', l)}
<label for="personalId">${T.personalId[l]}</label><input type="text" id="personalId" name="personalId" inputmode="numeric" autocomplete="username" required>
<label for="password">${T.password[l]}</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">${T.signIn[l]}</button></form>
<form method="post" action="${escapeHtml(f.path)}/abort">${hidden('csrf', f.csrf)}<button type="submit" class="secondary">${T.cancel[l]}</button></form>`,
    f.path,
  );
}

export function codePage(f: FormContext & { sentTo?: string | undefined }): string {
  const l = f.lang;
  const how = f.sentTo ? `<p>${T.codeSent[l]} ${escapeHtml(f.sentTo)}.</p>` : `<p>${T.codeTotp[l]}</p>`;
  const resend = f.sentTo ? `<form method="post" action="${escapeHtml(f.path)}/resend">${hidden('csrf', f.csrf)}${hidden('lang', l)}<button type="submit" class="secondary">${T.resend[l]}</button></form>` : '';
  return page(
    l,
    T.codeTitle[l],
    `${how}${errorLine(f.error)}<form method="post" action="${escapeHtml(f.path)}/code">${hidden('csrf', f.csrf)}${hidden('lang', l)}
<label for="code">${T.code[l]}</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>
<button type="submit">${T.confirm[l]}</button></form>${resend}
<form method="post" action="${escapeHtml(f.path)}/abort">${hidden('csrf', f.csrf)}<button type="submit" class="secondary">${T.cancel[l]}</button></form>`,
  );
}

export function consentPage(f: FormContext & { items: ConsentItem[]; purpose: string }): string {
  const l = f.lang;
  const list = f.items.length
    ? `<ul class="claims">${f.items
        .map((i) => `<li><label><input type="checkbox" name="claim" value="${i.claim}" checked> ${escapeHtml(CLAIM_WORDS[i.claim][l])}${i.required ? ` <span class="required">(${T.required[l]})</span>` : ''}</label></li>`)
        .join('')}</ul>${f.items.some((i) => i.required) ? `<p class="note">${T.requiredNote[l]}</p>` : ''}`
    : `<p>${T.nothing[l]}</p>`;
  return page(
    l,
    T.consentTitle[l],
    `<p><span class="rp">${escapeHtml(f.clientName)}</span> ${T.consentAsks[l]}</p><p class="note">${T.purpose[l]}: ${escapeHtml(f.purpose)}</p>${errorLine(f.error)}
<form method="post" action="${escapeHtml(f.path)}/consent">${hidden('csrf', f.csrf)}${hidden('lang', l)}${list}
<button type="submit" name="decision" value="approve">${T.allow[l]}</button> <button type="submit" name="decision" value="deny" class="secondary">${T.deny[l]}</button></form>`,
    f.path,
  );
}

export function messagePage(lang: Lang, message: string): string {
  return page(lang, T.errorTitle[lang], `<p>${escapeHtml(message)}</p>`);
}

/** oidc-provider's sign-out form (its hidden inputs, id op.logoutForm) with dancu's buttons (no script). */
export function logoutPage(lang: Lang, form: string): string {
  return page(lang, T.logoutTitle[lang], `<p>${T.logoutAsk[lang]}</p>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">${T.yes[lang]}</button> <button type="submit" form="op.logoutForm" class="secondary">${T.cancel[lang]}</button>`);
}

export function loggedOutPage(lang: Lang): string {
  return page(lang, T.logoutTitle[lang], `<p>${T.loggedOut[lang]}</p>`);
}

/** The error page when the relying party cannot be told (its redirect URI is unknown): the code and description, escaped. */
export function oidcErrorPage(lang: Lang, out: { error: string; error_description?: string | undefined }): string {
  return page(lang, T.errorTitle[lang], `<p><code>${escapeHtml(out.error)}</code></p>${out.error_description ? `<p>${escapeHtml(out.error_description)}</p>` : ''}`);
}

export function langOf(value: unknown): Lang {
  return value === 'en' ? 'en' : 'vi';
}
