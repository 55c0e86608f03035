/**
 * The category of places closed to new registration (Luật Cư trú Art. 23), as residence officers
 * maintain it: add an entry with its decision, lift it, list a commune's entries. Permanent and
 * temporary registration and household splits at a place in force are refused (PLACE_NOT_REGISTRABLE).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Address, UnitSet } from '../../domain/citizen/citizen.js';
import { PlaceLiftingRequest, ProhibitedPlaceGroundSchema, ProhibitedPlaceRequest } from '../../domain/residence/places.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import type { ServiceContext } from '../../services/context.js';
import { addProhibitedPlace, liftPlace, placesInCommune } from '../../services/residence/places.js';
import { actorOf, READERS, WRITERS } from '../auth.js';
import { LOCATION, withHeaders } from '../openapi.js';
import { problemResponses } from '../problem.js';

const TAGS = ['residence'];
const PlaceId = Type.String({ pattern: '^DD-[0-9A-Z]{10}$', description: 'ID of an entry of the Art. 23 category' });
const PlaceEntry = Type.Object({
  placeId: PlaceId,
  address: Address,
  ground: ProhibitedPlaceGroundSchema,
  decision: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  liftedOn: Type.Optional(Type.String({ format: 'date' })),
  liftDecision: Type.Optional(Type.String()),
});
const PlaceList = Type.Object({ items: Type.Array(Type.Intersect([PlaceEntry, Type.Object({ inForce: Type.Boolean() })])) });

export function registerResidencePlaceRoutes(root: FastifyInstance, ctx: ServiceContext, catalogue: CategoryCatalogue): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/residence/prohibited-places',
    {
      config: { roles: WRITERS },
      schema: {
        operationId: 'addProhibitedPlace', tags: TAGS, body: ProhibitedPlaceRequest,
        summary: 'Close a place to new permanent and temporary registration and household splits, on a clause of Art. 23 and its decision',
        response: { 201: withHeaders(PlaceEntry, LOCATION), ...problemResponses() },
      },
    },
    async (req, reply) => {
      const entry = await addProhibitedPlace(ctx, catalogue, actorOf(req), req.body);
      reply.code(201).header('location', `/residence/prohibited-places/${entry.placeId}`);
      return entry;
    },
  );

  app.post(
    '/residence/prohibited-places/:placeId/lifting',
    {
      config: { roles: WRITERS },
      schema: {
        operationId: 'liftProhibitedPlace', tags: TAGS, params: Type.Object({ placeId: PlaceId }), body: PlaceLiftingRequest,
        summary: 'Reopen a place to registration from a day, on a decision',
        response: { 200: PlaceEntry, ...problemResponses(404, 409) },
      },
    },
    async (req) => liftPlace(ctx, actorOf(req), req.params.placeId, req.body),
  );

  app.get(
    '/residence/prohibited-places',
    {
      config: { roles: READERS },
      schema: {
        operationId: 'listProhibitedPlaces', tags: TAGS,
        summary: 'The places of a commune closed to new registration, newest first, with whether each is in force today',
        querystring: Type.Object({ unitSet: UnitSet, unitCode: Type.String({ pattern: '^\\d{5}$' }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }),
        response: { 200: PlaceList, ...problemResponses() },
      },
    },
    async (req) => ({ items: await placesInCommune(ctx, req.query.unitSet, req.query.unitCode, req.query.limit ?? 100) }),
  );
}
