/**
 * The one error the transparency formats throw for bad input, so callers (HTTP routes, the
 * witness, the offline verifier) can tell "this text is not acceptable" from a bug.
 *   malformed    — not in the format (a parser refused it)
 *   unverified   — well-formed, but no trusted key's signature verifies
 *   bad-signature — a trusted key's signature is present and wrong (the whole note is refused)
 */
export type TlogErrorKind = 'malformed' | 'unverified' | 'bad-signature';

export class TlogError extends Error {
  readonly kind: TlogErrorKind;

  constructor(kind: TlogErrorKind, message: string) {
    super(message);
    this.name = 'TlogError';
    this.kind = kind;
  }
}

export const malformed = (message: string): TlogError => new TlogError('malformed', message);
