/**
 * Drawing and reading QR codes as images.
 *
 * Drawing: the text always goes into ONE byte-mode segment holding its UTF-8 bytes. The qrcode
 * package's automatic segmentation would otherwise split digits into numeric segments and could
 * pick other modes; one UTF-8 byte segment is what card readers and phone apps expect for
 * Vietnamese text (vn-domain §3.1) and what every decoder reads back unchanged.
 *
 * Reading: the caller may hand us anything a citizen uploads (a scan, a phone photo, a screenshot),
 * so decoding never throws for bad input; it returns a result whose `reason` says what went wrong.
 * Decoding costs seconds of CPU on a large noisy photo: the server runs it in its worker pool
 * (services/workers), never on the event loop.
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import jsQRModule from 'jsqr';
import QRCode from 'qrcode';

// jsqr is CommonJS with a types file written as an ES module: under NodeNext its default import is
// module.exports, whose `default` property is the function (it is also the export itself).
const jsQR = jsQRModule.default;

export interface QrRenderOptions {
  /** Pixels per module. 8 keeps the code sharp when printed at 40–50 mm or shown on screen. */
  scale?: number;
  /** Quiet zone in modules; the standard asks for 4, and decoders fail more often with less. */
  margin?: number;
}

/** Level M (~15 % recoverable) survives creases and printing specks without growing the code much. */
const ERROR_CORRECTION = 'M' as const;
const DEFAULT_SCALE = 8;
const DEFAULT_MARGIN = 4;

function segments(text: string): QRCode.QRCodeSegment[] {
  return [{ mode: 'byte', data: Buffer.from(text, 'utf8') }];
}

/** A PNG (black on white, no transparency worth mentioning) of `text` as one UTF-8 byte segment. */
export async function renderQrPng(text: string, opts: QrRenderOptions = {}): Promise<Buffer> {
  return QRCode.toBuffer(segments(text), {
    type: 'png',
    errorCorrectionLevel: ERROR_CORRECTION,
    scale: opts.scale ?? DEFAULT_SCALE,
    margin: opts.margin ?? DEFAULT_MARGIN,
    color: { dark: '#000000ff', light: '#ffffffff' },
  });
}

/** An SVG document of the same code, for the web portal (scales without blurring). */
export async function renderQrSvg(text: string): Promise<string> {
  return QRCode.toString(segments(text), {
    type: 'svg',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: DEFAULT_MARGIN,
  });
}

export type QrDecodeFailure =
  /** Not a PNG/JPEG, or a corrupt one. */
  | 'IMAGE_UNREADABLE'
  /** Decoding it would take more memory than we allow for an upload (see MAX_PIXELS). */
  | 'IMAGE_TOO_LARGE'
  /** A readable image with no QR code we could find and decode. */
  | 'QR_NOT_FOUND';

export type QrDecodeResult = { ok: true; text: string } | { ok: false; reason: QrDecodeFailure };

/**
 * The default pixel limit: 25 megapixels (a 6000×4000 phone photo at full resolution). RGBA at
 * that size is 100 MB, plus the resampled retry; anything larger is refused from its header, before
 * a pixel is decompressed, so a small "decompression bomb" file cannot exhaust memory. The server
 * sets its own limit (DANCU_IMAGE_MAX_PIXELS).
 */
export const MAX_PIXELS = 25_000_000;

export interface QrDecodeOptions {
  /** Images with more pixels than this are refused as IMAGE_TOO_LARGE before decoding. */
  maxPixels?: number;
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isPng(bytes: Buffer): boolean {
  return bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_MAGIC);
}

function isJpeg(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Width and height from the header alone: PNG's IHDR (always the first chunk, bytes 16..23), or the
 * first JPEG start-of-frame segment found by walking the marker segments. Undefined when the header
 * cannot be read (the decoder then reports the file as unreadable).
 */
export function imageDimensions(bytes: Buffer): { width: number; height: number } | undefined {
  if (isPng(bytes)) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (!isJpeg(bytes)) return undefined;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI, EOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      at += 2;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width follow.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > bytes.length) return undefined;
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    if (marker === 0xda) return undefined; // scan data before any frame header
    at += 2 + length;
  }
  return undefined;
}

