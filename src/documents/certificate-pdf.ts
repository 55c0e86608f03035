/**
 * A4 certificates in Vietnamese (e.g. the old-CMND confirmation, the personal-ID notice), laid
 * out like an administrative document: issuing body top left, national header top right, title,
 * labelled lines, closing paragraph, and the signed QR with instructions for checking it.
 *
 * The fonts are DejaVu Sans from assets/fonts (see assets/fonts/PROVENANCE.md): PDF's standard
 * 14 fonts have no Vietnamese glyphs. pdfkit embeds only the glyphs used (a subset) with a
 * ToUnicode map, so text extraction (pdftotext, screen readers, copy/paste) gives back the same
 * Unicode text.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { isValidFullDate } from '../domain/dates/partial-date.js';
import { normalizeText } from '../domain/text/normalize.js';

export interface CertificateLine {
  label: string;
  value: string;
}

export interface CertificateDocument {
  /** e.g. "GIẤY XÁC NHẬN SỐ CHỨNG MINH NHÂN DÂN"; printed in capitals as given. */
  title: string;
  /** Issuing body; "\n" separates levels, e.g. "BỘ CÔNG AN\nCỤC CẢNH SÁT QLHC VỀ TTXH". */
  issuer: string;
  /** Certificate number, printed as "Số: …" and used as the PDF Subject. */
  number: string;
  /** ISO date YYYY-MM-DD. */
  issuedOn: string;
  /** Place written before the date ("Hà Nội, ngày …"); omitted when absent. */
  place?: string;
  lines: CertificateLine[];
  /** Closing paragraph. */
  body?: string;
  /** Signer's title under the date, e.g. "CỤC TRƯỞNG". */
  signerTitle?: string;
  /** The QR image, from renderQrPng(signedStatement). */
  qrPng: Buffer;
  /** Where a reader can check the certificate online. */
  verifyUrl: string;
}

export interface RenderPdfOptions {
  /** Fix the PDF creation date; with it, the same document renders to the same bytes. */
  creationDate?: Date;
}

/**
 * src/documents/x.ts and dist/documents/x.js are both two levels below the package root, so the
 * same relative URL finds assets/ under tsx and under the built code.
 */
const FONT_DIR = new URL('../../assets/fonts/', import.meta.url);
export const FONT_REGULAR = fileURLToPath(new URL('DejaVuSans.ttf', FONT_DIR));
export const FONT_BOLD = fileURLToPath(new URL('DejaVuSans-Bold.ttf', FONT_DIR));

const NATION = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const MOTTO = 'Độc lập - Tự do - Hạnh phúc';

/** A4 in points; 2 cm side margins as in government documents (NĐ 30/2020 asks 2–3 cm). */
const PAGE_W = 595.28;
const MARGIN = 57;
const LEFT_W = 215;
const RIGHT_X = MARGIN + LEFT_W + 8;
const RIGHT_W = PAGE_W - MARGIN - RIGHT_X;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const QR_SIZE = 150; // ≈ 53 mm: a ~77-module statement QR (version 13–14) then has modules of ~0.7 mm

/**
 * "ngày 01 tháng 7 năm 2024": NĐ 30/2020 writes a leading zero for days below 10 and months below 3
 * only (so that "tháng 1" cannot be extended into "tháng 11" by hand).
 */
export function vietnameseDate(iso: string): string {
  if (!isValidFullDate(iso)) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const day = String(d).padStart(2, '0');
  const month = m < 3 ? String(m).padStart(2, '0') : String(m);
  return `ngày ${day} tháng ${month} năm ${y}`;
}

/**
 * The certificate's text content in a fixed order, one item a line, each normalised (NFC, folded
 * spaces). Sign contentDigest(certificateText(doc)) in the QR claims; a verifier rebuilds the same
 * text from the record and compares.
 */
export function certificateText(doc: Omit<CertificateDocument, 'qrPng' | 'verifyUrl'>): string {
  const out = [
    normalizeText(doc.issuer),
    `Số: ${normalizeText(doc.number)}`,
    normalizeText(doc.title),
    doc.issuedOn,
    ...doc.lines.map((l) => `${normalizeText(l.label)}: ${normalizeText(l.value)}`),
  ];
  if (doc.body !== undefined) out.push(normalizeText(doc.body));
  return out.join('\n');
}

function assertFonts(): void {
  for (const f of [FONT_REGULAR, FONT_BOLD]) {
    if (!existsSync(f)) throw new Error(`font missing: ${f} (assets/fonts must ship with the package)`);
  }
}

