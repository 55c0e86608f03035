/**
 * Text of a short message on the wire (pure): the alphabet, the encoding, splitting a long text into
 * concatenated parts and putting the parts back together.
 *
 * - GSM 7-bit default alphabet and its extension table: 3GPP TS 23.038 §6.2.1 and §6.2.1.1. On SMPP
 *   (data_coding 0) the septets travel one per octet, unpacked; the 140-octet limit of the air
 *   interface is kept by counting septets (160 alone, 153 with the 6-octet header).
 * - UCS-2 (data_coding 8): UTF-16 big-endian, 70 code units alone, 67 with the header. A surrogate pair
 *   (outside the BMP) is never split across parts, nor a GSM escape from the character it escapes.
 * - Concatenation header (3GPP TS 23.040 §9.2.3.24.1): `05 00 03 ref total seq`; on reading, the
 *   16-bit reference form (IE 0x08, `06 08 04 refHi refLo total seq`) too.
 */

export type SmsAlphabet = 'gsm7' | 'ucs2';

/** data_coding values (SMPP 3.4 §5.2.19). */
export const DATA_CODING = { gsm7: 0x00, ascii: 0x01, latin1: 0x03, ucs2: 0x08 } as const;

/** The 128 characters of the default alphabet in code order (3GPP TS 23.038 §6.2.1); 0x1B is the escape. */
export const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';

export const GSM7_ESCAPE = 0x1b;

/** The extension table (3GPP TS 23.038 §6.2.1.1): character → the code that follows the escape. */
export const GSM7_EXTENSION: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);

const BASIC_CODE = new Map<string, number>([...GSM7_BASIC].map((c, i) => [c, i] as const).filter(([c]) => c !== '\u001b'));
const EXTENSION_CHAR = new Map<number, string>([...GSM7_EXTENSION].map(([c, code]) => [code, c] as const));

/** Single message limits and per-part limits once the 6-octet header takes its room. */
export const LIMITS = {
  gsm7: { single: 160, part: 153 },
  ucs2: { single: 70, part: 67 },
} as const;

/** At most 255 parts: the header's count is one octet. */
export const MAX_PARTS = 255;

/** True when every character has a GSM 7-bit code (basic or extension). */
export function isGsm7(text: string): boolean {
  for (const c of text) if (!BASIC_CODE.has(c) && !GSM7_EXTENSION.has(c)) return false;
  return true;
}

/**
 * The alphabet a text goes in: GSM-7 when asked for (or not asked) and every character has a code;
 * otherwise UCS-2 — a text is never sent with characters replaced.
 */
export function chooseAlphabet(text: string, requested?: SmsAlphabet): SmsAlphabet {
  if (requested === 'ucs2') return 'ucs2';
  return isGsm7(text) ? 'gsm7' : 'ucs2';
}

/** Septets (unpacked) of one character; undefined when it has no code. */
function septetsOf(c: string): number[] | undefined {
  const basic = BASIC_CODE.get(c);
  if (basic !== undefined) return [basic];
  const ext = GSM7_EXTENSION.get(c);
  return ext === undefined ? undefined : [GSM7_ESCAPE, ext];
}

/** GSM-7 septets, one per octet. Throws on a character without a code (call isGsm7 first). */
export function encodeGsm7(text: string): Uint8Array {
  const out: number[] = [];
  for (const c of text) {
    const s = septetsOf(c);
    if (!s) throw new RangeError('character outside the GSM 7-bit alphabet');
    out.push(...s);
  }
  return Uint8Array.from(out);
}

/**
 * Unpacked septets to text; an unknown escape shows its basic character (TS 23.038 §6.2.1.1), a double
 * escape (reserved for another table) a space, a final lone escape nothing.
 */
export function decodeGsm7(septets: Uint8Array): string {
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const code = septets[i]! & 0x7f;
    if (code === GSM7_ESCAPE) {
      if (i + 1 >= septets.length) break;
      const next = septets[++i]! & 0x7f;
      text += EXTENSION_CHAR.get(next) ?? (next === GSM7_ESCAPE ? ' ' : GSM7_BASIC[next]!);
    } else text += GSM7_BASIC[code]!;
  }
  return text;
}

/** UTF-16 big-endian. */
export function encodeUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[2 * i] = u >> 8;
    out[2 * i + 1] = u & 0xff;
  }
  return out;
}

/** UTF-16 big-endian to text (an odd last octet is dropped). */
export function decodeUcs2(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return text;
}

/** A message's body in its data_coding: GSM-7, IA5/ASCII, Latin-1 or UCS-2 (others read as Latin-1). */
export function decodeBody(dataCoding: number, bytes: Uint8Array): string {
  switch (dataCoding) {
    case DATA_CODING.gsm7:
      return decodeGsm7(bytes);
    case DATA_CODING.ucs2:
      return decodeUcs2(bytes);
    default:
      return String.fromCharCode(...bytes);
  }
}

/** The parts of one text, ready for submit_sm: short_message octets (header included when several). */
export interface SmsSegments {
  alphabet: SmsAlphabet;
  dataCoding: number;
  /** esm_class bit 0x40 (UDHI) is set when there are several parts. */
  udhi: boolean;
  parts: Uint8Array[];
}

