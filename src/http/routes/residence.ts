/**
 * Residence routes: one submission route per procedure (operationId named after it), the
 * application lifecycle (CT05, documents supplied, approval, CT06), the officers' work list, the
 * four questions other systems ask, and the residence confirmation (CT07).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PersonalId } from '../../domain/citizen/citizen.js';
import { ApplicationId, HouseholdId } from '../../domain/residence/household.js';
import { Procedure, PROCEDURE_CODES, PROCEDURES, type Procedure as ProcedureCode } from '../../domain/residence/procedures.js';
import { REQUEST_SCHEMAS, type ResidenceRequest } from '../../domain/residence/requests.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import type { ServiceContext } from '../../services/context.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import {
  approveApplication, getApplication, listResidenceApplications, refuseApplication, requestDocuments, submitApplication, supplyDocuments,
} from '../../services/residence/applications.js';
import { issueResidenceConfirmation } from '../../services/residence/confirmation.js';
import { verifyResidenceConfirmationByNumber } from '../../services/public-verification.js';
import { PrintedTextBody, PublicVerification } from './certificates.js';
import { confirmHouseholdHead, getCurrentResidence, getHouseholdHistory, getHouseholdOf, getResidenceHistory } from '../../services/residence/queries.js';
import { actorOf, READERS, WRITERS } from '../auth.js';
import { LOCATION, withHeaders } from '../openapi.js';
import { Problem, problemResponses } from '../problem.js';
import { PERSON_IN_PATH, type PeopleDeclaration } from '../recording.js';
import { PEOPLE_IN_ANSWER, PEOPLE_IN_REQUEST, peopleAnywhereIn, peopleInRequest } from '../people.js';
import { peopleInApplications } from '../../domain/accountability/people.js';
import { ApplicationPage, ApplicationView, CurrentResidence, HouseholdHistory, HouseholdView, ResidenceHistory } from '../schemas/residence-views.js';

const TAGS = ['residence'];
const ByPerson = Type.Object({ personalId: PersonalId });
const ByApplication = Type.Object({ applicationId: ApplicationId });
const ByHousehold = Type.Object({ householdId: HouseholdId });
const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

/** The people an application names: its applicant, and everyone its request names (by the procedure's schema). */
/** Routes that answer with an application, or a page of them. */
const PEOPLE_IN_APPLICATIONS: PeopleDeclaration = {
  request: peopleInRequest,
  response: peopleInApplications,
};
/** The people a person's or a household's answer names (household members, hosts…) beside the path's. */
const PERSON_AND_ANSWER: PeopleDeclaration = { ...PERSON_IN_PATH, response: peopleAnywhereIn };

const SUMMARIES: Record<ProcedureCode, string> = {
  permanent_registration: 'Permanent registration (7 working days): join a household with its head\'s consent, or found a new one',
  temporary_registration: 'Temporary registration (3 working days) outside the commune of permanent residence, obligatory from 30 days (Art. 27); at most 2 years',
  temporary_extension: 'Extension of temporary residence, filed within the 15 days before expiry',
  household_split: 'Household split (5 working days)',
  deregistration: 'Deregistration of permanent or temporary residence on a ground of Art. 24(1) or 29(1) (1 working day from 15/03/2026, NĐ 58/2026; 3 before)',
  information_adjustment: 'Adjustment of residence information: head, relationship, identity data, address renaming',
  stay_notice: 'Stay notice (lưu trú) by the host, for stays under 30 days; recorded at once, with whether it was on time; close relatives staying repeatedly notify once (Art. 30)',
  absence_declaration: 'Absence declaration (tạm vắng), 1 working day (2 if complex)',
};

