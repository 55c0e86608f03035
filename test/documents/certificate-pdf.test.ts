/**
 * The PDF is checked the way a reader's tools see it — the extracted text, the document
 * information and the rendered page, not pdfkit's internals — with pdfjs-dist (test/support/pdf.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderCertificatePdf, certificateText, vietnameseDate, type CertificateDocument } from '../../src/documents/certificate-pdf.js';
import { decodeQrImage, renderQrPng } from '../../src/documents/qr-image.js';
import { contentDigest, generateSigningKey, keyRing, signStatement, verifyStatement } from '../../src/documents/signed-statement.js';
import { pdfInfo, pdfPagesPng, pdfText } from '../support/pdf.js';

/** The reader puts line breaks where the PDF wraps; compare with white space folded. */
const fold = (s: string) => s.replace(/\s+/gu, ' ').trim();

const KEY = generateSigningKey();

/** Synthetic person; the ID agrees with sex and birth year (vn-domain §2.7). */
const BASE: Omit<CertificateDocument, 'qrPng'> = {
  title: 'GIẤY XÁC NHẬN SỐ CHỨNG MINH NHÂN DÂN',
  issuer: 'BỘ CÔNG AN\nCỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI',
  number: '2024/XN-000123',
  issuedOn: '2024-07-01',
  place: 'Hà Nội',
  lines: [
    { label: 'Họ, chữ đệm và tên', value: 'NGUYỄN THỊ ÁNH TUYẾT' },
    { label: 'Ngày, tháng, năm sinh', value: '12/05/1990' },
    { label: 'Giới tính', value: 'Nữ' },
    { label: 'Số CMND đã được cấp', value: '012345678' },
    { label: 'Số định danh cá nhân', value: '001190012345' },
    { label: 'Nơi thường trú', value: 'Số 12, ngõ 3, phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội' },
  ],
  body: 'Số chứng minh nhân dân 9 số và số định danh cá nhân nêu trên là của cùng một công dân. Giấy xác nhận này có giá trị sử dụng trong các giao dịch, thủ tục hành chính.',
  signerTitle: 'CỤC TRƯỞNG',
  verifyUrl: 'https://dancu.example.vn/kiem-tra',
};

async function build(base: Omit<CertificateDocument, 'qrPng'>): Promise<{ doc: CertificateDocument; statement: string }> {
  const statement = signStatement({ no: base.number, kind: 'CMND_CONFIRMATION', pid: '001190012345', iss: base.issuedOn, dg: contentDigest(certificateText(base)) }, KEY);
  return { doc: { ...base, qrPng: await renderQrPng(statement) }, statement };
}

async function decodePages(pdf: Buffer, dpi = 150): Promise<string[]> {
  return (await pdfPagesPng(pdf, dpi)).map((png) => decodeQrImage(png)).flatMap((r) => (r.ok ? [r.text] : []));
}

