/**
 * problem+json (RFC 9457) as the API sends it, decoded into one typed error the pages show. Pure:
 * the client hands it the status and the parsed body; anything that is not a problem becomes one
 * with a client-side code, so a page never has to guess at a shape.
 */

export interface ProblemFieldError {
  field: string;
  code: string;
  message: string;
  messages?: { vi: string; en: string };
}

export interface Problem {
  status: number;
  /** The server's stable code (src/domain/errors/codes.ts), or a client code: NETWORK_ERROR, BAD_RESPONSE. */
  code: string;
  title: string;
  messages?: { vi: string; en: string };
  detail?: string;
  errors: ProblemFieldError[];
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get code(): string {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function messagesOf(v: unknown): { vi: string; en: string } | undefined {
  if (!isRecord(v)) return undefined;
  const vi = str(v.vi);
  const en = str(v.en);
  return vi && en ? { vi, en } : undefined;
}

function fieldErrorOf(v: unknown): ProblemFieldError | undefined {
  if (!isRecord(v)) return undefined;
  const field = typeof v.field === 'string' ? v.field : undefined;
  const code = str(v.code);
  if (field === undefined || !code) return undefined;
  const messages = messagesOf(v.messages);
  return { field, code, message: str(v.message) ?? code, ...(messages ? { messages } : {}) };
}

/** The problem an answer with this status and body stands for. */
export function decodeProblem(status: number, body: unknown): Problem {
  if (!isRecord(body) || !str(body.code)) {
    return { status, code: status >= 500 ? 'SERVER_ERROR' : 'BAD_RESPONSE', title: `HTTP ${status}`, errors: [] };
  }
  const messages = messagesOf(body.messages);
  const detail = str(body.detail);
  const errors = Array.isArray(body.errors) ? body.errors.map(fieldErrorOf).filter((e): e is ProblemFieldError => e !== undefined) : [];
  return {
    status: typeof body.status === 'number' ? body.status : status,
    code: body.code as string,
    title: str(body.title) ?? (body.code as string),
    ...(messages ? { messages } : {}),
    ...(detail ? { detail } : {}),
    errors,
  };
}

/** The problem a failed fetch (no answer at all) stands for. */
export function networkProblem(): Problem {
  return { status: 0, code: 'NETWORK_ERROR', title: 'The server could not be reached.', errors: [] };
}
