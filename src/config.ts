/**
 * Configuration by environment variables with documented defaults (DESIGN §3.10). With nothing set,
 * dancu runs on the embedded SQLite store under ./data/sqlite with a demo population.
 */
import { DEFAULT_ANOMALY_RULE, type AnomalyRule } from './domain/exchange/anomaly.js';
import { DEFAULT_CPU_LIMITS, type CpuLimits } from './services/workers/cpu.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limits.js';
import { storeKindOf } from './store/connect.js';
import { parseWitnesses, type Witness } from './services/transparency/witness-push.js';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from './services/auth/settings.js';
import { DEFAULT_SUBSCRIBER_UPLOAD, type SubscriberUploadLimits } from './services/subscribers/import.js';
import { parseSmppUrls } from './channels/sms/smpp-url.js';
export interface Config {
  databaseUrl: string;
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  demoCitizens: number;
  demoSeed: number;
  pgPoolSize: number;
  /** Server processes sharing the HTTP port (1 = serve in the dancu process itself). */
  workers: number;
  signingKeyFile?: string;
  publicUrl?: string;
  /** The built web portal (default dist/web). */
  webDir?: string;
  holidaysFile?: string;
  /** Residence policy the law leaves open (docs/legal/residence.md §4). */
  residencePolicyFile?: string;
  anomalyRule: AnomalyRule;
  /** Worker pool for image decoding and PDF rendering. */
  cpu: CpuLimits;
  /** Per-address abuse limits for the whole server (each process enforces its share). */
  rateLimits: RateLimits;
  /** Proxies whose X-Forwarded-For names the client. */
  trustProxy: string[];
  /** TLS terminated by dancu: PEM files (both or neither). */
  tls?: { certFile: string; keyFile: string };
  /** The transparency log's Ed25519 key file and origin, and the witnesses it pushes checkpoints to. */
  logKeyFile?: string;
  logOrigin?: string;
  witnesses: Witness[];
  /** Signing in: sessions, the growing delay, token lifetimes, password hashing (decision 0038). */
  auth: AuthSettings;
  /** The longest one batch of the log's sequencer may take (ms): a longer one is cut (decision 0029). */
  logBatchBudgetMs: number;
  /** The operators' SMSCs (comma-separated smpp:// URLs); none: no SMS gateway, or the demo's local SMSC. */
  smppUrls?: string;
  /** Citizens' SMS requests one phone number may make per minute (decision 0041). */
  smsPerNumberPerMinute: number;
  /** The largest file of subscriber links an operator may upload at once (decision 0039). */
  subscriberUpload: SubscriberUploadLimits;
}