/** Splits units (septet groups or UTF-16 code units) into runs of at most `max` units, never cutting a group. */
function chunk(groups: number[][], max: number): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  for (const g of groups) {
    if (run.length + g.length > max) {
      runs.push(run);
      run = [];
    }
    run.push(...g);
  }
  runs.push(run);
  return runs;
}

/** Groups that must stay together: a character's septets (GSM-7) or a surrogate pair's code units (UCS-2). */
function groupsOf(text: string, alphabet: SmsAlphabet): number[][] {
  const groups: number[][] = [];
  for (const c of text) {
    if (alphabet === 'gsm7') {
      const s = septetsOf(c);
      if (!s) throw new RangeError('character outside the GSM 7-bit alphabet');
      groups.push(s);
    } else {
      const g: number[] = [];
      for (let i = 0; i < c.length; i++) g.push(c.charCodeAt(i));
      groups.push(g);
    }
  }
  return groups;
}

/** The 6-octet concatenation header: IE 0x00, 8-bit reference. */
export function concatHeader(ref: number, total: number, seq: number): Uint8Array {
  return Uint8Array.from([0x05, 0x00, 0x03, ref & 0xff, total, seq]);
}

/**
 * A text as submit_sm parts. `ref` (0–255) is the concatenation reference the receiving handset groups
 * the parts by. Throws when the text needs more than 255 parts, or GSM-7 is asked for a text without codes.
 */
export function splitSms(text: string, alphabet: SmsAlphabet, ref: number): SmsSegments {
  const groups = groupsOf(text, alphabet);
  const limits = LIMITS[alphabet];
  const units = groups.reduce((n, g) => n + g.length, 0);
  const encodeRun = (run: number[]): Uint8Array => {
    if (alphabet === 'gsm7') return Uint8Array.from(run);
    const out = new Uint8Array(run.length * 2);
    run.forEach((u, i) => {
      out[2 * i] = u >> 8;
      out[2 * i + 1] = u & 0xff;
    });
    return out;
  };
  const dataCoding = DATA_CODING[alphabet];
  if (units <= limits.single) return { alphabet, dataCoding, udhi: false, parts: [encodeRun(groups.flat())] };
  const runs = chunk(groups, limits.part);
  if (runs.length > MAX_PARTS) throw new RangeError('text too long for one concatenated message');
  const parts = runs.map((run, i) => {
    const body = encodeRun(run);
    const out = new Uint8Array(6 + body.length);
    out.set(concatHeader(ref, runs.length, i + 1));
    out.set(body, 6);
    return out;
  });
  return { alphabet, dataCoding, udhi: true, parts };
}

/** How many parts a text takes in an alphabet. */
export function partCount(text: string, alphabet: SmsAlphabet): number {
  const groups = groupsOf(text, alphabet);
  const units = groups.reduce((n, g) => n + g.length, 0);
  return units <= LIMITS[alphabet].single ? 1 : chunk(groups, LIMITS[alphabet].part).length;
}

/** Concatenation information from a header: reference, total parts, this part's number (1-based). */
export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
}

/**
 * The body and concatenation information of a short_message whose esm_class has UDHI: reads the
 * header's information elements (8- or 16-bit reference concatenation; others skipped). A header
 * longer than the message, or a concatenation element with total 0 or seq outside 1..total, is ignored
 * as concatenation (the message is then taken whole).
 */
export function parseUserData(shortMessage: Uint8Array, udhi: boolean): { body: Uint8Array; concat?: ConcatInfo } {
  if (!udhi || shortMessage.length === 0) return { body: shortMessage };
  const udhl = shortMessage[0]!;
  if (udhl + 1 > shortMessage.length) return { body: shortMessage };
  let concat: ConcatInfo | undefined;
  let i = 1;
  while (i + 1 < udhl + 1) {
    const iei = shortMessage[i]!;
    const len = shortMessage[i + 1]!;
    const data = shortMessage.subarray(i + 2, i + 2 + len);
    if (i + 2 + len > udhl + 1) break;
    if (iei === 0x00 && len === 3) concat = { ref: data[0]!, total: data[1]!, seq: data[2]! };
    else if (iei === 0x08 && len === 4) concat = { ref: (data[0]! << 8) | data[1]!, total: data[2]!, seq: data[3]! };
    i += 2 + len;
  }
  const body = shortMessage.subarray(udhl + 1);
  if (concat && (concat.total === 0 || concat.seq === 0 || concat.seq > concat.total)) concat = undefined;
  return concat ? { body, concat } : { body };
}

/**
 * The text of a concatenated message from its parts' bodies (any order, one per seq): the bodies are
 * joined before decoding, so a surrogate pair or an escape another sender split still reads whole.
 */
export function reassemble(parts: readonly { seq: number; dataCoding: number; body: Uint8Array }[]): string {
  const sorted = [...parts].sort((a, b) => a.seq - b.seq);
  const coding = sorted[0]?.dataCoding ?? DATA_CODING.gsm7;
  if (sorted.every((p) => p.dataCoding === coding)) {
    const joined = new Uint8Array(sorted.reduce((n, p) => n + p.body.length, 0));
    let at = 0;
    for (const p of sorted) {
      joined.set(p.body, at);
      at += p.body.length;
    }
    return decodeBody(coding, joined);
  }
  return sorted.map((p) => decodeBody(p.dataCoding, p.body)).join('');
}
