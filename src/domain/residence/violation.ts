/** What a residence rule reports: a stable code, the request field it concerns, and why. */
import type { ErrorCode } from '../errors/codes.js';

export interface Violation {
  code: ErrorCode;
  field: string;
  message: string;
}

export const violation = (code: ErrorCode, field: string, message: string): Violation => ({ code, field, message });