/** Every variable, its default and meaning — printed by `dancu --help` and the README. */
export const CONFIG_VARIABLES: readonly [name: string, def: string, meaning: string][] = [
  ['DANCU_DATABASE_URL', 'sqlite:<DANCU_DATA_DIR>/dancu.sqlite', 'postgres://user@host:5432/db (or postgresql://) for PostgreSQL; a file path (or sqlite:path) for SQLite; any other scheme is refused'],
  ['DANCU_DATA_DIR', './data/sqlite, or ./data/postgres-<db> with a PostgreSQL URL', 'Directory of the embedded store and of local files (demo tokens, demo agency, signing keys); each store has its own by default'],
  ['HOST', '127.0.0.1', 'Address the HTTP server listens on (0.0.0.0 for all interfaces)'],
  ['PORT', '3000', 'HTTP port'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug or trace'],
  ['DANCU_DEMO_CITIZENS', '100000', 'Synthetic citizens created on first start of an empty store; 0 turns the demo off'],
  ['DANCU_DEMO_SEED', '1', 'Seed of the synthetic population generator'],
  ['DANCU_PG_POOL', '10', 'PostgreSQL connection pool size (per server process)'],
  ['DANCU_WORKERS', '1', 'Server processes sharing the HTTP port (e.g. one per CPU core); each has its own store connection'],
  ['DANCU_SIGNING_KEY_FILE', '<DANCU_DATA_DIR>/keys/<kid>.pem (generated)', 'Ed25519 private key (PEM) that signs certificates'],
  ['DANCU_HOLIDAYS_FILE', '(built-in calendar)', 'JSON {addHolidays, removeHolidays, extraWorkingDays} applying the year\'s government decisions to the built-in holiday calendar'],
  ['DANCU_RESIDENCE_POLICY_FILE', '(the law\'s defaults)', 'JSON {minTemporaryStayDays, headMaySplitOff, floorAreaM2ByProvince} for residence choices the law leaves open (docs/legal/residence.md §4)'],
  ['DANCU_ANOMALY_MULTIPLE', '5', 'An exchange connection is suspended when its hourly volume exceeds this multiple of its usual volume'],
  ['DANCU_ANOMALY_MIN_CALLS', '100', '… and reaches at least this many calls in the hour'],
  ['DANCU_ANOMALY_BASELINE_HOURS', '168', '… the usual volume being the median of this many previous hours'],
  ['DANCU_ANOMALY_MIN_HISTORY_HOURS', '24', '… once the connection has been live this many hours; before that, the hourly share of its daily quota (none: never suspended)'],
  ['DANCU_PUBLIC_URL', 'http://<HOST>:<PORT>', 'Base URL printed on certificates for online verification'],
  ['DANCU_WEB_DIR', '<package>/dist/web', 'The built web portal (npm run build:web) served at /'],
  ['DANCU_CPU_WORKERS', '(cores − 1, 1 to 4)', 'Worker threads per server process for image decoding and PDF rendering; subscriber imports parse in threads of their own, at most DANCU_CPU_WORKERS + DANCU_CPU_QUEUE at once'],
  ['DANCU_CPU_QUEUE', '16', 'Tasks that may wait for a worker thread; beyond that the request gets 503 WORKERS_BUSY with Retry-After'],
  ['DANCU_CPU_TIMEOUT_MS', '15000', 'Time limit of one task; the worker is then terminated and replaced (422 IMAGE_TOO_COMPLEX, 503 RENDERING_FAILED); an import parsing thread silent that long: 503 SUBSCRIBER_IMPORT_INTERRUPTED; an import\'s input silent that long: 400 UPLOAD_INCOMPLETE'],
  ['DANCU_CPU_MEMORY_MB', '256', 'JavaScript heap limit of each worker thread (pixel buffers are bounded by DANCU_IMAGE_MAX_PIXELS)'],
  ['DANCU_IMAGE_MAX_PIXELS', '25000000', 'Largest uploaded image (width × height, read from its header before decoding); larger: 413 IMAGE_TOO_LARGE'],
  ['DANCU_RATE_AUTH_FAILURES', '20', 'Failed authentications (401) per minute per source address; beyond it every request with a credential gets 429 with Retry-After; 0: no limit'],
  ['DANCU_RATE_TOKEN', '60', 'Calls of the agency token endpoint per minute per source address'],
  ['DANCU_RATE_VERIFICATION', '60', 'Calls of the public verification routes per minute per source address'],
  ['DANCU_RATE_ANONYMOUS', '300', 'Calls without credentials per minute per source address (each of DANCU_WORKERS processes enforces its share)'],
  ['DANCU_TRUST_PROXY', '(none)', 'Comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For gives the client address'],
  ['DANCU_TLS_CERT_FILE', '(none: plain HTTP)', 'PEM certificate chain: dancu serves HTTPS itself (with DANCU_TLS_KEY_FILE), for deployments without a proxy'],
  ['DANCU_TLS_KEY_FILE', '(none)', 'PEM private key of DANCU_TLS_CERT_FILE'],
  ['DANCU_LOG_KEY_FILE', '<DANCU_DATA_DIR>/keys/log-ed25519.pem (generated)', 'Ed25519 private key (PEM) that signs the transparency log\'s checkpoints'],
  ['DANCU_LOG_ORIGIN', '<host of DANCU_PUBLIC_URL>/dancu-log, kept once signed', 'The transparency log\'s name (C2SP origin, also its key name); a log keeps the origin of its first checkpoint and refuses another'],
  ['DANCU_LOG_BATCH_BUDGET_MS', '500', 'Longest the transparency log\'s sequencer spends on one batch (one transaction, one signed checkpoint); a batch that would take longer is cut and the rest follows at once, so a checkpoint is signed about every second also while a backlog is worked off'],
  ['DANCU_SESSION_IDLE_MINUTES', '30', 'A signed-in session ends after this many minutes without a request'],
  ['DANCU_SESSION_ABSOLUTE_HOURS', '12', '… and at the latest this many hours after signing in'],
  ['DANCU_SIGN_IN_FREE_FAILURES', '3', 'Failed sign-ins per login name before a delay (doubling from 2 s); five times as many per source address'],
  ['DANCU_SIGN_IN_MAX_DELAY_SECONDS', '900', 'The longest delay after failed sign-ins'],
  ['DANCU_TOKEN_DEFAULT_DAYS', '90', 'Lifetime of a bearer token when none is asked (tokens made before migration 0020 expire this long after it)'],
  ['DANCU_TOKEN_MAX_DAYS', '365', 'The longest lifetime a bearer token may be given'],
  ['DANCU_PASSWORD_SCRYPT_LOG_N', '17', 'scrypt cost of new password hashes: N = 2^this (r = 8, p = 1; 17 uses 128 MiB per hash)'],
  ['DANCU_SMPP_URL', '(none: no SMS gateway; the demo starts a local test SMSC)', 'The operators\' SMSCs the SMS gateway binds to as a transceiver, comma-separated: smpp://system_id:password@host:2775'],
  ['DANCU_SMS_PER_NUMBER_PER_MINUTE', '5', 'Citizens\' SMS requests one phone number may make per minute (all at once or spread); past it one short "too many" reply, then none until it refills; 0: no limit'],
  ['DANCU_SUBSCRIBER_UPLOAD_MAX_LINES', '2000000', 'Most lines in one upload of subscriber links (importSubscriberLinks); past it the upload is refused with 413 SUBSCRIBER_UPLOAD_TOO_LARGE at that line (batches committed before it stay: resend the rest as another file)'],
  ['DANCU_SUBSCRIBER_UPLOAD_MAX_BYTES', '536870912', 'Most bytes in one upload of subscriber links: a larger Content-Length is refused (413 SUBSCRIBER_UPLOAD_TOO_LARGE) before anything is read; a chunked upload when it passes the limit'],
  ['DANCU_WITNESSES', '(none)', 'Witnesses the log pushes each checkpoint to, separated by commas: "<URL prefix of add-checkpoint> <witness verifier key>"; their cosignatures are published on /transparency/checkpoint'],
];

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return n;
}

