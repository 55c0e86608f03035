/**
 * The crash drill (issue 12 item 8): `dancu serve` as a child process under concurrent mixed
 * writes — births, updates, cards, residence applications and approvals, exchange calls — is
 * killed with SIGKILL at a random moment, again and again. While it is down the drill opens the
 * store itself and checks that every write the server acknowledged (answered 2xx) is there, and
 * every invariant of the register; then it starts the server again on the same store. Used by
 * test/crash/kill-restart.test.ts (a few kills per store) and scripts/crash-test.ts (npm run
 * crash-test, 50 or more per store).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { importJWK, SignJWT, type JWK } from 'jose';
import { openStore } from '../../src/store/connect.js';
import { freePort } from '../support/child.js';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface DrillOptions {
  databaseUrl: string;
  dataDir: string;
  kills: number;
  /** Concurrent request loops. */
  concurrency?: number;
  /** Load lasts a random time in [min, max] ms before each kill. */
  loadMs?: [number, number];
  log?: (line: string) => void;
}

export interface DrillResult {
  kills: number;
  acknowledged: Record<Kind, number>;
  lost: string[];
  violations: string[];
  refusedWith5xx: number;
}

type Kind = 'birth' | 'update' | 'card' | 'application' | 'approval' | 'exchange';

interface Ack {
  kind: Kind;
  personalId?: string;
  version?: number;
  seq?: number;
  applicationId?: string;
  requestId?: string;
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[Math.floor(Math.random() * xs.length)] : undefined);

function addDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

interface Server {
  child: ChildProcess;
  exited: Promise<void>;
}

