/**
 * Strict standard base64 (RFC 4648 §4, with padding), as every C2SP format uses. Node's decoder
 * is lenient (it skips junk and accepts missing padding), so a decoded value is re-encoded and
 * compared: exactly one text stands for each byte string.
 */
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!B64_RE.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Strict decimal with no leading zeros ("0" allowed), within the exact integers. */
export function parseDecimal(text: string): number | undefined {
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
