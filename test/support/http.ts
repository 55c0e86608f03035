/** A real server on a loopback port over a fresh test store, with a principal of each role. */
import { buildApp, type App, type AppOptions } from '../../src/http/app.js';
import { createPrincipal } from '../../src/services/principals.js';
import { fixedClock } from '../../src/services/clock.js';
import { openRuntime, type RuntimeOptions } from '../../src/services/runtime.js';
import { openTestRuntime, type TestRuntime } from './store.js';

export interface TestServer {
  baseUrl: string;
  app: App;
  runtime: TestRuntime;
  clock: ReturnType<typeof fixedClock>;
  tokens: { officer: string; admin: string; inspector: string };
  /**
   * fetch against the server with a role's token (or none) and JSON handling. With a token, the call
   * gives the purpose `TEST` (officers must give one) unless the headers name one or `purpose` is null.
   */
  call(method: string, path: string, opts?: CallOptions): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The X-Purpose to send with a token (default 'TEST'); null sends none. */
  purpose?: string | null;
}

/** The purpose tests give when they do not test purposes. */
export const TEST_PURPOSE = 'TEST';

const NO_RATE_LIMITS = { anonymous: 0, verification: 0, token: 0, authFailures: 0 };

/** Tokens expire (decision 0038); the role tokens of a test server outlive any date a test moves its clock to. */
export const LONG_LIVED = { token: { days: 36_500, policy: { defaultDays: 36_500, maxDays: 36_500 } } };

export async function startTestServer(now = '2026-06-01T08:00:00.000Z', options: Pick<AppOptions, 'anomalyRule' | 'rateLimits' | 'rateLimitNowMs' | 'trustProxy' | 'auth' | 'subscriberUpload' | 'webDir'> & Pick<RuntimeOptions, 'cpu'> = {}): Promise<TestServer> {
  const clock = fixedClock(now);
  // Abuse limits are off unless a test sets them: test files call from one address far faster than people do.
  const { cpu, rateLimits = NO_RATE_LIMITS, ...rest } = options;
  const appOptions = { ...rest, rateLimits };
  const runtime = await openTestRuntime(clock, cpu ? { cpu } : {});
  const app = await buildApp({ ...appOptions, ctx: runtime.ctx, catalogue: runtime.catalogue, keys: runtime.keys, publicUrl: 'http://registry.test', version: 'test', logLevel: process.env.DANCU_TEST_LOG ?? 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const tokens = {
    officer: (await createPrincipal(runtime.store, clock, 'Test officer', 'officer', undefined, LONG_LIVED)).token,
    admin: (await createPrincipal(runtime.store, clock, 'Test admin', 'admin', undefined, LONG_LIVED)).token,
    inspector: (await createPrincipal(runtime.store, clock, 'Test inspector', 'inspector', undefined, LONG_LIVED)).token,
  };
  return {
    baseUrl,
    app,
    runtime,
    clock,
    tokens,
    call: (method, path, opts = {}) => callServer(baseUrl, method, path, opts),
    async close() {
      await app.close();
      await runtime.dropDatabase();
    },
  };
}

/**
 * A second server on the same store, as another server process would be: its own store
 * connection (pool) and its own in-memory state, the same clock, signing keys and principals.
 */
export async function startPeerServer(s: TestServer, options: Pick<AppOptions, 'anomalyRule'> = {}): Promise<Pick<TestServer, 'baseUrl' | 'call' | 'close'>> {
  const runtime = await openRuntime({ databaseUrl: s.runtime.databaseUrl, dataDir: s.runtime.dataDir, clock: s.clock, pgPoolSize: 4 });
  const app = await buildApp({ rateLimits: NO_RATE_LIMITS, ...options, ctx: runtime.ctx, catalogue: runtime.catalogue, keys: runtime.keys, publicUrl: 'http://registry.test', version: 'test', logLevel: process.env.DANCU_TEST_LOG ?? 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    baseUrl,
    call: (method, path, opts = {}) => callServer(baseUrl, method, path, opts),
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

async function callServer(baseUrl: string, method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const named = Object.keys(headers).some((h) => h.toLowerCase() === 'x-purpose');
  const purpose = opts.purpose === undefined ? TEST_PURPOSE : opts.purpose;
  if (opts.token && !named && purpose !== null) headers['x-purpose'] = purpose;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, body: body as any };
}

/** A valid birth registration body; override fields per test. */
export function birthBody(overrides: Record<string, unknown> = {}): { citizen: Record<string, unknown>; reason?: string } {
  return {
    citizen: {
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '2024-03-05',
      sex: 'male',
      ethnicity: '01',
      nationality: 'VN',
      birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'UBND phường' },
      ...overrides,
    },
  };
}

/** A citizen born through the API, naming relatives by relation and personal ID; their personal ID. */
export async function registerWithRelatives(s: TestServer, fullName: string, dateOfBirth: string, relatives: readonly { relation: string; who: string }[] = []): Promise<string> {
  const r = await s.call('POST', '/citizens', {
    token: s.tokens.officer,
    body: birthBody({ fullName, dateOfBirth, relatives: relatives.map(({ relation, who }) => ({ relation, personalId: who, fullName: 'Người Thân', nationality: 'VN' })) }),
  });
  if (r.status !== 201) throw new Error(`birth registration answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.personalId as string;
}
