/**
 * Signed certificates: the confirmation of the old CMND number (Giấy xác nhận số CMND) and the
 * notice of the personal ID number (Thông báo số định danh cá nhân). Each has a random,
 * unguessable number, its printed lines stored as issued, and a QR holding a signed statement
 * whose claims include a digest of the printed text: an altered certificate fails offline too.
 */
import { randomBytes } from 'node:crypto';
import { dateVi, dayOf } from '../domain/dates/partial-date.js';
import { normalizeText } from '../domain/text/normalize.js';
import { RegistryError } from '../domain/errors/registry-error.js';
import type { Citizen } from '../domain/citizen/citizen.js';
import { certificateText, type CertificateDocument, type CertificateLine } from '../documents/certificate-pdf.js';
import { contentDigest, signStatement, verifyStatement, type StatementClaims } from '../documents/signed-statement.js';
import { findCertificate, insertCertificate, listCertificatesOf, type StoredCertificate } from '../store/repositories/certificates.js';
import { numbersOfPerson } from '../store/repositories/personal-ids.js';
import type { CategoryCatalogue } from './categories.js';
import type { Actor, ServiceContext } from './context.js';
import type { SigningKeys } from './signing-keys.js';
import type { Db } from '../store/schema.js';
import { getCurrent } from './citizens/change.js';
import { REFUSAL_BODY, REPLY_BODY } from '../domain/written-requests/rules.js';

export type CertificateKind = 'LEGACY_ID_CONFIRMATION' | 'PERSONAL_ID_NOTICE' | 'RESIDENCE_CONFIRMATION' | 'WRITTEN_REQUEST_REPLY' | 'WRITTEN_REQUEST_REFUSAL';

const KINDS: Record<CertificateKind, { prefix: string; title: string; body: string }> = {
  LEGACY_ID_CONFIRMATION: {
    prefix: 'XNCMND',
    title: 'GIẤY XÁC NHẬN SỐ CHỨNG MINH NHÂN DÂN',
    body: 'Số chứng minh nhân dân 09 số và số định danh cá nhân nêu trên là của cùng một công dân. Giấy xác nhận này có giá trị khi thực hiện các thủ tục hành chính, giao dịch dân sự.',
  },
  PERSONAL_ID_NOTICE: {
    prefix: 'TBSDD',
    title: 'THÔNG BÁO SỐ ĐỊNH DANH CÁ NHÂN VÀ THÔNG TIN CÔNG DÂN TRONG CƠ SỞ DỮ LIỆU QUỐC GIA VỀ DÂN CƯ',
    body: 'Công dân được sử dụng Thông báo này để chứng minh về số định danh cá nhân và thông tin của mình trong Cơ sở dữ liệu quốc gia về dân cư.',
  },
  // Form CT07 (TT 56/2021 as amended by TT 66/2023): valid 1 year, lapses when residence data changes.
  RESIDENCE_CONFIRMATION: {
    prefix: 'XNCUTR',
    title: 'XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ',
    body: 'Xác nhận này có giá trị 01 năm kể từ ngày cấp và hết giá trị khi thông tin về cư trú của công dân thay đổi. Kiểm tra giá trị tại địa chỉ in trên giấy hoặc bằng mã QR.',
  },
  // Answers to written requests for a citizen's data (decision 0040; services/written-requests/).
  WRITTEN_REQUEST_REPLY: { prefix: 'TLYCTT', title: 'VĂN BẢN CUNG CẤP THÔNG TIN TRONG CƠ SỞ DỮ LIỆU QUỐC GIA VỀ DÂN CƯ', body: REPLY_BODY },
  WRITTEN_REQUEST_REFUSAL: { prefix: 'TCYCTT', title: 'VĂN BẢN TỪ CHỐI CUNG CẤP THÔNG TIN TRONG CƠ SỞ DỮ LIỆU QUỐC GIA VỀ DÂN CƯ', body: REFUSAL_BODY },
};

export const ISSUER = 'BỘ CÔNG AN\nCỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI';
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** e.g. XNCMND-2026-7K3M9QPA: 40 random bits, so numbers cannot be enumerated. */
export function newCertificateNumber(kind: CertificateKind, year: number): string {
  const bytes = randomBytes(8);
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[bytes[i]! & 31];
  return `${KINDS[kind].prefix}-${year}-${s}`;
}

