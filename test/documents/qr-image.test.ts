import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { decodeQrImage, renderQrPng, renderQrSvg } from '../../src/documents/qr-image.js';

const jsQR = jsQRModule.default;

/** Synthetic, internally consistent CCCD-style payload (vn-domain §3.1; not from a real card). */
const CARD_QR = '001234567890||Nguyễn Thị Ánh Tuyết|12051990|Nữ|Số 12, ngõ 3, phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024';

interface Raster {
  width: number;
  height: number;
  data: Buffer; // RGBA
}

function readPng(bytes: Buffer): Raster {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: png.data };
}

function writePng(r: Raster): Buffer {
  const png = new PNG({ width: r.width, height: r.height });
  r.data.copy(png.data);
  return PNG.sync.write(png);
}

function canvas(width: number, height: number, grey: number): Raster {
  const data = Buffer.alloc(width * height * 4, grey);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width, height, data };
}

function paste(dst: Raster, src: Raster, x0: number, y0: number): void {
  for (let y = 0; y < src.height; y++) src.data.copy(dst.data, ((y0 + y) * dst.width + x0) * 4, y * src.width * 4, (y + 1) * src.width * 4);
}

function fillRect(dst: Raster, x0: number, y0: number, w: number, h: number, grey: number): void {
  for (let y = y0; y < y0 + h; y++) dst.data.fill(grey, (y * dst.width + x0) * 4, (y * dst.width + x0 + w) * 4);
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) dst.data[(y * dst.width + x) * 4 + 3] = 255;
}

/** Bilinear ×k upscale: soft module edges, like a photo or a zoomed screenshot. */
function upscale(src: Raster, k: number): Raster {
  const out = canvas(src.width * k, src.height * k, 255);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const fx = Math.min(src.width - 1, Math.max(0, (x + 0.5) / k - 0.5));
      const fy = Math.min(src.height - 1, Math.max(0, (y + 0.5) / k - 0.5));
      const x0 = Math.floor(fx), y0 = Math.floor(fy);
      const x1 = Math.min(src.width - 1, x0 + 1), y1 = Math.min(src.height - 1, y0 + 1);
      const ax = fx - x0, ay = fy - y0;
      for (let c = 0; c < 3; c++) {
        const p = (xx: number, yy: number) => src.data[(yy * src.width + xx) * 4 + c] ?? 0;
        const v = (p(x0, y0) * (1 - ax) + p(x1, y0) * ax) * (1 - ay) + (p(x0, y1) * (1 - ax) + p(x1, y1) * ax) * ay;
        out.data[(y * out.width + x) * 4 + c] = Math.round(v);
      }
    }
  }
  return out;
}

function decodedText(bytes: Buffer): string | undefined {
  const r = decodeQrImage(bytes);
  return r.ok ? r.text : undefined;
}

/** Vietnamese letters in every tone (precomposed, as NFC text has them), digits, separators. */
const VI_CHARS = [
  ...'aăâeêioôơuưy'.split('').flatMap((v) => [v, ...['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'].map((t) => (v + t).normalize('NFC'))]),
  ...'bcdđghklmnpqrstvx'.split(''),
  ...'0123456789 |,./-'.split(''),
];
const viChar = fc.constantFrom(...VI_CHARS, ...VI_CHARS.map((c) => c.toUpperCase()));
const viString = fc.array(viChar, { maxLength: 200 }).map((cs) => cs.join(''));

