/**
 * Needs poppler-utils (pdftotext, pdfinfo, pdftoppm) on PATH — CI installs it
 * (`apt-get install -y poppler-utils`). The PDF is checked the way a reader's tools see it: the
 * extracted text and the rendered page, not pdfkit's internals.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCertificatePdf, certificateText, vietnameseDate, type CertificateDocument } from '../../src/documents/certificate-pdf.js';
import { decodeQrImage, renderQrPng } from '../../src/documents/qr-image.js';
import { contentDigest, generateSigningKey, keyRing, signStatement, verifyStatement } from '../../src/documents/signed-statement.js';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'dancu-pdf-'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function poppler(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${cmd} not found: install poppler-utils (apt-get install -y poppler-utils)`);
    throw err;
  }
}

let n = 0;
function save(pdf: Buffer): string {
  const file = join(dir, `c${++n}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** pdftotext puts line breaks where the PDF wraps; compare with white space folded. */
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

function decodePages(file: string, dpi = 150): string[] {
  const prefix = join(dir, `p${++n}`);
  poppler('pdftoppm', ['-png', '-r', String(dpi), file, prefix]);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`p${n}-`))
    .sort()
    .map((f) => decodeQrImage(readFileSync(join(dir, f))))
    .flatMap((r) => (r.ok ? [r.text] : []));
}

describe('renderCertificatePdf', () => {
  it('renders a PDF whose extracted text has the header, title, number, date and every line (NFC)', async () => {
    const { doc } = await build(BASE);
    const pdf = await renderCertificatePdf(doc);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const raw = poppler('pdftotext', ['-enc', 'UTF-8', save(pdf), '-']);
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
    const info = poppler('pdfinfo', ['-enc', 'UTF-8', save(await renderCertificatePdf(doc))]);
    assert.match(info, new RegExp(`^Title: +${BASE.title}$`, 'm'));
    assert.match(info, /^Subject: +2024\/XN-000123$/m);
    assert.match(info, /^Creator: +dancu$/m);
    assert.match(info, /^Pages: +1$/m);
    assert.match(info, /^Page size: +595\.2\d* x 841\.8\d* pts \(A4\)$/m);
  });

  it('carries a QR that decodes from the rendered page to the signed statement', async () => {
    const { doc, statement } = await build(BASE);
    const [found] = decodePages(save(await renderCertificatePdf(doc)));
    assert.equal(found, statement);
    const v = verifyStatement(found ?? '', keyRing([KEY.publicKeyPem]));
    assert.ok(v.ok);
    assert.equal(v.claims.dg, contentDigest(certificateText(BASE)));
  });

  it('keeps the QR readable when the page is rendered at other resolutions', async () => {
    // Screens and scanners render at many resolutions; each gives modules of a different pixel size.
    const { doc, statement } = await build({ ...BASE, number: '2025/TB-987654' });
    const file = save(await renderCertificatePdf(doc));
    for (const dpi of [100, 120, 200, 300]) assert.deepEqual(decodePages(file, dpi), [statement], `${dpi} dpi`);
  });

  it('normalises NFD input so the printed text is NFC', async () => {
    const nfd: Omit<CertificateDocument, 'qrPng'> = {
      ...BASE,
      title: 'THÔNG BÁO SỐ ĐỊNH DANH CÁ NHÂN'.normalize('NFD'),
      lines: BASE.lines.map((l) => ({ label: l.label.normalize('NFD'), value: l.value.normalize('NFD') })),
    };
    const { doc } = await build(nfd);
    const text = fold(poppler('pdftotext', ['-enc', 'UTF-8', save(await renderCertificatePdf(doc)), '-']));
    assert.ok(text.includes('THÔNG BÁO SỐ ĐỊNH DANH CÁ NHÂN'));
    for (const l of BASE.lines) assert.ok(text.includes(fold(`${l.label}: ${l.value}`)), l.label);
    assert.equal(certificateText(nfd), certificateText({ ...BASE, title: 'THÔNG BÁO SỐ ĐỊNH DANH CÁ NHÂN' }));
  });

  it('flows long content onto a second page and still prints a readable QR', async () => {
    const long = { ...BASE, lines: Array.from({ length: 40 }, (_, i) => ({ label: `Dòng ${i + 1}`, value: `Giá trị thứ ${i + 1}` })) };
    const { doc, statement } = await build(long);
    const file = save(await renderCertificatePdf(doc));
    assert.match(poppler('pdfinfo', [file]), /^Pages: +2$/m);
    assert.deepEqual(decodePages(file), [statement]);
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
