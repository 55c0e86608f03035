/** Admin routes over principals: list, create (the token is shown once), revoke; their tokens: list, create, revoke (decision 0038). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceContext } from '../../services/context.js';
import { createPrincipal, getPrincipals, getTokens, issueToken, revoke, revokeTokenById } from '../../services/principals.js';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from '../../services/auth/settings.js';
import { ADMINS, actorOf } from '../auth.js';
import { peopleInBody } from '../recording.js';
import { problemResponses } from '../problem.js';

const TAGS = ['principals'];
const Role = Type.Union([Type.Literal('officer'), Type.Literal('admin'), Type.Literal('inspector'), Type.Literal('citizen')]);
const PrincipalView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
});

const TokenView = Type.Object({
  tokenId: Type.String({ description: 'Public name of the token (never the token itself)' }),
  principalId: Type.String(),
  label: Type.Optional(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
});
const NewToken = Type.Object({ token: Type.String({ description: 'Shown once; stored only hashed' }), tokenId: Type.String(), expiresAt: Type.String() });

export function registerPrincipalRoutes(root: FastifyInstance, ctx: ServiceContext, settings: AuthSettings = DEFAULT_AUTH_SETTINGS): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/principals',
    { config: { roles: ADMINS }, schema: { operationId: 'listPrincipals', summary: 'Every officer, admin and inspector, revoked ones with the time', tags: TAGS, response: { 200: Type.Array(PrincipalView), ...problemResponses() } } },
    async () => getPrincipals(ctx.store),
  );
  app.post(
    '/principals',
    {
      // Binding a citizen principal to a person concerns that person (recorded, with the admin's purpose).
      config: { roles: ADMINS, people: peopleInBody('personalId') },
      schema: {
        operationId: 'createPrincipal',
        summary: 'Create an officer, admin, inspector or citizen (bound to a personal ID); the bearer token is returned once and stored only hashed',
        tags: TAGS,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 120 }),
            role: Role,
            personalId: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: 'For a citizen principal (required): the registered citizen it acts for' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ principal: PrincipalView, token: Type.String(), tokenId: Type.String(), expiresAt: Type.String() }), ...problemResponses() },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return createPrincipal(ctx.store, ctx.clock, req.body.name, req.body.role, actorOf(req).principalId, { personalId: req.body.personalId, token: { policy: settings.tokens } });
    },
  );
  app.delete(
    '/principals/:id',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'revokePrincipal',
        summary: 'Revoke a principal and all its tokens, effective on the next request',
        tags: TAGS,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      await revoke(ctx.store, ctx.clock, req.params.id, actorOf(req).principalId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/principals/:id/tokens',
    {
      config: { roles: ADMINS },
      schema: { operationId: 'listTokens', summary: 'A principal\'s bearer tokens: public ID, label, expiry, revocation (never the token)', tags: TAGS, params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: Type.Array(TokenView), ...problemResponses() } },
    },
    async (req) => getTokens(ctx.store, req.params.id),
  );
  app.post(
    '/principals/:id/tokens',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'createToken',
        summary: 'A further bearer token for a principal (a machine, the CLI); shown once, expires after `days` (default and maximum configured)',
        tags: TAGS,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1 })), label: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })) }, { additionalProperties: false }),
        response: { 201: NewToken, ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return issueToken(ctx.store, ctx.clock, req.params.id, actorOf(req).principalId, { days: req.body.days, label: req.body.label, policy: settings.tokens });
    },
  );
  app.delete(
    '/principals/:id/tokens/:tokenId',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'revokeToken',
        summary: 'Revoke one bearer token, effective on the next request',
        tags: TAGS,
        params: Type.Object({ id: Type.String({ format: 'uuid' }), tokenId: Type.String({ pattern: '^[0-9a-f]{16}$' }) }),
        response: { 204: Type.Null(), ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      await revokeTokenById(ctx.store, ctx.clock, req.params.tokenId, actorOf(req).principalId, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
