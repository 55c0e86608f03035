/**
 * The demo's public-service portal (issue 15 item 7; decision 0043): a relying party written as an
 * outside portal would be — openid-client over HTTP to dancu's public URL, private_key_jwt with its
 * own key, PKCE and a pushed authorization request, the claims shown after sign-in, a sign-out —
 * served by dancu under /demo-portal only because the demo has no other web server. Also the demo
 * citizen it signs in: a level-2 e-ID account for the person behind a number of the demo subscriber
 * register, whose one-time codes `dancu sms receive` reads from the demo SMSC.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes, createPrivateKey } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as oc from 'openid-client';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';
import { lookUpOidcClient, registerOidcClient } from '../services/oidc/clients.js';
import { eidAccountOfPerson } from '../services/eid/state.js';
import { insertEidAccountRows } from '../services/eid/accounts.js';
import { hashPassword } from '../services/auth/passwords.js';
import { CLAIM_WORDS, isClaimName } from '../domain/oidc/claims.js';
import { escapeHtml, STYLESHEET_PATH } from '../http/views/oidc-pages.js';
import type { Runtime } from '../services/runtime.js';

const DIR = 'demo-portal';
const PATH = '/demo-portal';
const DEMO_OPERATOR = 'DEMO-TELECOM';

interface PortalFile {
  clientId: string;
  kid: string;
  privateKeyPem: string;
}

export interface DemoCitizen {
  personalId: string;
  phone: string;
  password: string;
}

const fileOf = (dataDir: string, name: string) => join(dataDir, DIR, name);

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/** Redirect URIs a relying party may register: https, or plain http to this machine. */
function portalUrlOk(publicUrl: string): boolean {
  const u = new URL(publicUrl);
  return u.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

/** The demo relying party, registered once (its key and client ID kept in the data directory). */
export async function ensureDemoRelyingParty(rt: Runtime, dataDir: string, publicUrl: string): Promise<string | undefined> {
  if (!portalUrlOk(publicUrl)) return undefined;
  const known = readJson<PortalFile>(fileOf(dataDir, 'client.json'));
  if (known && (await lookUpOidcClient(rt.store, known.clientId))) return known.clientId;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `demo-portal-${randomBytes(4).toString('hex')}`;
  const client = await registerOidcClient(
    rt.ctx,
    {
      name: 'Cổng dịch vụ công demo / Demo public-service portal',
      purpose: 'Giải quyết thủ tục hành chính trực tuyến (demo)',
      jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] },
      redirectUris: [`${publicUrl}${PATH}/callback`],
      postLogoutRedirectUris: [`${publicUrl}${PATH}`],
      claims: [
        { claim: 'name', required: true },
        { claim: 'birthdate', required: true },
        { claim: 'gender', required: false },
        { claim: 'personal_id', required: true },
        { claim: 'permanent_residence', required: false },
        { claim: 'current_residence', required: false },
        { claim: 'household', required: false },
        { claim: 'card_status', required: false },
      ],
      maxLevel: 2,
    },
    'system:demo',
  );
  ensurePrivateDir(join(dataDir, DIR));
  writePrivateFile(fileOf(dataDir, 'client.json'), JSON.stringify({ clientId: client.clientId, kid, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } satisfies PortalFile));
  return client.clientId;
}

/**
 * The demo citizen: a level-2 e-ID account (as issued at a counter) for the person a demo
 * operator's number is linked to, with a password kept in the data directory to print.
 */
export async function ensureDemoCitizen(rt: Runtime, dataDir: string, scryptLogN: number): Promise<DemoCitizen | undefined> {
  const known = readJson<DemoCitizen>(fileOf(dataDir, 'citizen.json'));
  if (known && (await eidAccountOfPerson(rt.store.db, known.personalId))) return known;
  // The second number of the demo operator (the first is the SMS service's example).
  const rows = await rt.store.db.selectFrom('subscriber_number').select(['number', 'personal_id']).where('operator_code', '=', DEMO_OPERATOR).orderBy('number').limit(20).execute();
  for (const r of rows.slice(1)) {
    if (await eidAccountOfPerson(rt.store.db, r.personal_id)) continue;
    const password = `demo ${randomBytes(4).toString('hex')} ${randomBytes(4).toString('hex')}`;
    const passwordHash = await hashPassword(password, scryptLogN);
    const at = rt.ctx.clock.now().toISOString();
    await rt.store.transaction((tx) => insertEidAccountRows(tx, { personalId: r.personal_id, phone: r.number, passwordHash, hasOwnPassword: true, level: 2, state: 'active', at }, 'system:demo', 'counter'));
    const citizen: DemoCitizen = { personalId: r.personal_id, phone: r.number, password };
    ensurePrivateDir(join(dataDir, DIR));
    writePrivateFile(fileOf(dataDir, 'citizen.json'), JSON.stringify(citizen));
    return citizen;
  }
  return undefined;
}

// ------------------------------------------------------------------ the portal itself

interface Visit {
  verifier?: string;
  state?: string;
  nonce?: string;
  claims?: Record<string, unknown>;
  idToken?: string;
}