/** Renders the certificate to a one-page (longer if the lines overflow) A4 PDF. */
export async function renderCertificatePdf(input: CertificateDocument, opts: RenderPdfOptions = {}): Promise<Buffer> {
  assertFonts();
  const vietDate = vietnameseDate(input.issuedOn); // validates before any work
  const title = normalizeText(input.title);
  const number = normalizeText(input.number);
  const issuerLines = input.issuer.split('\n').map(normalizeText).filter((s) => s !== '');

  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    font: FONT_REGULAR, // also keeps pdfkit from loading Helvetica, which has no Vietnamese
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: title,
      Subject: number,
      Author: issuerLines.join(' - '),
      Creator: 'dancu',
      ...(opts.creationDate ? { CreationDate: opts.creationDate } : {}),
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const top = MARGIN;
  // Left column: issuing body (upper levels regular, the issuing unit itself bold), then number.
  pdf.fontSize(10.5);
  issuerLines.forEach((line, i) => {
    pdf.font(i === issuerLines.length - 1 ? FONT_BOLD : FONT_REGULAR);
    pdf.text(line, MARGIN, i === 0 ? top : undefined, { width: LEFT_W, align: 'center' });
  });
  rule(pdf, MARGIN + LEFT_W / 2, pdf.y + 3, 60);
  pdf.font(FONT_REGULAR).fontSize(11).text(`Số: ${number}`, MARGIN, pdf.y + 10, { width: LEFT_W, align: 'center' });
  const leftBottom = pdf.y;

  // Right column: national header, motto underlined, place and date.
  pdf.font(FONT_BOLD).fontSize(10.5).text(NATION, RIGHT_X, top, { width: RIGHT_W, align: 'center' });
  pdf.fontSize(11.5).text(MOTTO, RIGHT_X, pdf.y + 1, { width: RIGHT_W, align: 'center' });
  rule(pdf, RIGHT_X + RIGHT_W / 2, pdf.y + 2, pdf.widthOfString(MOTTO));
  const place = input.place !== undefined ? `${normalizeText(input.place)}, ` : '';
  pdf.font(FONT_REGULAR).fontSize(11).text(`${place}${vietDate}`, RIGHT_X, pdf.y + 10, { width: RIGHT_W, align: 'center' });

  // Title and lines.
  pdf.font(FONT_BOLD).fontSize(15).text(title, MARGIN, Math.max(leftBottom, pdf.y) + 30, { width: CONTENT_W, align: 'center' });
  pdf.moveDown(1.2);
  pdf.fontSize(12);
  for (const line of input.lines) {
    // Label regular, value bold, on one text line so extraction keeps "label: value" together.
    pdf.font(FONT_REGULAR).text(`${normalizeText(line.label)}: `, MARGIN, undefined, { width: CONTENT_W, continued: true });
    pdf.font(FONT_BOLD).text(normalizeText(line.value), { width: CONTENT_W });
    pdf.moveDown(0.35);
  }
  if (input.body !== undefined) {
    pdf.moveDown(0.6);
    pdf.font(FONT_REGULAR).fontSize(12).text(normalizeText(input.body), MARGIN, undefined, { width: CONTENT_W, align: 'justify', lineGap: 2 });
  }

  // QR (left) and signer (right) share one band; start a new page if the band does not fit.
  const bandH = QR_SIZE + 70;
  let y = pdf.y + 24;
  if (y + bandH > pdf.page.height - MARGIN) {
    pdf.addPage();
    y = MARGIN;
  }
  if (input.signerTitle !== undefined) {
    pdf.font(FONT_BOLD).fontSize(12).text(normalizeText(input.signerTitle), RIGHT_X, y, { width: RIGHT_W, align: 'center' });
  }
  pdf.image(input.qrPng, MARGIN, y, { width: QR_SIZE, height: QR_SIZE });
  const caption =
    'Mã QR chứa thông tin của giấy này, có chữ ký số của cơ quan cấp. Kiểm tra: quét mã QR bằng ' +
    `ứng dụng kiểm tra, hoặc truy cập ${normalizeText(input.verifyUrl)} và nhập số ${number}. ` +
    'Thông tin hiển thị khi kiểm tra phải trùng với nội dung in trên giấy.';
  pdf.font(FONT_REGULAR).fontSize(8.5).text(caption, MARGIN, y + QR_SIZE + 4, { width: CONTENT_W, lineGap: 1 });
  // Full width so the URL stays on one line: a URL broken at its hyphen is mistyped by readers (and
  // pdftotext even drops the hyphen when it rejoins the line).
  pdf.fontSize(7.5).fillColor('#444444').text(`To verify: scan the QR code or visit ${normalizeText(input.verifyUrl)}`, MARGIN, undefined, { width: CONTENT_W });

  pdf.end();
  return done;
}

/** A short horizontal rule centred on cx (the underline below headings in Vietnamese documents). */
function rule(pdf: PDFKit.PDFDocument, cx: number, y: number, width: number): void {
  pdf.save().lineWidth(0.7).moveTo(cx - width / 2, y).lineTo(cx + width / 2, y).stroke().restore();
}
