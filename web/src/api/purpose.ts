/**
 * The X-Purpose header value for a purpose a person typed: HTTP headers carry Latin-1 only, so
 * Vietnamese text (or a literal %) goes percent-encoded, which the server decodes (recording.ts
 * purposeOf). Pure; the counter's cases use it too (pages/officer/case.ts).
 */
export function purposeHeader(purpose: string): string {
  return /^[\x20-\x24\x26-\x7e]*$/.test(purpose) ? purpose : encodeURIComponent(purpose);
}
