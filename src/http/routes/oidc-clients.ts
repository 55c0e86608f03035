/** Administrators register the relying parties of the OpenID Connect provider (decision 0043). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceContext } from '../../services/context.js';
import { Jwks } from '../../domain/exchange/agency.js';
import { CLAIM_NAMES } from '../../domain/oidc/claims.js';
import { changeOidcClient, getOidcClient, getOidcClients, registerOidcClient, type OidcClient } from '../../services/oidc/clients.js';
import { ADMINS, actorOf } from '../auth.js';
import { problemResponses } from '../problem.js';

const TAGS = ['openid-connect'];

const Uri = Type.String({ minLength: 1, maxLength: 2000 });
const ClaimPermission = Type.Object(
  { claim: Type.String({ minLength: 1, maxLength: 40, description: `One of: ${CLAIM_NAMES.join(', ')}` }), required: Type.Boolean() },
  { additionalProperties: false },
);
const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200, description: 'The service as citizens see it on the consent page' }),
  purpose: Type.String({ minLength: 1, maxLength: 200, description: 'Why it uses citizens\' data: recorded with every release' }),
  jwks: Jwks,
  redirectUris: Type.Array(Uri, { maxItems: 10, description: 'https (plain http only to 127.0.0.1 or localhost); one host for a pairwise client' }),
  postLogoutRedirectUris: Type.Array(Uri, { maxItems: 10 }),
  claims: Type.Array(ClaimPermission, { maxItems: 20 }),
  maxLevel: Type.Union([Type.Literal(1), Type.Literal(2)], { description: 'The highest e-ID level it may ask for' }),
  subjectType: Type.Union([Type.Literal('pairwise'), Type.Literal('public')], { description: 'pairwise (default): its own `sub` per citizen' }),
  requirePar: Type.Boolean({ description: 'Only pushed authorization requests (PAR) accepted' }),
  refreshTokens: Type.Boolean({ description: 'Refresh tokens (offline_access); each refresh checks the account again' }),
};

const OidcClientView = Type.Object(
  { clientId: Type.String(), ...Fields, state: Type.Union([Type.Literal('active'), Type.Literal('suspended')]), createdAt: Type.String(), updatedAt: Type.String() },
  { $id: 'OidcClientView' },
);
const Params = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 64 }) });

const view = (c: OidcClient) => c;

export function registerOidcClientRoutes(root: FastifyInstance, ctx: ServiceContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/oidc-clients',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'registerOidcClient',
        summary: 'Register a relying party (a public-service portal): its public keys, redirect URIs, the claims it may ask for and the level',
        tags: TAGS,
        body: Type.Object(
          {
            name: Fields.name,
            purpose: Fields.purpose,
            jwks: Fields.jwks,
            redirectUris: Fields.redirectUris,
            postLogoutRedirectUris: Type.Optional(Fields.postLogoutRedirectUris),
            claims: Fields.claims,
            maxLevel: Fields.maxLevel,
            subjectType: Type.Optional(Fields.subjectType),
            requirePar: Type.Optional(Fields.requirePar),
            refreshTokens: Type.Optional(Fields.refreshTokens),
          },
          { additionalProperties: false },
        ),
        response: { 201: OidcClientView, ...problemResponses() },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return view(await registerOidcClient(ctx, req.body, actorOf(req).principalId));
    },
  );
  app.get(
    '/oidc-clients',
    { config: { roles: ADMINS }, schema: { operationId: 'listOidcClients', summary: 'Relying parties, oldest first', tags: TAGS, response: { 200: Type.Array(OidcClientView), ...problemResponses() } } },
    async () => (await getOidcClients(ctx)).map(view),
  );
  app.get(
    '/oidc-clients/:clientId',
    { config: { roles: ADMINS }, schema: { operationId: 'getOidcClient', summary: 'One relying party', tags: TAGS, params: Params, response: { 200: OidcClientView, ...problemResponses(404) } } },
    async (req) => view(await getOidcClient(ctx, req.params.clientId)),
  );
  app.patch(
    '/oidc-clients/:clientId',
    {
      config: { roles: ADMINS },
      schema: {
        operationId: 'changeOidcClient',
        summary: 'Change a relying party, suspend it (refused at once everywhere) or reactivate it',
        tags: TAGS,
        params: Params,
        body: Type.Object(
          {
            name: Type.Optional(Fields.name),
            purpose: Type.Optional(Fields.purpose),
            jwks: Type.Optional(Fields.jwks),
            redirectUris: Type.Optional(Fields.redirectUris),
            postLogoutRedirectUris: Type.Optional(Fields.postLogoutRedirectUris),
            claims: Type.Optional(Fields.claims),
            maxLevel: Type.Optional(Fields.maxLevel),
            subjectType: Type.Optional(Fields.subjectType),
            requirePar: Type.Optional(Fields.requirePar),
            refreshTokens: Type.Optional(Fields.refreshTokens),
            state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: OidcClientView, ...problemResponses(404) },
      },
    },
    async (req) => view(await changeOidcClient(ctx, req.params.clientId, req.body, actorOf(req).principalId)),
  );
}
