/**
 * Inspectors' access to the access log (issue 13 item 4; decision 0034): search every recorded use,
 * export a period's entries with their inclusion proofs, and the whole audit export the offline
 * verifier (`dancu audit verify --url`) reads. Each route reads citizens' data and declares the
 * people it reads — the person searched for and the people in the answer — so the one mechanism
 * records the inspector in turn, with their X-Purpose.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { Role, ServiceContext } from '../../services/context.js';
import { entryExportLines, exportAccessEntries, searchAccessEntries, type EntryQuery } from '../../services/accountability/inspection.js';
import { collectAuditExport } from '../../services/audit/collect.js';
import { exportToLines, personalIdsByTable } from '../../services/audit/export-format.js';
import { transparencyLogOf } from '../../services/transparency/log.js';
import { peopleInAnswer, type PeopleDeclaration } from '../recording.js';
import { problemResponses } from '../problem.js';

const INSPECTORS: readonly Role[] = ['inspector'];
const TAGS = ['inspection'];
const PersonalId = Type.String({ pattern: '^\\d{12}$', description: "The citizen's personal ID: that person's entries" });
const Instant = (description: string) => Type.Optional(Type.String({ format: 'date-time', description }));
const Text = (description: string, maxLength = 200) => Type.Optional(Type.String({ minLength: 1, maxLength, description }));

const Filters = {
  personalId: Type.Optional(PersonalId),
  agencyCode: Text('The agency that called', 20),
  connectionId: Text("The agency system's connection", 60),
  principalId: Text('The officer, inspector, administrator or job', 100),
  action: Text("The service code or the route's operationId", 100),
  purpose: Text('The purpose or administrative procedure code given'),
  outcome: Type.Optional(Type.Union([Type.Literal('served'), Type.Literal('refused')])),
  channel: Text('api, cli, exchange, job, …', 20),
  from: Instant('Entries at or after this instant'),
  to: Instant('Entries before this instant'),
};

const AccessEntryView = Type.Object({
  entryId: Type.String(),
  subjectKey: Type.String({ description: "The row's key: a personal ID, or the caller's key when no citizen is concerned" }),
  at: Type.String({ format: 'date-time' }),
  callerKind: Type.String(),
  principalId: Type.Optional(Type.String()),
  role: Type.Optional(Type.String()),
  unit: Type.Optional(Type.String()),
  agencyCode: Type.Optional(Type.String()),
  connectionId: Type.Optional(Type.String()),
  officerId: Type.Optional(Type.String()),
  channel: Type.String(),
  action: Type.String(),
  purpose: Type.Optional(Type.String()),
  personalIds: Type.Array(Type.String(), { description: 'Every citizen the use concerned (the row of one citizen: that citizen)' }),
  fields: Type.Array(Type.String()),
  outcome: Type.String(),
  errorCode: Type.Optional(Type.String()),
  httpStatus: Type.Integer(),
  requestId: Type.Optional(Type.String()),
  sourceIp: Type.Optional(Type.String()),
  latencyMs: Type.Number(),
  feeVnd: Type.Integer(),
  catalogueYear: Type.Optional(Type.Integer()),
  testStage: Type.Optional(Type.Boolean()),
  primary: Type.Boolean({ description: 'The row that stands for the whole use' }),
  subjectCount: Type.Integer(),
});
const AccessEntryPage = Type.Object({ items: Type.Array(AccessEntryView), nextCursor: Type.Optional(Type.String()) });

const entryPeople: PeopleDeclaration = {
  request: (req) => [(req.query as { personalId?: unknown } | undefined)?.personalId],
  response: peopleInAnswer('personalIds'),
};

/** The audit export names citizens by the key of each citizen-keyed table's rows. */
const auditPeople: PeopleDeclaration = { response: (answer) => Object.values((answer ?? {}) as Record<string, string[]>).flat() };

const ndjson = (description: string) => ({ description, content: { 'application/x-ndjson': { schema: Type.String({ description: 'JSON lines' }) } } });

