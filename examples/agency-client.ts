/**
 * An agency's system calling dancu, as a real client would: it signs a client assertion with its
 * own private key (RFC 7523, using the `jose` library), exchanges it for a short-lived access
 * token at the token endpoint, then calls catalogue services with the headers every call carries
 * (request ID, purpose = administrative procedure code, the agency officer who asked).
 *
 *   node --import tsx examples/agency-client.ts <personalId> [dataDir]
 *
 * With `npm start` running, the demo agency's files are in ./data/sqlite/demo-agency (client.json and
 * private-key.jwk.json). Nothing here uses dancu's own code: only fetch and jose.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';

interface ClientFile {
  clientId: string;
  kid: string;
  tokenEndpoint: string;
  apiBase: string;
  purposes: string[];
}

async function accessToken(client: ClientFile, privateJwk: JWK): Promise<string> {
  const key = await importJWK(privateJwk, 'ES256');
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: client.kid })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(client.tokenEndpoint)
    .setIssuedAt()
    .setExpirationTime('2m')
    .setJti(randomUUID())
    .sign(key);
  const res = await fetch(client.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString(),
  });
  const body = (await res.json()) as { access_token?: string; code?: string };
  if (!res.ok || !body.access_token) throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function call(client: ClientFile, token: string, service: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${client.apiBase}/exchange/services/${service}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-request-id': randomUUID(),
      'x-purpose': client.purposes[0]!,
      'x-officer-id': 'GDV-0042',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function main(): Promise<void> {
  const [personalId, dataDir = './data/sqlite'] = process.argv.slice(2);
  if (!personalId || !/^\d{12}$/.test(personalId)) {
    process.stderr.write('usage: node --import tsx examples/agency-client.ts <12-digit personal ID> [dataDir]\n');
    process.exit(2);
  }
  const dir = join(dataDir, 'demo-agency');
  const client = JSON.parse(readFileSync(join(dir, 'client.json'), 'utf8')) as ClientFile;
  const privateJwk = JSON.parse(readFileSync(join(dir, 'private-key.jwk.json'), 'utf8')) as JWK;
  const token = await accessToken(client, privateJwk);
  const lookup = await call(client, token, 'lookupCitizen', { personalId });
  process.stdout.write(`lookupCitizen  ${JSON.stringify(lookup)}\n`);
  const name = ((lookup as { body: { fullName?: string } }).body.fullName ?? 'Nguyen Van An').normalize('NFD').replace(/\p{M}/gu, '');
  const verify = await call(client, token, 'verifyCitizen', { personalId, attributes: { fullName: name, dateOfBirth: '1990-01-01' } });
  process.stdout.write(`verifyCitizen  ${JSON.stringify(verify)}\n`);
  const outside = await call(client, token, 'batchLookupCitizens', { personalIds: [personalId] });
  process.stdout.write(`batchLookupCitizens (not in this connection's policy)  ${JSON.stringify(outside)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
