/** Administrators' routes over accounts that sign in (decision 0038): create, list, reset, lock, unlock. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceContext } from '../../services/context.js';
import { createAccount, getAccounts, lockLoginAccount, resetPassword, unlockLoginAccount } from '../../services/auth/accounts.js';
import type { AuthDeps } from '../../services/auth/sign-in.js';
import type { AuthSettings } from '../../services/auth/settings.js';
import { ADMINS, actorOf } from '../auth.js';
import { problemResponses } from '../problem.js';

const TAGS = ['principals'];

const AccountView = Type.Object(
  {
    principalId: Type.String(),
    login: Type.String(),
    name: Type.String(),
    role: Type.String(),
    unit: Type.Optional(Type.String()),
    mustChangePassword: Type.Boolean(),
    secondFactor: Type.Optional(Type.Union([Type.Literal('totp'), Type.Literal('sms')])),
    phone: Type.Optional(Type.String({ description: 'For one-time codes by SMS, masked' })),
    lockedAt: Type.Optional(Type.String()),
    lockReason: Type.Optional(Type.String()),
    revokedAt: Type.Optional(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'AccountView' },
);
const Params = Type.Object({ principalId: Type.String({ format: 'uuid' }) });

export function registerAccountRoutes(root: FastifyInstance, ctx: ServiceContext, settings: AuthSettings): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const deps: AuthDeps = { store: ctx.store, clock: ctx.clock, settings };
  app.get(
    '/accounts',
    { config: { roles: ADMINS }, schema: { operationId: 'listAccounts', summary: 'Accounts that sign in, by login name', tags: TAGS, response: { 200: Type.Array(AccountView), ...problemResponses() } } },
    async () => getAccounts(deps),
  );
  app.post(
    '/accounts',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'createAccount',
        summary: 'Create an officer, administrator, inspector or agency administrator account; its one-time initial password is answered once',
        tags: TAGS,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 120 }),
            role: Type.Union([Type.Literal('officer'), Type.Literal('admin'), Type.Literal('inspector'), Type.Literal('agency')], { description: 'agency: an agency administrator, whose unit is the agency code (decision 0046)' }),
            login: Type.String({ minLength: 3, maxLength: 64 }),
            unit: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
            smsPhone: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'A Vietnamese mobile number: the second factor is then a code by SMS instead of TOTP' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ account: AccountView, initialPassword: Type.String() }), ...problemResponses(409) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return createAccount(deps, req.body, actorOf(req).principalId);
    },
  );
  app.post(
    '/accounts/:principalId/password-reset',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'resetAccountPassword',
        summary: 'A new one-time password (answered once); sessions end; the second factor is kept unless resetSecondFactor',
        tags: TAGS,
        params: Params,
        body: Type.Object({ resetSecondFactor: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ initialPassword: Type.String() }), ...problemResponses(404) },
      },
    },
    async (req) => resetPassword(deps, req.params.principalId, { resetSecondFactor: req.body.resetSecondFactor === true }, actorOf(req).principalId),
  );
  app.post(
    '/accounts/:principalId/lock',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'lockAccount',
        summary: 'Lock an account: no sign-in, and its sessions and tokens refused from the next request',
        tags: TAGS,
        params: Params,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      await lockLoginAccount(deps, req.params.principalId, req.body.reason, actorOf(req).principalId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/accounts/:principalId/unlock',
    {
      config: { roles: ADMINS },
      schema: { operationId: 'unlockAccount', summary: 'Unlock an account', tags: TAGS, params: Params, response: { 204: Type.Null(), ...problemResponses(404, 409) } },
    },
    async (req, reply) => {
      await unlockLoginAccount(deps, req.params.principalId, actorOf(req).principalId);
      return reply.code(204).send(null);
    },
  );
}
