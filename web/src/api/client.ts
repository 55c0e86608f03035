/**
 * The one way pages call the API: same origin, the session cookie, JSON in and out, and every
 * failure thrown as an ApiError with the server's stable code. Changes (any method but GET/HEAD)
 * carry the session's CSRF token, which the sign-in answer and GET /auth/session hand the page
 * (decision 0038); it lives in memory only, never in storage.
 */
import { ApiError, decodeProblem, networkProblem } from './problem.js';

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export interface CallOptions {
  body?: unknown;
  /** Query parameters; undefined values are left out. A page's own URL never carries a person's ID (decision 0045); an API call's query may, as the API asks (the person a citizen acts for). */
  query?: Record<string, string | number | boolean | undefined>;
  /** X-Purpose: why an officer reads (the procedure at hand), recorded with the use. */
  purpose?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

function urlOf(path: string, query?: CallOptions['query']): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function send(method: string, path: string, accept: string, opts: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { accept, ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.purpose) headers['x-purpose'] = opts.purpose;
  let res: Response;
  try {
    res = await fetch(urlOf(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(networkProblem());
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    throw new ApiError(decodeProblem(res.status, body));
  }
  return res;
}

/** A JSON call; 204 answers undefined. */
export async function api<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const res = await send(method, path, 'application/json', opts);
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(decodeProblem(res.status, undefined));
  }
}

/** A file (a PDF, a CSV): the bytes and the name to save them under. */
export async function apiFile(path: string, opts: CallOptions & { method?: string; accept?: string } = {}): Promise<{ blob: Blob; fileName?: string }> {
  const res = await send(opts.method ?? 'GET', path, opts.accept ?? '*/*', opts);
  const disposition = res.headers.get('content-disposition') ?? '';
  const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1];
  return { blob: await res.blob(), ...(fileName ? { fileName } : {}) };
}

/** Saves a file the API answered, as a download (no new tab: the file may hold personal data). */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