async function startServer(o: DrillOptions, port: number): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: {
      ...process.env,
      DANCU_DATABASE_URL: o.databaseUrl,
      DANCU_DATA_DIR: o.dataDir,
      DANCU_DEMO_CITIZENS: '200',
      DANCU_DEMO_SEED: '7',
      // The drill calls the exchange far faster than a real agency; keep the anomaly rule out of it.
      DANCU_ANOMALY_MIN_CALLS: '100000000',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + d).slice(-20_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`dancu serve exited (${child.exitCode}) before answering:\n${err}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      // The demo token and agency files are written before the server listens.
      if (res.ok && err.includes('Demo agency client')) return { child, exited };
      await res.arrayBuffer();
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`dancu serve did not become healthy:\n${err}`);
}

interface Client {
  clientId: string;
  kid: string;
  tokenEndpoint: string;
  apiBase: string;
  purposes: string[];
}

/** The load: loops of random writes against the server until stopped; acknowledged writes are kept. */
class Load {
  readonly acks: Ack[] = [];
  readonly citizens: string[] = [];
  readonly openApplications: string[] = [];
  readonly withCard = new Set<string>();
  readonly withApplication = new Set<string>();
  refusedWith5xx = 0;
  #stop = false;
  #exchangeToken: string | undefined;
  #n = 0;

  constructor(
    readonly base: string,
    readonly officer: string,
    readonly client: Client,
    readonly privateJwk: JWK,
    readonly demoPeople: string[],
  ) {}

  async #call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.base + path, {
      method,
      // An officer says why (X-Purpose): the use is recorded with it (DESIGN §3.4).
      headers: { authorization: `Bearer ${this.officer}`, 'x-purpose': 'CRASH-DRILL', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 500 && res.status !== 503) this.refusedWith5xx++;
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  async #birth() {
    const n = ++this.#n;
    const r = await this.#call('POST', '/citizens', {
      citizen: {
        fullName: `Nguyễn Văn Thử ${String.fromCharCode(65 + (n % 26))}`,
        dateOfBirth: '2001-03-05',
        sex: n % 2 ? 'male' : 'female',
        ethnicity: '01',
        nationality: 'VN',
        birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'UBND phường' },
      },
    });
    if (r.status === 201) {
      this.acks.push({ kind: 'birth', personalId: r.body.personalId });
      this.citizens.push(r.body.personalId);
    }
  }

  async #update() {
    const pid = pick(this.citizens);
    if (!pid) return this.#birth();
    const read = await this.#call('GET', `/citizens/${pid}`);
    if (read.status !== 200) return;
    const r = await this.#call('PATCH', `/citizens/${pid}`, { changes: { email: `thu${randomUUID().slice(0, 8)}@example.vn` }, reason: 'Cập nhật' }, { 'if-match': `"${read.body.version}"` });
    if (r.status === 200) this.acks.push({ kind: 'update', personalId: pid, version: r.body.version });
  }

  async #card() {
    const pid = pick(this.citizens.filter((c) => !this.withCard.has(c)));
    if (!pid) return this.#birth();
    this.withCard.add(pid);
    const r = await this.#call('POST', `/citizens/${pid}/cards`, {});
    if (r.status === 201) this.acks.push({ kind: 'card', personalId: pid, seq: r.body.seq });
  }

  async #application() {
    const pid = pick(this.citizens.filter((c) => !this.withApplication.has(c)));
    if (!pid) return this.#birth();
    this.withApplication.add(pid);
    const r = await this.#call('POST', '/residence/temporary-registrations', {
      personalId: pid,
      address: { country: 'VN', unitSet: '2025', unitCode: '00008', detail: 'Số 5 phố Đội Cấn' },
      validUntil: addDays(365),
      lawfulResidence: { kind: 'owned' },
    });
    if (r.status === 201) {
      this.acks.push({ kind: 'application', personalId: pid, applicationId: r.body.applicationId });
      this.openApplications.push(r.body.applicationId);
    }
  }

  async #approval() {
    const id = this.openApplications.shift();
    if (!id) return this.#application();
    const r = await this.#call('POST', `/residence/applications/${id}/approval`, {});
    if (r.status === 200) this.acks.push({ kind: 'approval', applicationId: id });
  }

  async #exchange() {
    const pid = pick(this.demoPeople);
    if (!pid) return;
    this.#exchangeToken ??= await this.#token();
    if (!this.#exchangeToken) return;
    const requestId = randomUUID();
    const r = await this.#call('POST', '/exchange/services/lookupCitizen', { personalId: pid }, {
      authorization: `Bearer ${this.#exchangeToken}`,
      'x-request-id': requestId,
      'x-purpose': this.client.purposes[0]!,
      'x-officer-id': 'GDV-0001',
    });
    if (r.status === 200) this.acks.push({ kind: 'exchange', requestId });
    if (r.status === 401) this.#exchangeToken = undefined;
  }

  async #token(): Promise<string | undefined> {
    const key = await importJWK(this.privateJwk, 'ES256');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.client.kid })
      .setIssuer(this.client.clientId)
      .setSubject(this.client.clientId)
      .setAudience(this.client.tokenEndpoint)
      .setIssuedAt()
      .setExpirationTime('2m')
      .setJti(randomUUID())
      .sign(key);
    const res = await fetch(`${this.base}/exchange/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }).toString(),
    });
    const body = (await res.json()) as { access_token?: string };
    return body.access_token;
  }

  async loop(): Promise<void> {
    const ops = [() => this.#birth(), () => this.#update(), () => this.#card(), () => this.#application(), () => this.#approval(), () => this.#exchange()];
    while (!this.#stop) {
      try {
        await pick(ops)!();
      } catch {
        // The server was killed under this request: it was never acknowledged.
        await sleep(20);
      }
    }
  }

  stop(): void {
    this.#stop = true;
  }
}

/** Every acknowledged write and every invariant, read from the store while the server is down. */
async function verify(databaseUrl: string, acks: readonly Ack[], today: string): Promise<{ lost: string[]; violations: string[] }> {
  const store = openStore({ url: databaseUrl, poolSize: 2 });
  const db = store.db;
  const lost: string[] = [];
  const violations: string[] = [];
  try {
    for (const a of acks) {
      switch (a.kind) {
        case 'birth': {
          const c = await db.selectFrom('citizen').select('personal_id').where('personal_id', '=', a.personalId!).executeTakeFirst();
          if (!c) lost.push(`birth ${a.personalId}`);
          break;
        }
        case 'update': {
          const h = await db.selectFrom('citizen_history').select('version').where('personal_id', '=', a.personalId!).where('version', '=', a.version!).executeTakeFirst();
          if (!h) lost.push(`update ${a.personalId} v${a.version}`);
          break;
        }
        case 'card': {
          const c = await db.selectFrom('id_card').select('seq').where('personal_id', '=', a.personalId!).where('seq', '=', a.seq!).executeTakeFirst();
          if (!c) lost.push(`card ${a.personalId}#${a.seq}`);
          break;
        }
        case 'application': {
          const r = await db.selectFrom('residence_application').select('status').where('application_id', '=', a.applicationId!).executeTakeFirst();
          if (!r) lost.push(`application ${a.applicationId}`);
          break;
        }
        case 'approval': {
          const r = await db.selectFrom('residence_application').select('status').where('application_id', '=', a.applicationId!).executeTakeFirst();
          const reg = await db.selectFrom('residence_registration').select('seq').where('application_id', '=', a.applicationId!).executeTakeFirst();
          if (r?.status !== 'approved' || !reg) lost.push(`approval ${a.applicationId}`);
          break;
        }
        case 'exchange': {
          const r = await db.selectFrom('access_entry').select('entry_id').where('request_id', '=', a.requestId!).where('primary_row', '=', 1).where('outcome', '=', 'served').executeTakeFirst();
          if (!r) lost.push(`exchange call ${a.requestId} not in the access log`);
          break;
        }
      }
    }
    const check = async (label: string, query: string) => {
      const rows = (await sql.raw(query).execute(db)).rows as Record<string, unknown>[];
      if (rows.length > 0) violations.push(`${label}: ${JSON.stringify(rows.slice(0, 3))}`);
    };
    // A record and its history are one transaction: versions 1..n, no gap, no orphan.
    await check('history versions', `select c.personal_id from citizen c left join (select personal_id, count(*) as n, max(version) as top from citizen_history group by personal_id) h on h.personal_id = c.personal_id where h.n is null or h.n <> c.version or h.top <> c.version`);
    await check('card without its history row', `select k.personal_id, k.seq from id_card k where not exists (select 1 from id_card_history h where h.personal_id = k.personal_id and h.seq = k.seq and h.version = k.version)`);
    await check('two valid cards', `select personal_id from id_card where revoked_on is null and replaced_on is null and lost_on is null and (expiry_date is null or expiry_date >= '${today}') group by personal_id having count(*) > 1`);
    await check('two open applications of one procedure', `select personal_id, procedure from residence_application where status in ('submitted', 'documents_requested') group by personal_id, procedure having count(*) > 1`);
    await check('two permanent residences in force', `select personal_id from residence_registration where kind = 'permanent' and ended_on is null group by personal_id having count(*) > 1`);
    await check('approved without its effect', `select a.application_id from residence_application a where a.status = 'approved' and a.procedure = 'temporary_registration' and not exists (select 1 from residence_registration r where r.application_id = a.application_id)`);
    await check('registration without its residence event', `select r.personal_id, r.seq from residence_registration r where r.application_id is not null and not exists (select 1 from residence_event e where e.personal_id = r.personal_id and e.application_id = r.application_id)`);
    await check('two heads in a household', `select household_id from household_member where relationship = 'head' group by household_id having count(*) > 1`);
    // A use is one row per citizen concerned (or one under its caller), written together with their leaves.
    await check('a use without exactly one primary row', `select entry_id from access_entry group by entry_id having sum(primary_row) <> 1`);
    await check('a use missing rows of its people', `select entry_id from access_entry group by entry_id having count(*) <> max(case when subject_count = 0 then 1 else subject_count end)`);
    await check('access entry without its leaf', `select e.subject_key, e.entry_id from access_entry e where not exists (select 1 from tlog_leaf_ref l where l.kind = 'access_entry' and l.subject_key = e.subject_key and l.ref = e.entry_id)`);

  } finally {
    await store.close();
  }
  return { lost, violations };
}