export function registerResidenceRoutes(root: FastifyInstance, ctx: ServiceContext, catalogue: CategoryCatalogue, keys: SigningKeys): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  for (const procedure of PROCEDURE_CODES) {
    const { slug, operationId } = PROCEDURES[procedure];
    app.post(
      `/residence/${slug}`,
      { config: { roles: WRITERS, people: PEOPLE_IN_APPLICATIONS }, schema: { operationId, summary: SUMMARIES[procedure], tags: TAGS, body: REQUEST_SCHEMAS[procedure], response: { 201: withHeaders(ApplicationView, LOCATION), ...problemResponses(404, 409) } } },
      async (req, reply) => {
        const view = await submitApplication(ctx, catalogue, actorOf(req), { procedure, ...(req.body as object) } as ResidenceRequest);
        reply.code(201).header('location', `/residence/applications/${view.applicationId}`);
        return view;
      },
    );
  }

  app.get(
    '/residence/applications',
    {
      config: { roles: READERS, people: PEOPLE_IN_APPLICATIONS },
      schema: {
        operationId: 'listResidenceApplications',
        summary: 'Officers\' work list by deadline: open, due by a day, overdue, decided',
        tags: TAGS,
        querystring: Type.Object(
          {
            view: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('due'), Type.Literal('overdue'), Type.Literal('decided'), Type.Literal('all')])),
            dueBy: Type.Optional(Type.String({ format: 'date' })),
            personalId: Type.Optional(PersonalId),
            unitCode: Type.Optional(Type.String({ pattern: '^\\d{5}$' })),
            procedure: Type.Optional(Procedure),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ApplicationPage, ...problemResponses() },
      },
    },
    async (req) => listResidenceApplications(ctx, req.query),
  );

  app.get(
    '/residence/applications/:applicationId',
    { config: { roles: READERS, people: PEOPLE_IN_APPLICATIONS }, schema: { operationId: 'getResidenceApplication', summary: 'An application with its request, lifecycle steps, deadline and outcome', tags: TAGS, params: ByApplication, response: { 200: ApplicationView, ...problemResponses(404) } } },
    async (req) => getApplication(ctx, req.params.applicationId),
  );

  app.post(
    '/residence/applications/:applicationId/document-requests',
    {
      config: { roles: WRITERS, people: PEOPLE_IN_APPLICATIONS },
      schema: {
        operationId: 'requestApplicationDocuments',
        summary: 'Form CT05: ask for the documents that complete the file (the deadline restarts when they come in)',
        tags: TAGS,
        params: ByApplication,
        body: Type.Object({ documents: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 1, maxItems: 20 }), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 200: ApplicationView, ...problemResponses(404, 409) },
      },
    },
    async (req) => requestDocuments(ctx, actorOf(req), req.params.applicationId, req.body.documents, req.body.note),
  );

  app.post(
    '/residence/applications/:applicationId/documents',
    {
      config: { roles: WRITERS, people: PEOPLE_IN_APPLICATIONS },
      schema: { operationId: 'supplyApplicationDocuments', summary: 'The requested documents came in: the file counts as received now', tags: TAGS, params: ByApplication, body: Note, response: { 200: ApplicationView, ...problemResponses(404, 409) } },
    },
    async (req) => supplyDocuments(ctx, actorOf(req), req.params.applicationId, req.body.note),
  );

  app.post(
    '/residence/applications/:applicationId/approval',
    {
      config: { roles: WRITERS, people: PEOPLE_IN_APPLICATIONS },
      schema: { operationId: 'approveResidenceApplication', summary: 'Approve: the rules are checked again with today\'s facts, then the register changes', tags: TAGS, params: ByApplication, body: Note, response: { 200: ApplicationView, ...problemResponses(404, 409, 412) } },
    },
    async (req) => approveApplication(ctx, catalogue, actorOf(req), req.params.applicationId, req.body.note),
  );

  app.post(
    '/residence/applications/:applicationId/refusal',
    {
      config: { roles: WRITERS, people: PEOPLE_IN_APPLICATIONS },
      schema: {
        operationId: 'refuseResidenceApplication',
        summary: 'Form CT06: refuse with written reasons',
        tags: TAGS,
        params: ByApplication,
        body: Type.Object({ reasons: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: ApplicationView, ...problemResponses(404, 409) },
      },
    },
    async (req) => refuseApplication(ctx, actorOf(req), req.params.applicationId, req.body.reasons),
  );

  app.get(
    '/citizens/:personalId/residence',
    { config: { roles: READERS, people: PERSON_AND_ANSWER }, schema: { operationId: 'getCurrentResidence', summary: 'Where a person lives now, from the register and today\'s date', tags: TAGS, params: ByPerson, response: { 200: CurrentResidence, ...problemResponses(404) } } },
    async (req) => getCurrentResidence(ctx, catalogue, req.params.personalId),
  );

  app.get(
    '/citizens/:personalId/residence/history',
    { config: { roles: READERS, people: PERSON_AND_ANSWER }, schema: { operationId: 'getResidenceHistory', summary: 'Every registration with its dates and status, stay notices and residence events', tags: TAGS, params: ByPerson, response: { 200: ResidenceHistory, ...problemResponses(404) } } },
    async (req) => getResidenceHistory(ctx, catalogue, req.params.personalId),
  );

  app.get(
    '/citizens/:personalId/household',
    { config: { roles: READERS, people: PERSON_AND_ANSWER }, schema: { operationId: 'getHousehold', summary: 'The members of a person\'s household with their relationship to the head', tags: TAGS, params: ByPerson, response: { 200: HouseholdView, ...problemResponses(404) } } },
    async (req) => getHouseholdOf(ctx, catalogue, { personalId: req.params.personalId }),
  );

  app.get(
    '/households/:householdId',
    { config: { roles: READERS, people: PEOPLE_IN_ANSWER }, schema: { operationId: 'getHouseholdByNumber', summary: 'A household by its residence file number', tags: TAGS, params: ByHousehold, response: { 200: HouseholdView, ...problemResponses(404) } } },
    async (req) => getHouseholdOf(ctx, catalogue, { householdId: req.params.householdId }),
  );

  app.get(
    '/households/:householdId/history',
    { config: { roles: READERS, people: PEOPLE_IN_ANSWER }, schema: { operationId: 'getHouseholdHistory', summary: 'Every version of a household: who, when, why, what changed', tags: TAGS, params: ByHousehold, response: { 200: HouseholdHistory, ...problemResponses(404) } } },
    async (req) => ({ householdId: req.params.householdId, entries: await getHouseholdHistory(ctx, req.params.householdId) }),
  );

  app.get(
    '/residence/household-head-confirmation',
    {
      config: { roles: READERS, people: PEOPLE_IN_REQUEST },
      schema: {
        operationId: 'confirmHouseholdHead',
        summary: 'Is this person the head of household H, or of the household of person Y? Yes or no, nothing else',
        tags: TAGS,
        querystring: Type.Object({ personalId: PersonalId, householdId: Type.Optional(HouseholdId), memberPersonalId: Type.Optional(PersonalId) }, { additionalProperties: false }),
        response: { 200: Type.Object({ personalId: Type.String(), isHead: Type.Boolean(), householdId: Type.Optional(Type.String()) }), ...problemResponses(404) },
      },
    },
    async (req) => confirmHouseholdHead(ctx, req.query),
  );

  const Confirmation = Type.Object({
    number: Type.String(),
    kind: Type.Literal('RESIDENCE_CONFIRMATION'),
    personalId: Type.String(),
    issuedOn: Type.String(),
    validUntil: Type.String(),
    title: Type.String(),
    lines: Type.Array(Type.Object({ label: Type.String(), value: Type.String() })),
    statement: Type.String(),
    revoked: Type.Boolean(),
  });

  app.post(
    '/citizens/:personalId/residence-confirmations',
    {
      config: { roles: WRITERS, people: PERSON_IN_PATH },
      schema: { operationId: 'issueResidenceConfirmation', summary: 'Form CT07 from the register; PDF at /certificates/{number}/pdf', tags: TAGS, params: ByPerson, response: { 201: withHeaders(Confirmation, LOCATION), ...problemResponses(404, 409) } },
    },
    async (req, reply) => {
      const v = await issueResidenceConfirmation(ctx, catalogue, keys, actorOf(req), req.params.personalId);
      reply.code(201).header('location', `/certificates/${v.number}`);
      return { ...v, kind: 'RESIDENCE_CONFIRMATION' as const };
    },
  );

  // Anyone holding the number learns whether the CT07 is genuine and current, not who holds it or
  // where they live; the printed text can be confirmed by sending it (decision 0022).
  const Ct07Number = Type.Object({ number: Type.String({ pattern: '^XNCUTR-\\d{4}-[0-9A-Z]{8}$' }) });
  app.get(
    '/residence-confirmations/:number/verification',
    {
      config: { public: true, rateLimit: 'verification' },
      schema: {
        operationId: 'verifyResidenceConfirmation',
        summary: 'Anyone holding the number: is this CT07 still valid (1 year, and no change of residence data since issue)?',
        tags: TAGS,
        security: [],
        params: Ct07Number,
        response: { 200: PublicVerification, 400: Problem, 404: Problem },
      },
    },
    async (req) => verifyResidenceConfirmationByNumber(ctx, req.params.number),
  );

  app.post(
    '/residence-confirmations/:number/verification',
    {
      config: { public: true, rateLimit: 'verification' },
      schema: {
        operationId: 'verifyResidenceConfirmationText',
        summary: 'Anyone holding the paper: is this CT07 valid, and is its printed text the one issued?',
        tags: TAGS,
        security: [],
        params: Ct07Number,
        body: PrintedTextBody,
        response: { 200: PublicVerification, 400: Problem, 404: Problem },
      },
    },
    async (req) => verifyResidenceConfirmationByNumber(ctx, req.params.number, req.body.printedText),
  );
}