const SEX_VI = { male: 'Nam', female: 'Nữ' } as const;

export { dateVi };

/** The holder lines every certificate starts with. */
export function holderLines(c: Citizen): CertificateLine[] {
  return [
    { label: 'Họ, chữ đệm và tên', value: c.fullName },
    { label: 'Ngày, tháng, năm sinh', value: dateVi(c.dateOfBirth) },
    { label: 'Giới tính', value: SEX_VI[c.sex] },
    { label: 'Số định danh cá nhân', value: c.personalId },
  ];
}

function linesFor(kind: CertificateKind, c: Citizen, catalogue: CategoryCatalogue, date: string): CertificateLine[] {
  const lines = holderLines(c);
  if (kind === 'LEGACY_ID_CONFIRMATION') lines.push({ label: 'Số Chứng minh nhân dân', value: c.legacyIdNumber! });
  if (kind === 'PERSONAL_ID_NOTICE') lines.push({ label: 'Nơi đăng ký khai sinh', value: catalogue.formatAddress(c.birthRegistrationPlace, date).text });
  if (c.permanentResidence) lines.push({ label: 'Nơi thường trú', value: catalogue.formatAddress(c.permanentResidence, date).text });
  return lines;
}

export interface CertificateView {
  number: string;
  kind: CertificateKind;
  personalId: string;
  issuedOn: string;
  title: string;
  lines: CertificateLine[];
  statement: string;
  revoked: boolean;
}

function toView(c: StoredCertificate): CertificateView {
  const content = c.content as { title: string; lines: CertificateLine[] };
  return {
    number: c.number,
    kind: c.kind as CertificateKind,
    personalId: c.personalId,
    issuedOn: c.issuedAt.slice(0, 10),
    title: content.title,
    lines: content.lines,
    statement: c.statement,
    revoked: Boolean(c.revokedAt),
  };
}

function documentOf(v: CertificateView): Omit<CertificateDocument, 'qrPng' | 'verifyUrl'> {
  return { title: v.title, issuer: ISSUER, number: v.number, issuedOn: v.issuedOn, lines: v.lines, body: KINDS[v.kind].body };
}

export async function issueCertificate(
  ctx: ServiceContext,
  catalogue: CategoryCatalogue,
  keys: SigningKeys,
  actor: Actor,
  personalId: string,
  kind: 'LEGACY_ID_CONFIRMATION' | 'PERSONAL_ID_NOTICE',
): Promise<CertificateView> {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const citizen = await getCurrent(tx, personalId);
    if (kind === 'LEGACY_ID_CONFIRMATION' && !citizen.legacyIdNumber) throw new RegistryError('NO_LEGACY_ID');
    return recordCertificate(tx, keys, actor, { personalId: citizen.personalId, kind, lines: linesFor(kind, citizen, catalogue, dayOf(now)), now });
  });
}

/**
 * Numbers, signs and stores a certificate with the given printed lines, in the caller's
 * transaction. `extra` is stored beside the lines (e.g. what a CT07's validity depends on).
 */
export async function recordCertificate(
  tx: Db,
  keys: SigningKeys,
  actor: Actor,
  c: { personalId: string; kind: CertificateKind; lines: CertificateLine[]; now: Date; extra?: Record<string, unknown> },
): Promise<CertificateView> {
  const issuedOn = dayOf(c.now);
  const view: CertificateView = {
    number: newCertificateNumber(c.kind, c.now.getUTCFullYear()),
    kind: c.kind,
    personalId: c.personalId,
    issuedOn,
    title: KINDS[c.kind].title,
    lines: c.lines,
    statement: '',
    revoked: false,
  };
  const claims: StatementClaims = { n: view.number, k: c.kind, p: c.personalId, d: issuedOn, h: textDigest(certificateText(documentOf(view))) };
  view.statement = signStatement(claims, keys.active);
  await insertCertificate(tx, {
    personalId: c.personalId,
    number: view.number,
    kind: c.kind,
    issuedAt: c.now.toISOString(),
    issuedBy: actor.principalId,
    content: { title: view.title, lines: view.lines, ...c.extra },
    statement: view.statement,
    keyId: keys.active.kid,
  });
  return view;
}