export async function runDrill(o: DrillOptions): Promise<DrillResult> {
  const log = o.log ?? (() => undefined);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const [minMs, maxMs] = o.loadMs ?? [300, 1500];
  const acks: Ack[] = [];
  const result: DrillResult = { kills: 0, acknowledged: { birth: 0, update: 0, card: 0, application: 0, approval: 0, exchange: 0 }, lost: [], violations: [], refusedWith5xx: 0 };
  let server = await startServer(o, port);
  const officer = readFileSync(join(o.dataDir, 'demo-officer.token'), 'utf8').trim();
  const client = JSON.parse(readFileSync(join(o.dataDir, 'demo-agency', 'client.json'), 'utf8')) as Client;
  const privateJwk = JSON.parse(readFileSync(join(o.dataDir, 'demo-agency', 'private-key.jwk.json'), 'utf8')) as JWK;
  const seeded = openStore({ url: o.databaseUrl, poolSize: 1 });
  const demoPeople = (await seeded.db.selectFrom('citizen').select('personal_id').where('date_of_death', 'is', null).orderBy('personal_id').limit(50).execute()).map((r) => r.personal_id);
  await seeded.close();
  // Citizens and applications carry over from one life of the server to the next.
  let carry: Pick<Load, 'citizens' | 'openApplications' | 'withCard' | 'withApplication'> | undefined;
  for (let k = 0; k < o.kills; k++) {
    const load = new Load(base, officer, { ...client, tokenEndpoint: `${base}/exchange/oauth/token`, apiBase: base }, privateJwk, demoPeople);
    if (carry) {
      load.citizens.push(...carry.citizens);
      load.openApplications.push(...carry.openApplications);
      carry.withCard.forEach((c) => load.withCard.add(c));
      carry.withApplication.forEach((c) => load.withApplication.add(c));
    }
    const loops = Array.from({ length: o.concurrency ?? 8 }, () => load.loop());
    // The random moment counts from the first acknowledged write of this life (a cold server on a
    // busy machine may take a while to answer), so that every life is killed under real writes.
    for (let waited = 0; load.acks.length === 0 && waited < 10_000; waited += 20) await sleep(20);
    await sleep(minMs + Math.random() * (maxMs - minMs));
    server.child.kill('SIGKILL');
    await server.exited;
    load.stop();
    await Promise.all(loops);
    result.kills++;
    acks.push(...load.acks);
    result.refusedWith5xx += load.refusedWith5xx;
    carry = load;
    const { lost, violations } = await verify(o.databaseUrl, acks, new Date().toISOString().slice(0, 10));
    result.lost.push(...lost.filter((l) => !result.lost.includes(l)));
    result.violations.push(...violations.map((v) => `after kill ${k + 1}: ${v}`));
    log(`kill ${k + 1}/${o.kills}: ${load.acks.length} writes acknowledged in this life, ${acks.length} in all; lost ${result.lost.length}; violations ${result.violations.length}`);
    server = await startServer(o, port);
  }
  server.child.kill('SIGTERM');
  await server.exited;
  for (const a of acks) result.acknowledged[a.kind]++;
  return result;
}
