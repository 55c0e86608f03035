/**
 * The demo's data exchange: a published catalogue for this year and one demo agency (a bank)
 * whose system is connected and active, with its private key kept in the data directory so the
 * example client (examples/agency-client.ts) can sign its assertions. A demo administrator token
 * is kept beside the officer's, for the ministry API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { Runtime } from '../services/runtime.js';
import type { Actor } from '../services/context.js';
import { authenticate, createPrincipal } from '../services/principals.js';
import { catalogueInForce, lookUpCatalogue, prepareCatalogue, publishCatalogue } from '../services/exchange/catalogue.js';
import { findConnections, lookUpAgency, lookUpConnection, recordAssessment, registerAgency, requestConnection, setPolicy, transitionConnection } from '../services/exchange/agencies.js';
import { consentsHeld } from '../services/exchange/consent-check.js';
import { decideConsent as decideInForce, stateAt } from '../domain/exchange/consent.js';
import { decideConsent, requestConsent } from '../services/consents/requests.js';

export const DEMO_AGENCY = 'DEMO-BANK';
const DEMO_ACTOR: Actor = { principalId: 'system:demo', role: 'admin' };
const PURPOSES = ['1.004222', 'KYC-MOTAIKHOAN'];

export interface DemoClient {
  clientId: string;
  kid: string;
  tokenEndpoint: string;
  apiBase: string;
  purposes: string[];
}

function writeSecret(file: string, text: string): void {
  writePrivateFile(file, text);
}

export async function ensureDemoAdminToken(rt: Runtime, dataDir: string): Promise<string> {
  const file = join(dataDir, 'demo-admin.token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (await authenticate(rt.store, token, rt.ctx.clock)) return token;
  }
  const { token } = await createPrincipal(rt.store, rt.ctx.clock, 'Demo administrator (quản trị demo)', 'admin');
  ensurePrivateDir(dataDir);
  writeSecret(file, `${token}\n`);
  return token;
}

/** Publishes this year's catalogue and connects the demo bank, once; returns where its client files are. */
export async function ensureDemoExchange(rt: Runtime, dataDir: string, publicUrl: string): Promise<{ dir: string; client: DemoClient }> {
  const ctx = rt.ctx;
  const year = ctx.clock.now().getUTCFullYear();
  if (!(await catalogueInForce(ctx))) {
    if (!(await lookUpCatalogue(ctx, year))) await prepareCatalogue(ctx, year);
    await publishCatalogue(ctx, year);
  }
  const dir = join(dataDir, 'demo-agency');
  const clientFile = join(dir, 'client.json');
  const keyFile = join(dir, 'private-key.jwk.json');
  const existing = (await findConnections(ctx, { agencyCode: DEMO_AGENCY })).find((c) => c.state === 'active');
  if (existing && existsSync(clientFile) && existsSync(keyFile)) {
    const client = { ...(JSON.parse(readFileSync(clientFile, 'utf8')) as DemoClient), tokenEndpoint: `${publicUrl}/exchange/oauth/token`, apiBase: publicUrl };
    writeSecret(clientFile, `${JSON.stringify(client, null, 2)}\n`);
    return { dir, client };
  }
  if (!(await lookUpAgency(ctx.store, DEMO_AGENCY))) {
    await registerAgency(ctx, {
      code: DEMO_AGENCY,
      name: 'Ngân hàng Thương mại Demo',
      type: 'credit_institution',
      stateBudgetFunded: false,
      dataOffer: 'Sẵn sàng chia sẻ kết quả xác thực khách hàng (eKYC) với cơ quan quản lý',
      focalPoints: [{ fullName: 'Trần Thị Demo', position: 'Trưởng phòng Công nghệ thông tin', phone: '0243 999 9999', email: 'dau-moi@demo-bank.example' }],
    });
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `demo-${ctx.clock.now().toISOString().slice(0, 10)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const c = await requestConnection(ctx, DEMO_ACTOR, {
    agencyCode: DEMO_AGENCY,
    systemName: 'Hệ thống eKYC mở tài khoản',
    services: ['lookupCitizen', 'verifyCitizen', 'getResidenceInformation', 'confirmHouseholdHead', 'getCardStatus'],
    purposes: PURPOSES,
    jwks: { keys: [publicJwk] },
  });
  await recordAssessment(ctx, DEMO_ACTOR, c.connectionId, { result: 'passed', summary: 'Demo: hồ sơ đề xuất cấp độ 3 đạt yêu cầu', assessor: 'A05 (demo)' });
  await setPolicy(ctx, DEMO_ACTOR, c.connectionId, {
    grants: [
      { service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth', 'sex', 'permanentResidence'], purposes: PURPOSES },
      { service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth', 'sex', 'phone', 'address'], purposes: PURPOSES },
      { service: 'getResidenceInformation', fields: ['permanentResidence', 'livesAt'], purposes: PURPOSES },
      { service: 'confirmHouseholdHead', fields: ['isHead'], purposes: PURPOSES },
      { service: 'getCardStatus', fields: ['generation', 'status', 'expiryDate'], purposes: PURPOSES },
    ],
    ratePerMinute: 600,
    dailyQuota: 10_000,
  });
  await transitionConnection(ctx, DEMO_ACTOR, c.connectionId, 'approve_for_test', 'Demo: thử nghiệm với dữ liệu giả lập');
  await transitionConnection(ctx, DEMO_ACTOR, c.connectionId, 'activate', 'Demo: đưa vào hoạt động');
  ensurePrivateDir(dir);
  writeSecret(keyFile, `${JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }, null, 2)}\n`);
  const client: DemoClient = { clientId: c.connectionId, kid, tokenEndpoint: `${publicUrl}/exchange/oauth/token`, apiBase: publicUrl, purposes: PURPOSES };
  writeSecret(clientFile, `${JSON.stringify(client, null, 2)}\n`);
  return { dir, client };
}

/**
 * The demo bank is a credit institution: each call needs the data subject's consent (decision 0044).
 * The demo citizen the start-up message names has given it — asked by the bank's system and approved
 * on the citizen's behalf, recorded with the channel `demo` — so the example client is served. Made
 * again when it has lapsed; a real citizen approves in their own account (POST /me/consents/{id}/approve).
 */
export async function ensureDemoConsent(rt: Runtime, clientId: string, personalId: string): Promise<void> {
  const ctx = rt.ctx;
  const held = await consentsHeld(ctx.store, [personalId], clientId, PURPOSES[0]!);
  const now = ctx.clock.now().toISOString();
  const q = { service: 'lookupCitizen', purpose: PURPOSES[0]!, now };
  if (decideInForce(held, q).allowed) return;
  const connection = await lookUpConnection(ctx.store, clientId);
  if (!connection) return;
  const asked = await requestConsent(ctx, connection, {
    personalId,
    purpose: PURPOSES[0]!,
    data: [
      { service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth', 'sex', 'permanentResidence'] },
      { service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth'] },
    ],
    validDays: 365,
  }).catch(() => undefined);
  // A pending request (an earlier start that stopped half-way) is answered instead.
  const pending = asked ?? held.find((c) => stateAt(c, now) === 'pending');
  if (pending) await decideConsent(ctx, personalId, 'demo:citizen', pending.consentId, 'approve', 'demo', 'self');
}