describe('renderQrPng / decodeQrImage', () => {
  it('round-trips a Vietnamese card payload', async () => {
    const png = await renderQrPng(CARD_QR);
    assert.deepEqual(png.subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    assert.deepEqual(decodeQrImage(png), { ok: true, text: CARD_QR });
  });

  it('encodes the whole text as one UTF-8 byte segment (no numeric split of the ID)', async () => {
    const r = readPng(await renderQrPng(CARD_QR));
    const found = jsQR(new Uint8ClampedArray(r.data), r.width, r.height);
    assert.ok(found);
    assert.equal(found.chunks.length, 1);
    assert.equal(found.chunks[0]?.type, 'byte');
    assert.deepEqual(Buffer.from(found.binaryData), Buffer.from(CARD_QR, 'utf8'));
  });

  it('round-trips random Vietnamese strings up to 200 characters', async () => {
    await fc.assert(
      fc.asyncProperty(viString, async (s) => {
        assert.equal(decodedText(await renderQrPng(s)), s);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps NFD text as NFD (exact bytes matter for signatures)', async () => {
    const nfd = 'Nguyễn Thị Ánh Tuyết'.normalize('NFD');
    assert.equal(decodedText(await renderQrPng(nfd)), nfd);
  });

  it('respects scale and margin', async () => {
    const small = readPng(await renderQrPng('x', { scale: 2, margin: 1 }));
    const big = readPng(await renderQrPng('x'));
    assert.equal(small.width, (21 + 2) * 2); // version 1 is 21 modules
    assert.equal(big.width, (21 + 8) * 8);
    assert.equal(decodedText(writePng(small)), 'x');
  });

  it('reads a JPEG photo-like copy (×2 bilinear, quality 90)', async () => {
    const r = upscale(readPng(await renderQrPng(CARD_QR)), 2);
    const jpg = jpeg.encode({ width: r.width, height: r.height, data: r.data }, 90).data;
    assert.deepEqual(jpg.subarray(0, 2), Buffer.from([0xff, 0xd8]));
    assert.equal(decodedText(jpg), CARD_QR);
  });

  it('reads a screenshot-like image: small QR on a larger grey page with other marks', async () => {
    const page = canvas(1400, 1000, 0xd8);
    fillRect(page, 100, 80, 1200, 840, 0xff);
    for (let i = 0; i < 30; i++) fillRect(page, 140 + (i % 3) * 180, 120 + Math.floor(i / 3) * 40, 150, 12, 0x30); // "text"
    paste(page, readPng(await renderQrPng(CARD_QR, { scale: 4 })), 820, 300);
    assert.equal(decodedText(writePng(page)), CARD_QR);
  });

  it('reads an inverted (light-on-dark) code', async () => {
    const r = readPng(await renderQrPng(CARD_QR));
    for (let i = 0; i < r.data.length; i++) if (i % 4 !== 3) r.data[i] = 255 - (r.data[i] ?? 0);
    assert.equal(decodedText(writePng(r)), CARD_QR);
  });

  it('reads bytes that are not UTF-8 as ISO-8859-1 (the QR default charset)', async () => {
    const png = await QRCode.toBuffer([{ mode: 'byte', data: Buffer.from([0x43, 0x61, 0x66, 0xe9]) }], { errorCorrectionLevel: 'M' });
    assert.deepEqual(decodeQrImage(png), { ok: true, text: 'Café' }); // ISO-8859-1, the QR default
  });

  it('reports QR_NOT_FOUND for an image without a code', () => {
    const r = canvas(400, 300, 0xff);
    for (let i = 0; i < 12; i++) fillRect(r, 20 + i * 30, 40, 12, 200, (i * 37) % 200);
    assert.deepEqual(decodeQrImage(writePng(r)), { ok: false, reason: 'QR_NOT_FOUND' });
    const jpg = jpeg.encode({ width: r.width, height: r.height, data: r.data }, 90).data;
    assert.deepEqual(decodeQrImage(jpg), { ok: false, reason: 'QR_NOT_FOUND' });
  });

  it('reports IMAGE_UNREADABLE for other formats and corrupt files', async () => {
    const png = await renderQrPng(CARD_QR);
    assert.deepEqual(decodeQrImage(Buffer.from('GIF89a not really')), { ok: false, reason: 'IMAGE_UNREADABLE' });
    assert.deepEqual(decodeQrImage(Buffer.alloc(0)), { ok: false, reason: 'IMAGE_UNREADABLE' });
    assert.deepEqual(decodeQrImage(png.subarray(0, 100)), { ok: false, reason: 'IMAGE_UNREADABLE' });
    assert.deepEqual(decodeQrImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 1, 2, 3])), { ok: false, reason: 'IMAGE_UNREADABLE' });
  });

  it('refuses huge images before decompressing them', async () => {
    const png = Buffer.from(await renderQrPng('x'));
    png.writeUInt32BE(100_000, 16); // IHDR width
    png.writeUInt32BE(100_000, 20); // IHDR height
    assert.deepEqual(decodeQrImage(png), { ok: false, reason: 'IMAGE_TOO_LARGE' });
  });
});

describe('renderQrSvg', () => {
  it('draws the same symbol as an SVG document', async () => {
    const svg = await renderQrSvg(CARD_QR);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const modules = QRCode.create([{ mode: 'byte', data: Buffer.from(CARD_QR, 'utf8') }], { errorCorrectionLevel: 'M' }).modules.size;
    assert.match(svg, new RegExp(`viewBox="0 0 ${modules + 8} ${modules + 8}"`));
  });
});