function toRgba(bytes: Buffer, maxPixels: number): Rgba | QrDecodeFailure {
  const size = imageDimensions(bytes);
  if (!size) return 'IMAGE_UNREADABLE';
  if (size.width * size.height > maxPixels) return 'IMAGE_TOO_LARGE';
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(bytes); // always RGBA, 8 bits per channel, whatever the source type
      return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length) };
    }
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      // The header was checked; these are jpeg-js's own guards should a later frame disagree.
      maxResolutionInMP: maxPixels / 1_000_000,
      maxMemoryUsageInMB: Math.ceil((maxPixels * 8) / 1_000_000),
    });
    return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length) };
  } catch (err) {
    // jpeg-js reports its limits with these messages; everything else is a corrupt file.
    if (err instanceof Error && /maxResolutionInMP|maxMemoryUsageInMB/.test(err.message)) return 'IMAGE_TOO_LARGE';
    return 'IMAGE_UNREADABLE';
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Upscaling retries stay below this size (an A4 page at 150 dpi, ×1.5, is ~4.9 MP). */
const RETRY_UPSCALE_MAX_PIXELS = 9_000_000;

/**
 * Grey-level resampling by `factor`: bilinear when enlarging, box average when shrinking (so thin
 * modules are averaged, not skipped). jsqr converts to grey anyway, so colour is not kept.
 */
function resample(src: Rgba, factor: number): Rgba {
  const grey = new Float32Array(src.width * src.height);
  for (let i = 0; i < grey.length; i++) {
    // Same weights as jsqr's own conversion.
    grey[i] = 0.2126 * (src.data[i * 4] ?? 0) + 0.7152 * (src.data[i * 4 + 1] ?? 0) + 0.0722 * (src.data[i * 4 + 2] ?? 0);
  }
  const at = (x: number, y: number) => grey[Math.min(src.height - 1, Math.max(0, y)) * src.width + Math.min(src.width - 1, Math.max(0, x))] ?? 255;
  const width = Math.max(1, Math.round(src.width * factor));
  const height = Math.max(1, Math.round(src.height * factor));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v: number;
      if (factor >= 1) {
        const fx = (x + 0.5) / factor - 0.5;
        const fy = (y + 0.5) / factor - 0.5;
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        const ax = fx - x0;
        const ay = fy - y0;
        v = (at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax) * (1 - ay) + (at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax) * ay;
      } else {
        const x0 = Math.floor(x / factor);
        const y0 = Math.floor(y / factor);
        const x1 = Math.max(x0 + 1, Math.floor((x + 1) / factor));
        const y1 = Math.max(y0 + 1, Math.floor((y + 1) / factor));
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += at(xx, yy);
        v = sum / ((x1 - x0) * (y1 - y0));
      }
      const o = (y * width + x) * 4;
      data[o] = data[o + 1] = data[o + 2] = v;
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}

/**
 * Finds and decodes one QR code in a PNG or JPEG (detected by magic bytes, not by file name).
 *
 * The text is returned exactly as encoded (not NFC-normalised): a signed statement must be verified
 * over the very bytes that were signed. It is read from jsqr's raw `binaryData` as UTF-8: jsqr's
 * `data` silently drops a byte segment that is not valid UTF-8. When the bytes are not valid
 * UTF-8 (a code from an encoder that follows the QR default charset) they are read as ISO-8859-1.
 */
export function decodeQrImage(bytes: Buffer, opts: QrDecodeOptions = {}): QrDecodeResult {
  const img = toRgba(bytes, opts.maxPixels ?? MAX_PIXELS);
  if (typeof img === 'string') return { ok: false, reason: img };
  if (img.width === 0 || img.height === 0) return { ok: false, reason: 'IMAGE_UNREADABLE' };
  // 'attemptBoth' also finds light-on-dark codes (dark-mode screenshots), at twice the cost when
  // there is no code at all.
  let found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
  if (!found) {
    // One retry at another scale. jsqr samples the grid from the finder patterns and is thrown by
    // aliasing: a code rasterised at some module sizes (e.g. a PDF page rendered at 150 dpi with
    // 3.7 px modules, alternating 3 and 4 px) fails while the same page at 1.5× reads. Resampling by
    // a non-integer factor breaks that pattern. Large images (phone photos) are halved instead,
    // which also keeps the retry cheap. An image with no code pays for both attempts.
    const factor = img.width * img.height * 2.25 <= RETRY_UPSCALE_MAX_PIXELS ? 1.5 : 0.5;
    const again = resample(img, factor);
    found = jsQR(again.data, again.width, again.height, { inversionAttempts: 'attemptBoth' });
  }
  if (!found) return { ok: false, reason: 'QR_NOT_FOUND' };
  const raw = Uint8Array.from(found.binaryData);
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    text = Buffer.from(raw).toString('latin1');
  }
  return { ok: true, text };
}
