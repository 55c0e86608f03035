/**
 * What anyone holding a certificate number learns (decision 0022): whether a document with that
 * number was issued, of which kind and when, and whether it is valid now — nothing about the
 * holder. A verifier who wants to know that the paper in their hands says what was issued sends
 * the text they read and learns only whether it matches; the registry never sends the text back.
 */
import type { ConfirmationStatus } from '../domain/residence/time-rules.js';
import { RegistryError } from '../domain/errors/registry-error.js';
import { getCertificate, printedTextMatches, type CertificateKind } from './certificates.js';
import type { ServiceContext } from './context.js';
import { verifyResidenceConfirmation } from './residence/confirmation.js';

export interface PublicVerification {
  number: string;
  kind: CertificateKind;
  issuedOn: string;
  valid: boolean;
  /** `valid` or `revoked`; a residence confirmation (CT07) also `expired` or `residence_changed`. */
  status: ConfirmationStatus | 'valid' | 'revoked';
  /** CT07 only: the last day it is valid, unless residence data change first. */
  validUntil?: string;
  /** Present when the verifier sent the printed text: whether it is the text that was issued. */
  textMatches?: boolean;
}

export async function verifyByNumber(ctx: ServiceContext, number: string, printedText?: string): Promise<PublicVerification> {
  const v = await getCertificate(ctx, number);
  const base = { number: v.number, kind: v.kind, issuedOn: v.issuedOn };
  const state =
    v.kind === 'RESIDENCE_CONFIRMATION'
      ? await verifyResidenceConfirmation(ctx, v.number).then((c) => ({ valid: c.valid, status: c.status, validUntil: c.validUntil }))
      : { valid: !v.revoked, status: v.revoked ? ('revoked' as const) : ('valid' as const) };
  return { ...base, ...state, ...(printedText !== undefined ? { textMatches: printedTextMatches(v, printedText) } : {}) };
}

/** The same for a number that must be a residence confirmation (its own public route). */
export async function verifyResidenceConfirmationByNumber(ctx: ServiceContext, number: string, printedText?: string): Promise<PublicVerification> {
  const out = await verifyByNumber(ctx, number, printedText);
  if (out.kind !== 'RESIDENCE_CONFIRMATION') throw new RegistryError('CERTIFICATE_NOT_FOUND');
  return out;
}
