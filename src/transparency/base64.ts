/**
 * Strict standard base64 (RFC 4648 §4, with padding), as every C2SP format uses. Node's decoder
 * is lenient (it skips junk, accepts missing padding and the URL alphabet), so the decoded bytes
 * are re-encoded and compared: only the one canonical text of a byte string is accepted.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Strict decimal with no leading zeros ("0" allowed), within the exact integers. */
export function parseDecimal(text: string): number | undefined {
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
