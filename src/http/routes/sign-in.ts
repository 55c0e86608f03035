/**
 * Signing in and one's own sessions (decision 0038). The sign-in steps are public (the challenge
 * carries the state between them); the last sets the session cookie — HttpOnly, SameSite=Strict,
 * `__Host-` and Secure over HTTPS — and answers the CSRF token that changes made with the cookie
 * carry in X-CSRF-Token.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Role, ServiceContext } from '../../services/context.js';
import { resendCode, setOwnPassword, startSignIn, verifySecondFactor, type AuthDeps, type SignInStep } from '../../services/auth/sign-in.js';
import { csrfTokenOf, endSessions, mySessions } from '../../services/auth/sessions.js';
import type { AuthSettings } from '../../services/auth/settings.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { READERS, actorOf, sessionCookieName, sessionCookieOf } from '../auth.js';
import { problemResponses } from '../problem.js';

const TAGS = ['sign-in'];
/** Whoever signs in: officers, administrators, inspectors, and citizens with an e-ID account (decision 0042). */
const SIGNED_IN: readonly Role[] = [...READERS, 'citizen', 'agency'];

const Step = Type.Object(
  {
    next: Type.Union([Type.Literal('set-password'), Type.Literal('enrol-totp'), Type.Literal('totp'), Type.Literal('sms'), Type.Literal('done')]),
    challenge: Type.Optional(Type.String({ description: 'Carries the sign-in to its next step (minutes long, once)' })),
    expiresAt: Type.Optional(Type.String()),
    otpauthUri: Type.Optional(Type.String({ description: 'enrol-totp: the key URI for an authenticator app (shown once)' })),
    secret: Type.Optional(Type.String({ description: 'enrol-totp: the TOTP secret in base32, for typing in' })),
    qrSvg: Type.Optional(Type.String({ description: 'enrol-totp: the key URI as a QR code (SVG)' })),
    sentTo: Type.Optional(Type.String({ description: 'sms: the number the code went to, masked' })),
    sessionId: Type.Optional(Type.String()),
    csrfToken: Type.Optional(Type.String({ description: 'done: send it as X-CSRF-Token with every change made with the session cookie' })),
  },
  { $id: 'SignInStep' },
);

const SessionView = Type.Object({
  sessionId: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  endsAt: Type.String({ description: 'When it ends unless used again (idle) or at the latest (absolute)' }),
  state: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('idle'), Type.Literal('expired')]),
  current: Type.Boolean(),
  revokedAt: Type.Optional(Type.String()),
  sourceIp: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
});

const Me = Type.Object({
  principalId: Type.String(),
  name: Type.String(),
  role: Type.String(),
  unit: Type.Optional(Type.String()),
  sessionId: Type.Optional(Type.String()),
  csrfToken: Type.Optional(Type.String()),
});

