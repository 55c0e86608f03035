/**
 * One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238), base32 secrets (RFC 4648 §6) and the
 * otpauth:// URI authenticator apps read. Pure: the HMAC is passed in (the service gives node:crypto's),
 * time is passed in as Unix milliseconds.
 */

export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';
/** HMAC of `message` under `key` with the named hash. */
export type Hmac = (algorithm: OtpAlgorithm, key: Uint8Array, message: Uint8Array) => Uint8Array;

export interface TotpParameters {
  algorithm: OtpAlgorithm;
  digits: number;
  /** Time step X in seconds (RFC 6238 §4.1). */
  stepSeconds: number;
  /** Steps either side of the current one that are accepted (clock drift, typing time). */
  window: number;
}

/** What officers' authenticators use: HMAC-SHA1, 6 digits, 30-second steps, one step either side. */
export const TOTP_DEFAULTS: TotpParameters = { algorithm: 'sha1', digits: 6, stepSeconds: 30, window: 1 };

/** The 8-byte big-endian counter of RFC 4226 §5.2. */
export function counterBytes(counter: bigint): Uint8Array {
  if (counter < 0n || counter > 0xffff_ffff_ffff_ffffn) throw new RangeError('counter out of range');
  const out = new Uint8Array(8);
  let c = counter;
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(c & 0xffn);
    c >>= 8n;
  }
  return out;
}

/** HOTP value (RFC 4226 §5.3): dynamic truncation of the HMAC, modulo 10^digits, zero-padded. */
export function hotp(hmac: Hmac, key: Uint8Array, counter: bigint, digits = 6, algorithm: OtpAlgorithm = 'sha1'): string {
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) throw new RangeError('digits must be 6 to 10');
  const mac = hmac(algorithm, key, counterBytes(counter));
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary =
    (((mac[offset] as number) & 0x7f) << 24) |
    ((mac[offset + 1] as number) << 16) |
    ((mac[offset + 2] as number) << 8) |
    (mac[offset + 3] as number);
  return (binary % 10 ** digits).toString().padStart(digits, '0');
}

/** The time step T of RFC 6238 §4.2 (T0 = 0): whole steps since the Unix epoch. */
export function timeStep(unixMs: number, stepSeconds = 30): bigint {
  return BigInt(Math.floor(unixMs / 1000 / stepSeconds));
}

export function totp(hmac: Hmac, key: Uint8Array, unixMs: number, p: TotpParameters = TOTP_DEFAULTS): string {
  return hotp(hmac, key, timeStep(unixMs, p.stepSeconds), p.digits, p.algorithm);
}

export type TotpCheck = { ok: true; step: bigint } | { ok: false; reason: 'format' | 'mismatch' | 'replayed' };

/**
 * Checks a code against the steps around `unixMs`. A code of a step at or before `lastUsedStep` is
 * refused as replayed (RFC 6238 §5.2: one use per code), so is any earlier step once a later one was used.
 */
export function verifyTotp(hmac: Hmac, key: Uint8Array, code: string, unixMs: number, lastUsedStep: bigint | undefined, p: TotpParameters = TOTP_DEFAULTS): TotpCheck {
  if (code.length !== p.digits || !/^[0-9]+$/.test(code)) return { ok: false, reason: 'format' };
  const now = timeStep(unixMs, p.stepSeconds);
  let replayed = false;
  // Every candidate is computed and compared, so the time taken does not tell which step matched.
  let matched: bigint | undefined;
  for (let d = -p.window; d <= p.window; d++) {
    const step = now + BigInt(d);
    if (step < 0n) continue;
    if (sameDigits(hotp(hmac, key, step, p.digits, p.algorithm), code)) {
      if (lastUsedStep !== undefined && step <= lastUsedStep) replayed = true;
      else matched ??= step;
    }
  }
  if (matched !== undefined) return { ok: true, step: matched };
  return { ok: false, reason: replayed ? 'replayed' : 'mismatch' };
}

/** Equal strings of equal length, compared without stopping at the first difference. */
export function sameDigits(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32 without padding (as otpauth URIs carry secrets). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive, padding and spaces ignored); undefined when it is not base32. */
export function base32Decode(text: string): Uint8Array | undefined {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return undefined;
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

/**
 * The key URI authenticator apps scan (the Key Uri Format of Google Authenticator):
 * otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
 */
export function otpauthUri(issuer: string, account: string, secret: Uint8Array, p: TotpParameters = TOTP_DEFAULTS): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const q = new URLSearchParams({ secret: base32Encode(secret), issuer, algorithm: p.algorithm.toUpperCase(), digits: String(p.digits), period: String(p.stepSeconds) });
  return `otpauth://totp/${label}?${q.toString()}`;
}
