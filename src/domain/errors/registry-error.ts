/**
 * Every rejection carries a stable machine code, an HTTP status and messages in Vietnamese and
 * English (DESIGN §3.9). The catalogue in codes.ts is the one list of codes.
 */
import { ERROR_CATALOGUE, type ErrorCode } from './codes.js';

export interface ProblemField {
  /** JSON pointer or field path the problem is about. */
  field: string;
  code: string;
  /** English, as before; `messages` has both languages. */
  message: string;
  messages?: { vi: string; en: string };
  /** The values or properties allowed here, when the rule names them. */
  allowed?: string[];
}

export class RegistryError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly messageVi: string;
  readonly detail?: string;
  readonly fields?: ProblemField[];
  readonly extra?: Record<string, unknown>;

  constructor(code: ErrorCode, options: { detail?: string; fields?: ProblemField[]; extra?: Record<string, unknown> } = {}) {
    const entry = ERROR_CATALOGUE[code];
    super(entry.en);
    this.name = 'RegistryError';
    this.code = code;
    this.status = entry.status;
    this.messageVi = entry.vi;
    this.detail = options.detail;
    this.fields = options.fields;
    this.extra = options.extra;
  }
}

/** Thrown by get* functions when the thing asked for does not exist. */
export class NotFoundError extends RegistryError {
  constructor(code: ErrorCode, detail?: string) {
    super(code, { detail });
    this.name = 'NotFoundError';
  }
}

export function isRegistryError(e: unknown): e is RegistryError {
  return e instanceof RegistryError;
}
