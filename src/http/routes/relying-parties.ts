/** The signed-in citizen's relying parties: what they allowed, and its revocation (decision 0043). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceContext } from '../../services/context.js';
import { relyingPartiesOf, revokeRelyingParty } from '../../services/oidc/grants.js';
import { problemResponses } from '../problem.js';

const TAGS = ['openid-connect'];
const CITIZEN = ['citizen'] as const;

const RelyingPartyGrant = Type.Object(
  {
    clientId: Type.String(),
    name: Type.String(),
    purpose: Type.String(),
    claims: Type.Array(Type.String(), { description: 'The claims it may receive' }),
    declined: Type.Array(Type.String(), { description: 'Claims it asked for that you declined' }),
    firstUse: Type.Optional(Type.String({ description: 'When it first received your data' })),
    lastUse: Type.Optional(Type.String()),
  },
  { $id: 'RelyingPartyGrant' },
);

export function registerRelyingPartyRoutes(root: FastifyInstance, ctx: ServiceContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/me/relying-parties',
    { config: { roles: CITIZEN }, schema: { operationId: 'listMyRelyingParties', summary: 'Services you allowed to sign you in with your e-ID account, the data each may receive, first and last use', tags: TAGS, response: { 200: Type.Array(RelyingPartyGrant), ...problemResponses() } } },
    async (req) => relyingPartiesOf(ctx, req.principal!),
  );
  app.delete(
    '/me/relying-parties/:clientId',
    {
      config: { roles: CITIZEN },
      schema: {
        operationId: 'revokeMyRelyingParty',
        summary: 'Withdraw what you allowed a service: its tokens stop working at once; it must ask again',
        tags: TAGS,
        params: Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 204: Type.Null(), ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      await revokeRelyingParty(ctx, req.principal!, req.params.clientId);
      reply.code(204);
      return null;
    },
  );
}