function atLeastOne(n: number, name: string): number {
  if (n < 1) throw new Error(`${name} must be at least 1`);
  return n;
}

/**
 * The default data directory of a store, so that a PostgreSQL database and the SQLite demo never
 * share (and overwrite) each other's demo tokens, agency files and keys.
 */
export function defaultDataDir(databaseUrl: string | undefined): string {
  if (!databaseUrl || storeKindOf(databaseUrl) === 'sqlite') return './data/sqlite';
  let db = '';
  try {
    const url = new URL(databaseUrl);
    // Without a database in the path, pg connects to the one named like the user.
    db = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username);
  } catch {
    // An unparsable URL is pg's to refuse; the directory falls back to the default name below.
  }
  const name = (db || 'postgres').replace(/[^A-Za-z0-9_.-]/g, '_');
  return `./data/postgres-${name}`;
}

/** Both TLS files or neither: half a configuration would silently serve plain HTTP. */
function tlsOf(env: NodeJS.ProcessEnv): { tls?: { certFile: string; keyFile: string } } {
  const certFile = env.DANCU_TLS_CERT_FILE;
  const keyFile = env.DANCU_TLS_KEY_FILE;
  if (!certFile && !keyFile) return {};
  if (!certFile || !keyFile) throw new Error('DANCU_TLS_CERT_FILE and DANCU_TLS_KEY_FILE go together: set both, or neither');
  return { tls: { certFile, keyFile } };
}