describe('renderCertificatePdf', () => {
  it('renders a PDF whose extracted text has the header, title, number, date and every line (NFC)', async () => {
    const { doc } = await build(BASE);
    const pdf = await renderCertificatePdf(doc);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const raw = await pdfText(pdf);
    assert.equal(raw, raw.normalize('NFC'), 'extracted text is NFC');
    const text = fold(raw);
    for (const s of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'BỘ CÔNG AN',
      'CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI',
      BASE.title,
      `Số: ${BASE.number}`,
      'Hà Nội, ngày 01 tháng 7 năm 2024',
      ...BASE.lines.map((l) => `${l.label}: ${l.value}`),
      BASE.body ?? '',
      'CỤC TRƯỞNG',
      BASE.verifyUrl,
    ]) {
      assert.ok(text.includes(fold(s)), `missing: ${s}`);
    }
  });

  it('sets the metadata', async () => {
    const { doc } = await build(BASE);
    const info = await pdfInfo(await renderCertificatePdf(doc));
    assert.equal(info.title, BASE.title);
    assert.equal(info.subject, '2024/XN-000123');
    assert.equal(info.creator, 'dancu');
    assert.equal(info.pages, 1);
    // A4 is 595.28 x 841.89 pt.
    const [[w, h]] = info.pageSizes as [[number, number]];
    assert.ok(Math.abs(w - 595.28) < 0.01 && Math.abs(h - 841.89) < 0.01, `page size ${w} x ${h}`);
  });

  it('carries a QR that decodes from the rendered page to the signed statement', async () => {
    const { doc, statement } = await build(BASE);
    const [found] = await decodePages(await renderCertificatePdf(doc));
    assert.equal(found, statement);
    const v = verifyStatement(found ?? '', keyRing([KEY.publicKeyPem]));
    assert.ok(v.ok);
    assert.equal(v.claims.dg, contentDigest(certificateText(BASE)));
  });

  it('keeps the QR readable when the page is rendered at other resolutions', async () => {
    // Screens and scanners render at many resolutions; each gives modules of a different pixel size.
    const { doc, statement } = await build({ ...BASE, number: '2025/TB-987654' });
    const pdf = await renderCertificatePdf(doc);
    for (const dpi of [100, 120, 200, 300]) assert.deepEqual(await decodePages(pdf, dpi), [statement], `${dpi} dpi`);
  });

  it('normalises NFD input so the printed text is NFC', async () => {
    const nfd: Omit<CertificateDocument, 'qrPng'> = {
      ...BASE,
      title: 'THÔNG BÁO SỐ ĐỊNH DANH CÁ NHÂN'.normalize('NFD'),
      lines: BASE.lines.map((l) => ({ label: l.label.normalize('NFD'), value: l.value.normalize('NFD') })),
    };
    const { doc } = await build(nfd);
    const text = fold(await pdfText(await renderCertificatePdf(doc)));
    assert.ok(text.includes('THÔNG BÁO SỐ ĐỊNH DANH CÁ NHÂN'));
    for (const l of BASE.lines) assert.ok(text.includes(fold(`${l.label}: ${l.value}`)), l.label);
    assert.equal(certificateText(nfd), certificateText({ ...BASE, title: 'THÔNG BÁO SỐ ĐỊNH DANH CÁ NHÂN' }));
  });

  it('flows long content onto a second page and still prints a readable QR', async () => {
    const long = { ...BASE, lines: Array.from({ length: 40 }, (_, i) => ({ label: `Dòng ${i + 1}`, value: `Giá trị thứ ${i + 1}` })) };
    const { doc, statement } = await build(long);
    const pdf = await renderCertificatePdf(doc);
    assert.equal((await pdfInfo(pdf)).pages, 2);
    assert.deepEqual(await decodePages(pdf), [statement]);
  });

  it('is byte-for-byte deterministic with a fixed creation date', async () => {
    const { doc } = await build(BASE);
    const creationDate = new Date('2024-07-01T01:02:03Z');
    const a = await renderCertificatePdf(doc, { creationDate });
    const b = await renderCertificatePdf(doc, { creationDate });
    assert.ok(a.equals(b));
  });

  it('rejects an invalid issue date', async () => {
    const { doc } = await build(BASE);
    await assert.rejects(renderCertificatePdf({ ...doc, issuedOn: '2024-02-30' }), RangeError);
  });
});

describe('vietnameseDate', () => {
  it('pads days below 10 and months below 3 only (NĐ 30/2020)', () => {
    assert.equal(vietnameseDate('2024-07-01'), 'ngày 01 tháng 7 năm 2024');
    assert.equal(vietnameseDate('2024-02-15'), 'ngày 15 tháng 02 năm 2024');
    assert.equal(vietnameseDate('2024-12-31'), 'ngày 31 tháng 12 năm 2024');
    assert.throws(() => vietnameseDate('01/07/2024'), RangeError);
  });
});