export async function getCertificate(ctx: ServiceContext, number: string): Promise<CertificateView> {
  const c = await findCertificate(ctx.store.db, number);
  if (!c) throw new RegistryError('CERTIFICATE_NOT_FOUND');
  return toView(c);
}

/** The documents a citizen may ask for themselves (CT07, old-CMND confirmation, personal-ID notice). */
export const SELF_SERVICE_KINDS = ['RESIDENCE_CONFIRMATION', 'LEGACY_ID_CONFIRMATION', 'PERSONAL_ID_NOTICE'] as const satisfies readonly CertificateKind[];

/** A person's own documents of those kinds, newest first: issued under any number they have held. */
export async function listOwnCertificates(ctx: ServiceContext, personalId: string): Promise<CertificateView[]> {
  return (await listCertificatesOf(ctx.store.db, await numbersOfPerson(ctx.store.db, personalId), SELF_SERVICE_KINDS)).map(toView);
}

/**
 * One of a person's own documents (issued under any number they have held); another's (or a letter)
 * is not found, so numbers reveal nothing.
 */
export async function getOwnCertificate(ctx: ServiceContext, personalId: string, number: string): Promise<CertificateView> {
  const c = await findCertificate(ctx.store.db, number);
  if (!c || !(await numbersOfPerson(ctx.store.db, personalId)).includes(c.personalId) || !(SELF_SERVICE_KINDS as readonly string[]).includes(c.kind)) throw new RegistryError('CERTIFICATE_NOT_FOUND');
  return toView(c);
}

/** The PDF of a certificate, by number or from its view already read. */
export async function certificatePdf(ctx: ServiceContext, certificate: string | CertificateView, verifyBaseUrl: string): Promise<Buffer> {
  const v = typeof certificate === 'string' ? await getCertificate(ctx, certificate) : certificate;
  // Drawing the QR code and laying out the PDF run in the worker pool, off the event loop.
  return ctx.cpu.certificatePdf(
    { ...documentOf(v), verifyUrl: `${verifyBaseUrl}/certificates/${encodeURIComponent(v.number)}/verification` },
    v.statement,
    new Date(`${v.issuedOn}T00:00:00Z`),
  );
}

/**
 * The digest signed in the statement covers the printed text with white space folded, so line
 * breaks (lost when text is retyped or sent through the API's boundary normalisation) do not matter
 * but every word and diacritic does.
 */
function textDigest(text: string): string {
  return contentDigest(normalizeText(text));
}

/** Whether `printedText` (as a verifier read it; white space does not matter) is what `v` printed. */
export function printedTextMatches(v: CertificateView, printedText: string): boolean {
  return textDigest(printedText) === textDigest(printedTextOf(v));
}

export interface StatementCheck {
  signatureValid: boolean;
  reason?: string;
  keyId?: string;
  claims?: StatementClaims;
  /** Whether the registry holds a certificate with these claims (online part of the check). */
  registered?: boolean;
  revoked?: boolean;
  /** When the printed text is given: whether its digest matches the signed claim. */
  textMatches?: boolean;
}

/** Checks a scanned statement: the signature (offline part) and, if known, the registry's record. */
export async function checkStatement(ctx: ServiceContext, keys: SigningKeys, statement: string, printedText?: string): Promise<StatementCheck> {
  const r = verifyStatement(statement, await keys.ring());
  if (!r.ok) return { signatureValid: false, reason: r.reason };
  const out: StatementCheck = { signatureValid: true, keyId: r.kid, claims: r.claims };
  const number = typeof r.claims.n === 'string' ? r.claims.n : undefined;
  const stored = number ? await findCertificate(ctx.store.db, number) : undefined;
  out.registered = Boolean(stored && stored.statement === statement);
  if (stored) out.revoked = Boolean(stored.revokedAt);
  if (printedText !== undefined) out.textMatches = textDigest(printedText) === r.claims.h;
  return out;
}

/** The text whose digest the statement signs, for a certificate as issued. */
export function printedTextOf(v: CertificateView): string {
  return certificateText(documentOf(v));
}