const COOKIE = 'demo-portal';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="${STYLESHEET_PATH}"></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function shown(v: unknown): string {
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.formatted === 'string') return escapeHtml(o.formatted);
    if (Array.isArray(o.members)) return `${escapeHtml(String(o.head ?? ''))}<ul>${o.members.map((m: { name?: string; relationship_name?: string }) => `<li>${escapeHtml(`${m.name ?? ''} (${m.relationship_name ?? ''})`)}</li>`).join('')}</ul>`;
    return escapeHtml(JSON.stringify(v));
  }
  return escapeHtml(String(v));
}

/** The portal's routes: as any outside portal, it reaches dancu only over HTTP at the public URL. */
export function demoPortalRoutes(dataDir: string, publicUrl: string): (app: FastifyInstance) => void {
  return (app) => {
    const visits = new Map<string, Visit>();
    let config: Promise<oc.Configuration> | undefined;
    const configure = () =>
      (config ??= (async () => {
        const f = readJson<PortalFile>(fileOf(dataDir, 'client.json'));
        if (!f) throw new Error('the demo portal is not registered');
        const key = createPrivateKey(f.privateKeyPem).toCryptoKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
        return oc.discovery(new URL(`${publicUrl}/oidc`), f.clientId, { redirect_uris: [`${publicUrl}${PATH}/callback`] }, oc.PrivateKeyJwt({ key, kid: f.kid }), publicUrl.startsWith('http:') ? { execute: [oc.allowInsecureRequests] } : {});
      })().catch((e: unknown) => {
        config = undefined;
        throw e;
      }));
    const visitOf = (req: FastifyRequest, reply: FastifyReply): Visit => {
      const id = /(?:^|;\s*)demo-portal=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
      const known = id ? visits.get(id) : undefined;
      if (known) return known;
      const fresh: Visit = {};
      const newId = randomBytes(16).toString('base64url');
      visits.set(newId, fresh);
      reply.header('set-cookie', `${COOKIE}=${newId}; Path=${PATH}; HttpOnly; SameSite=Lax`);
      return fresh;
    };
    const html = (reply: FastifyReply, body: string) => reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'").send(body);
    const opts = { config: { public: true }, schema: { hide: true } };

    app.get(PATH, opts, async (req, reply) => {
      const v = visitOf(req, reply);
      if (!v.claims) {
        return html(reply, page('Cổng dịch vụ công demo', `<p>Một cổng dịch vụ công bên ngoài đăng nhập công dân bằng tài khoản định danh điện tử của dancu (OpenID Connect). / An outside portal signing citizens in with their dancu e-ID account.</p><p><a href="${PATH}/login">Đăng nhập bằng tài khoản định danh điện tử / Sign in with e-ID</a></p>`));
      }
      const rows = Object.entries(v.claims)
        .filter(([k]) => isClaimName(k) || k === 'sub' || k === 'acr')
        .map(([k, val]) => `<li><strong>${escapeHtml(isClaimName(k) ? CLAIM_WORDS[k].vi : k)}</strong>: ${shown(val)}</li>`)
        .join('');
      return html(reply, page('Xin chào / Welcome', `<p>Thông tin dancu đã chia sẻ với cổng này / What dancu shared with this portal:</p><ul class="claims">${rows}</ul><p><a href="${PATH}/logout">Đăng xuất / Sign out</a></p>`));
    });

    app.get(`${PATH}/login`, opts, async (req, reply) => {
      const v = visitOf(req, reply);
      const c = await configure();
      v.verifier = oc.randomPKCECodeVerifier();
      v.state = oc.randomState();
      v.nonce = oc.randomNonce();
      const url = await oc.buildAuthorizationUrlWithPAR(c, {
        redirect_uri: `${publicUrl}${PATH}/callback`,
        scope: 'openid profile personal_id residence household card',
        acr_values: 'urn:dancu:eid:level2',
        code_challenge: await oc.calculatePKCECodeChallenge(v.verifier),
        code_challenge_method: 'S256',
        state: v.state,
        nonce: v.nonce,
      });
      return reply.code(303).header('location', url.href).send();
    });

    app.get(`${PATH}/callback`, opts, async (req, reply) => {
      const v = visitOf(req, reply);
      const c = await configure();
      try {
        const tokens = await oc.authorizationCodeGrant(c, new URL(req.url, publicUrl), { pkceCodeVerifier: v.verifier, expectedState: v.state, expectedNonce: v.nonce });
        const id = tokens.claims()!;
        const info = await oc.fetchUserInfo(c, tokens.access_token, id.sub);
        v.claims = { ...info, acr: id.acr };
        v.idToken = tokens.id_token;
      } catch (e) {
        const err = e as { error?: string; error_description?: string };
        return html(reply, page('Không đăng nhập được / Not signed in', `<p><code>${escapeHtml(err.error ?? 'error')}</code> ${escapeHtml(err.error_description ?? '')}</p><p><a href="${PATH}">←</a></p>`));
      }
      return reply.code(303).header('location', PATH).send();
    });

    app.get(`${PATH}/logout`, opts, async (req, reply) => {
      const v = visitOf(req, reply);
      const c = await configure();
      const idToken = v.idToken;
      v.claims = undefined;
      v.idToken = undefined;
      const url = idToken ? oc.buildEndSessionUrl(c, { id_token_hint: idToken, post_logout_redirect_uri: `${publicUrl}${PATH}` }).href : PATH;
      return reply.code(303).header('location', url).send();
    });
  };
}
