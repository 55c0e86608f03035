/**
 * The exchange part of npm run bench: a connected agency (set up through the services, as the
 * ministry would), a token from the real token endpoint (jose-signed assertion), and loads of
 * lookupCitizen / verifyCitizen through the whole mechanism: token check, state, policy, field
 * filtering, fee and the access-log write of every call.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Runtime } from '../src/services/runtime.js';
import type { Actor } from '../src/services/context.js';
import { prepareCatalogue, publishCatalogue } from '../src/services/exchange/catalogue.js';
import { recordAssessment, registerAgency, requestConnection, setPolicy, transitionConnection } from '../src/services/exchange/agencies.js';

const ACTOR: Actor = { principalId: 'bench', role: 'admin' };

export interface BenchAgency {
  connectionId: string;
  key: CryptoKey;
  kid: string;
}

export async function connectBenchAgency(rt: Runtime): Promise<BenchAgency> {
  const ctx = rt.ctx;
  const year = ctx.clock.now().getUTCFullYear();
  await prepareCatalogue(ctx, year);
  await publishCatalogue(ctx, year);
  await registerAgency(ctx, {
    // A state agency: an agency outside the state needs each person's consent (decision 0044), which the bench does not give.
    code: 'BENCH-BANK', name: 'Bench bank', type: 'state_agency', stateBudgetFunded: false,
    focalPoints: [{ fullName: 'Bench', position: 'Bench', phone: '0900000000', email: 'bench@bench.example' }],
  });
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'bench-1';
  const c = await requestConnection(ctx, ACTOR, {
    agencyCode: 'BENCH-BANK', systemName: 'bench', services: ['lookupCitizen', 'verifyCitizen'], purposes: ['1.004222'],
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256' }] },
  });
  await recordAssessment(ctx, ACTOR, c.connectionId, { result: 'passed', summary: 'bench', assessor: 'bench' });
  await setPolicy(ctx, ACTOR, c.connectionId, {
    grants: [
      { service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth', 'sex', 'permanentResidence'], purposes: ['1.004222'] },
      { service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth', 'sex', 'address'], purposes: ['1.004222'] },
    ],
    ratePerMinute: 10_000_000,
  });
  await transitionConnection(ctx, ACTOR, c.connectionId, 'approve_for_test', 'bench');
  await transitionConnection(ctx, ACTOR, c.connectionId, 'activate', 'bench');
  return { connectionId: c.connectionId, key: privateKey, kid };
}

/** A fresh access token from the server's token endpoint (tokens live 5 minutes). */
export async function benchToken(base: string, a: BenchAgency): Promise<string> {
  const endpoint = `${base}/exchange/oauth/token`;
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: a.kid })
    .setIssuer(a.connectionId).setSubject(a.connectionId).setAudience(endpoint)
    .setIssuedAt().setExpirationTime('2m').setJti(randomUUID())
    .sign(a.key);
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** autocannon's requests for calls of a service, cycling through the bodies. */
export function exchangeRequests(token: string, service: string, bodies: readonly string[]): autocannon.Request[] {
  let i = 0;
  return [
    {
      method: 'POST',
      path: `/exchange/services/${service}`,
      setupRequest: (req) => ({
        ...req,
        body: bodies[i++ % bodies.length]!,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': `b${i}`, 'x-purpose': '1.004222', 'x-officer-id': 'BENCH-01' },
      }),
    },
  ];
}

export async function exchangeLoad(base: string, token: string, service: string, bodies: string[], seconds: number) {
  const result = await autocannon({ url: base, connections: 64, duration: seconds, requests: exchangeRequests(token, service, bodies) });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}