/**
 * A JSON-lines answer is sent as text, which Fastify does not pass through preSerialization: the
 * answer the mechanism reads (the people and fields released) is set here.
 */
function answered(req: FastifyRequest, answer: unknown): void {
  req.answer = answer;
}

function queryOf(q: object): EntryQuery {
  return Object.fromEntries(Object.entries(q).filter(([k, v]) => v !== undefined && k in Filters)) as EntryQuery;
}

export function registerInspectionRoutes(root: FastifyInstance, ctx: ServiceContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/inspection/access-entries',
    {
      config: { roles: INSPECTORS, people: entryPeople },
      schema: {
        operationId: 'searchAccessEntries',
        summary: 'Every recorded use of citizens\' data and every refusal, by citizen, agency, connection, principal, action, purpose, outcome, channel and period; newest first',
        tags: TAGS,
        querystring: Type.Object(
          { ...Filters, cursor: Type.Optional(Type.String({ maxLength: 300 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: AccessEntryPage, ...problemResponses() },
      },
    },
    async (req) => searchAccessEntries(ctx, { ...queryOf(req.query), ...(req.query.cursor ? { cursor: req.query.cursor } : {}), ...(req.query.limit ? { limit: req.query.limit } : {}) }),
  );

  app.get(
    '/inspection/access-entries/export',
    {
      config: { roles: INSPECTORS, people: entryPeople },
      schema: {
        operationId: 'exportAccessEntries',
        summary: "A period's entries with their proofs (JSON lines): the checkpoint (with cosignatures), then each entry as stored with its leaf data, index and inclusion proof",
        tags: TAGS,
        querystring: Type.Object(Filters, { additionalProperties: false }),
        response: { 200: ndjson('The checkpoint line, then one line per entry, oldest first'), ...problemResponses() },
      },
    },
    async (req, reply) => {
      const e = await exportAccessEntries(ctx, queryOf(req.query));
      answered(req, { items: e.entries.map((x) => ({ personalIds: x.entry.primary_row === 1 ? (JSON.parse(x.entry.personal_ids) as string[]) : [x.entry.subject_key], entry: true, leaf: true, index: true, proof: true })) });
      return reply.type('application/x-ndjson; charset=utf-8').serializer((p: unknown) => p as string).send(entryExportLines(e));
    },
  );

  app.get(
    '/inspection/audit-export',
    {
      config: { roles: INSPECTORS, people: auditPeople },
      schema: {
        operationId: 'getAuditExport',
        summary: 'The audit export of a period (docs/audit-export.md, one JSON-lines file): checkpoints, tiles, leaves and every committed row — what `dancu audit verify --url` checks',
        tags: TAGS,
        querystring: Type.Object({ from: Filters.from, to: Filters.to }, { additionalProperties: false }),
        response: { 200: ndjson('The manifest, checkpoints, tiles, leaves, redirects and rows'), ...problemResponses() },
      },
    },
    async (req, reply) => {
      const log = transparencyLogOf(ctx.store);
      if (!log) throw new RegistryError('STORE_UNAVAILABLE');
      for (const t of [req.query.from, req.query.to]) if (t !== undefined && Number.isNaN(Date.parse(t))) throw new RegistryError('INVALID_INSTANT');
      const e = await collectAuditExport(ctx.store, {
        ...(req.query.from ? { from: new Date(req.query.from).toISOString() } : {}),
        ...(req.query.to ? { to: new Date(req.query.to).toISOString() } : {}),
        origin: log.key.origin,
        logKey: log.key.verifierKey,
        exportedAt: ctx.clock.now().toISOString(),
      });
      // Recorded as a use of each citizen whose rows it holds, table by table (the fields released).
      answered(req, personalIdsByTable(e));
      return reply.type('application/x-ndjson; charset=utf-8').serializer((p: unknown) => p as string).send(exportToLines(e));
    },
  );
}