function authOf(env: NodeJS.ProcessEnv): AuthSettings {
  const d = DEFAULT_AUTH_SETTINGS;
  const tokens = {
    defaultDays: atLeastOne(int(env.DANCU_TOKEN_DEFAULT_DAYS, d.tokens.defaultDays, 'DANCU_TOKEN_DEFAULT_DAYS'), 'DANCU_TOKEN_DEFAULT_DAYS'),
    maxDays: atLeastOne(int(env.DANCU_TOKEN_MAX_DAYS, d.tokens.maxDays, 'DANCU_TOKEN_MAX_DAYS'), 'DANCU_TOKEN_MAX_DAYS'),
  };
  if (tokens.defaultDays > tokens.maxDays) throw new Error('DANCU_TOKEN_DEFAULT_DAYS may not exceed DANCU_TOKEN_MAX_DAYS');
  const logN = int(env.DANCU_PASSWORD_SCRYPT_LOG_N, d.scryptLogN, 'DANCU_PASSWORD_SCRYPT_LOG_N');
  if (logN < 14 || logN > 20) throw new Error('DANCU_PASSWORD_SCRYPT_LOG_N must be 14 to 20');
  return {
    ...d,
    sessions: {
      idleMinutes: atLeastOne(int(env.DANCU_SESSION_IDLE_MINUTES, d.sessions.idleMinutes, 'DANCU_SESSION_IDLE_MINUTES'), 'DANCU_SESSION_IDLE_MINUTES'),
      absoluteHours: atLeastOne(int(env.DANCU_SESSION_ABSOLUTE_HOURS, d.sessions.absoluteHours, 'DANCU_SESSION_ABSOLUTE_HOURS'), 'DANCU_SESSION_ABSOLUTE_HOURS'),
    },
    lockout: {
      ...d.lockout,
      freeFailures: int(env.DANCU_SIGN_IN_FREE_FAILURES, d.lockout.freeFailures, 'DANCU_SIGN_IN_FREE_FAILURES'),
      maxDelaySeconds: atLeastOne(int(env.DANCU_SIGN_IN_MAX_DELAY_SECONDS, d.lockout.maxDelaySeconds, 'DANCU_SIGN_IN_MAX_DELAY_SECONDS'), 'DANCU_SIGN_IN_MAX_DELAY_SECONDS'),
    },
    tokens,
    scryptLogN: logN,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = env.DANCU_DATA_DIR || defaultDataDir(env.DANCU_DATABASE_URL);
  const databaseUrl = env.DANCU_DATABASE_URL || `sqlite:${dataDir}/dancu.sqlite`;
  storeKindOf(databaseUrl); // refuses an unknown scheme before anything is created
  return {
    databaseUrl,
    dataDir,
    host: env.HOST || '127.0.0.1',
    port: int(env.PORT, 3000, 'PORT'),
    logLevel: env.LOG_LEVEL || 'info',
    demoCitizens: int(env.DANCU_DEMO_CITIZENS, 100_000, 'DANCU_DEMO_CITIZENS'),
    demoSeed: int(env.DANCU_DEMO_SEED, 1, 'DANCU_DEMO_SEED'),
    pgPoolSize: int(env.DANCU_PG_POOL, 10, 'DANCU_PG_POOL'),
    workers: atLeastOne(int(env.DANCU_WORKERS, 1, 'DANCU_WORKERS'), 'DANCU_WORKERS'),
    ...(env.DANCU_SIGNING_KEY_FILE ? { signingKeyFile: env.DANCU_SIGNING_KEY_FILE } : {}),
    anomalyRule: {
      multiple: int(env.DANCU_ANOMALY_MULTIPLE, DEFAULT_ANOMALY_RULE.multiple, 'DANCU_ANOMALY_MULTIPLE'),
      minimumCalls: int(env.DANCU_ANOMALY_MIN_CALLS, DEFAULT_ANOMALY_RULE.minimumCalls, 'DANCU_ANOMALY_MIN_CALLS'),
      baselineHours: int(env.DANCU_ANOMALY_BASELINE_HOURS, DEFAULT_ANOMALY_RULE.baselineHours, 'DANCU_ANOMALY_BASELINE_HOURS'),
      minimumHistoryHours: int(env.DANCU_ANOMALY_MIN_HISTORY_HOURS, DEFAULT_ANOMALY_RULE.minimumHistoryHours, 'DANCU_ANOMALY_MIN_HISTORY_HOURS'),
    },
    rateLimits: {
      authFailures: int(env.DANCU_RATE_AUTH_FAILURES, DEFAULT_RATE_LIMITS.authFailures, 'DANCU_RATE_AUTH_FAILURES'),
      token: int(env.DANCU_RATE_TOKEN, DEFAULT_RATE_LIMITS.token, 'DANCU_RATE_TOKEN'),
      verification: int(env.DANCU_RATE_VERIFICATION, DEFAULT_RATE_LIMITS.verification, 'DANCU_RATE_VERIFICATION'),
      anonymous: int(env.DANCU_RATE_ANONYMOUS, DEFAULT_RATE_LIMITS.anonymous, 'DANCU_RATE_ANONYMOUS'),
    },
    // Parsed here only to refuse at start what could never bind (the gateway parses it again).
    ...(env.DANCU_SMPP_URL?.trim() ? { smppUrls: (parseSmppUrls(env.DANCU_SMPP_URL), env.DANCU_SMPP_URL.trim()) } : {}),
    smsPerNumberPerMinute: int(env.DANCU_SMS_PER_NUMBER_PER_MINUTE, 5, 'DANCU_SMS_PER_NUMBER_PER_MINUTE'),
    subscriberUpload: {
      maxLines: atLeastOne(int(env.DANCU_SUBSCRIBER_UPLOAD_MAX_LINES, DEFAULT_SUBSCRIBER_UPLOAD.maxLines, 'DANCU_SUBSCRIBER_UPLOAD_MAX_LINES'), 'DANCU_SUBSCRIBER_UPLOAD_MAX_LINES'),
      maxBytes: atLeastOne(int(env.DANCU_SUBSCRIBER_UPLOAD_MAX_BYTES, DEFAULT_SUBSCRIBER_UPLOAD.maxBytes, 'DANCU_SUBSCRIBER_UPLOAD_MAX_BYTES'), 'DANCU_SUBSCRIBER_UPLOAD_MAX_BYTES'),
    },
    trustProxy: (env.DANCU_TRUST_PROXY ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    ...tlsOf(env),
    cpu: {
      size: atLeastOne(int(env.DANCU_CPU_WORKERS, DEFAULT_CPU_LIMITS.size, 'DANCU_CPU_WORKERS'), 'DANCU_CPU_WORKERS'),
      maxQueue: int(env.DANCU_CPU_QUEUE, DEFAULT_CPU_LIMITS.maxQueue, 'DANCU_CPU_QUEUE'),
      timeoutMs: atLeastOne(int(env.DANCU_CPU_TIMEOUT_MS, DEFAULT_CPU_LIMITS.timeoutMs, 'DANCU_CPU_TIMEOUT_MS'), 'DANCU_CPU_TIMEOUT_MS'),
      memoryMb: atLeastOne(int(env.DANCU_CPU_MEMORY_MB, DEFAULT_CPU_LIMITS.memoryMb, 'DANCU_CPU_MEMORY_MB'), 'DANCU_CPU_MEMORY_MB'),
      maxPixels: atLeastOne(int(env.DANCU_IMAGE_MAX_PIXELS, DEFAULT_CPU_LIMITS.maxPixels, 'DANCU_IMAGE_MAX_PIXELS'), 'DANCU_IMAGE_MAX_PIXELS'),
    },
    ...(env.DANCU_HOLIDAYS_FILE ? { holidaysFile: env.DANCU_HOLIDAYS_FILE } : {}),
    ...(env.DANCU_RESIDENCE_POLICY_FILE ? { residencePolicyFile: env.DANCU_RESIDENCE_POLICY_FILE } : {}),
    ...(env.DANCU_PUBLIC_URL ? { publicUrl: env.DANCU_PUBLIC_URL.replace(/\/$/, '') } : {}),
    ...(env.DANCU_WEB_DIR ? { webDir: env.DANCU_WEB_DIR } : {}),
    ...(env.DANCU_LOG_KEY_FILE ? { logKeyFile: env.DANCU_LOG_KEY_FILE } : {}),
    ...(env.DANCU_LOG_ORIGIN ? { logOrigin: env.DANCU_LOG_ORIGIN } : {}),
    witnesses: parseWitnesses(env.DANCU_WITNESSES),
    auth: authOf(env),
    logBatchBudgetMs: atLeastOne(int(env.DANCU_LOG_BATCH_BUDGET_MS, 500, 'DANCU_LOG_BATCH_BUDGET_MS'), 'DANCU_LOG_BATCH_BUDGET_MS'),
  };
}