function cookieHeader(req: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = req.protocol === 'https';
  return `${sessionCookieName(req)}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

function client(req: FastifyRequest) {
  const ua = req.headers['user-agent'];
  return { sourceIp: req.ip, ...(typeof ua === 'string' ? { userAgent: ua } : {}) };
}

function answer(req: FastifyRequest, reply: FastifyReply, step: SignInStep, settings: AuthSettings) {
  if (step.next !== 'done') return step;
  reply.header('set-cookie', cookieHeader(req, step.session.secret, settings.sessions.absoluteHours * 3600));
  return { next: 'done' as const, sessionId: step.session.sessionId, csrfToken: step.session.csrfToken };
}

export function registerSignInRoutes(root: FastifyInstance, ctx: ServiceContext, settings: AuthSettings): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const deps: AuthDeps = { store: ctx.store, clock: ctx.clock, settings };
  const challenge = Type.String({ minLength: 1, maxLength: 100 });

  app.post(
    '/auth/sign-in',
    {
      config: { public: true },
      schema: {
        operationId: 'signIn',
        summary: 'Sign in, step 1: login name and password; answers the next step (set a password, enrol TOTP, or a TOTP code)',
        tags: TAGS,
        body: Type.Object({ login: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 200: Step, ...problemResponses(429) },
      },
    },
    async (req, reply) => answer(req, reply, await startSignIn(deps, req.body, client(req)), settings),
  );
  app.post(
    '/auth/sign-in/password',
    {
      config: { public: true },
      schema: {
        operationId: 'signInSetPassword',
        summary: 'Sign in, at first sign-in or after a reset: one\'s own password (at least 8 characters, not a common one); after the second factor when one is enrolled (then it sets the session cookie)',
        tags: TAGS,
        body: Type.Object({ challenge, newPassword: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 200: Step, ...problemResponses(429) },
      },
    },
    async (req, reply) => answer(req, reply, await setOwnPassword(deps, req.body, client(req)), settings),
  );
  app.post(
    '/auth/sign-in/second-factor',
    {
      config: { public: true },
      schema: {
        operationId: 'signInSecondFactor',
        summary: 'Sign in: a TOTP code (enrolling the secret at first sign-in) or the code sent by SMS; sets the session cookie, or answers set-password when a new password is due',
        tags: TAGS,
        body: Type.Object({ challenge, code: Type.String({ minLength: 1, maxLength: 10 }) }, { additionalProperties: false }),
        response: { 200: Step, ...problemResponses(409, 429) },
      },
    },
    async (req, reply) => answer(req, reply, await verifySecondFactor(deps, req.body, client(req)), settings),
  );
  app.post(
    '/auth/sign-in/resend-code',
    {
      config: { public: true },
      schema: {
        operationId: 'signInResendCode',
        summary: 'Sign in, SMS step: another one-time code (a few per sign-in, 30 s apart)',
        tags: TAGS,
        body: Type.Object({ challenge }, { additionalProperties: false }),
        response: { 200: Step, ...problemResponses(429) },
      },
    },
    async (req, reply) => answer(req, reply, await resendCode(deps, req.body), settings),
  );
  app.get(
    '/auth/session',
    { config: { roles: SIGNED_IN }, schema: { operationId: 'whoAmI', summary: 'Who is signed in, and the session\'s CSRF token', tags: TAGS, response: { 200: Me, ...problemResponses() } } },
    async (req) => {
      const p = req.principal!;
      const cookie = req.sessionId ? sessionCookieOf(req) : undefined;
      return { principalId: p.id, name: p.name, role: p.role, ...(p.unit ? { unit: p.unit } : {}), ...(req.sessionId ? { sessionId: req.sessionId } : {}), ...(cookie ? { csrfToken: csrfTokenOf(cookie) } : {}) };
    },
  );
  app.post(
    '/auth/sign-out',
    { config: { roles: SIGNED_IN }, schema: { operationId: 'signOut', summary: 'End the current session (cookie)', tags: TAGS, response: { 204: Type.Null(), ...problemResponses() } } },
    async (req, reply) => {
      if (!req.sessionId) throw new RegistryError('SESSION_NOT_FOUND');
      const { principalId } = actorOf(req);
      await endSessions(ctx.store, ctx.clock, principalId, principalId, { sessionId: req.sessionId, signOut: true });
      reply.header('set-cookie', cookieHeader(req, '', 0));
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/auth/sessions',
    { config: { roles: SIGNED_IN }, schema: { operationId: 'listMySessions', summary: 'One\'s own sessions, newest first', tags: TAGS, response: { 200: Type.Array(SessionView), ...problemResponses() } } },
    async (req) => mySessions(ctx.store, ctx.clock, actorOf(req).principalId, settings.sessions, req.sessionId),
  );
  app.delete(
    '/auth/sessions/:sessionId',
    {
      config: { roles: SIGNED_IN },
      schema: {
        operationId: 'revokeMySession',
        summary: 'End one of one\'s sessions, effective on its next request',
        tags: TAGS,
        params: Type.Object({ sessionId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      const { principalId } = actorOf(req);
      await endSessions(ctx.store, ctx.clock, principalId, principalId, { sessionId: req.params.sessionId });
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/auth/sessions',
    {
      config: { roles: SIGNED_IN },
      schema: {
        operationId: 'revokeMySessions',
        summary: 'End all of one\'s sessions but the current one',
        tags: TAGS,
        response: { 200: Type.Object({ revoked: Type.Array(Type.String()) }), ...problemResponses() },
      },
    },
    async (req) => {
      const { principalId } = actorOf(req);
      const revoked = await endSessions(ctx.store, ctx.clock, principalId, principalId, req.sessionId ? { except: req.sessionId } : {});
      return { revoked };
    },
  );
}
