/**
 * `dancu residence …`: every residence procedure from a JSON application (the same schema as the
 * API body), the application lifecycle, the officers' work list, the four questions and the CT07.
 */
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import type { Command } from 'commander';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { PROCEDURE_CODES, PROCEDURES, type Procedure } from '../../domain/residence/procedures.js';
import { REQUEST_SCHEMAS, type ResidenceRequest } from '../../domain/residence/requests.js';
import { normalizeDeep } from '../../domain/text/normalize.js';
import {
  approveApplication, getApplication, listResidenceApplications, refuseApplication, requestDocuments, submitApplication, supplyDocuments,
  type ApplicationQuery,
} from '../../services/residence/applications.js';
import { issueResidenceConfirmation, verifyResidenceConfirmation } from '../../services/residence/confirmation.js';
import { confirmHouseholdHead, getCurrentResidence, getHouseholdHistory, getHouseholdOf, getResidenceHistory } from '../../services/residence/queries.js';
import { printJson } from '../output.js';
import { CLI_ACTOR, withRuntime } from './runtime.js';

/** The application in a file (or - for standard input), checked against the procedure's schema. */
export function readApplication(procedure: Procedure, file: string): ResidenceRequest {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (e) {
    throw new RegistryError('MALFORMED_JSON', { detail: e instanceof Error ? e.message : String(e) });
  }
  const schema = REQUEST_SCHEMAS[procedure];
  const value = Value.Default(schema, normalizeDeep(data));
  if (!Value.Check(schema, value)) {
    const fields = [...Value.Errors(schema, value)].slice(0, 20).map((e) => ({ field: e.path || '/', code: 'SCHEMA', message: e.message }));
    throw new RegistryError('VALIDATION_FAILED', { fields });
  }
  return { procedure, ...(value as object) } as ResidenceRequest;
}

export function registerResidenceCommands(program: Command): void {
  const residence = program.command('residence').description('Residence procedures, households and residence confirmations (CT07)');

  for (const procedure of PROCEDURE_CODES) {
    const p = PROCEDURES[procedure];
    residence
      .command(p.slug.replace(/s$/, ''))
      .description(`${p.vi}: submit an application (${p.operationId}); --approve decides it at once`)
      .requiredOption('--file <path>', 'the application as JSON (the API body of this procedure), or - for standard input')
      .option('--approve', 'approve right after submission (the officer has the complete file)')
      .action((opts: { file: string; approve?: boolean }) =>
        withRuntime(async (rt) => {
          const submitted = await submitApplication(rt.ctx, rt.catalogue, CLI_ACTOR, readApplication(procedure, opts.file));
          const out = opts.approve && submitted.status === 'submitted' ? await approveApplication(rt.ctx, rt.catalogue, CLI_ACTOR, submitted.applicationId) : submitted;
          printJson(out);
        }),
      );
  }

  const app = residence.command('application').description('Residence applications: show, list, request documents (CT05), approve, refuse (CT06)');
  app.command('show').argument('<applicationId>').action((id: string) => withRuntime(async (rt) => printJson(await getApplication(rt.ctx, id))));
  app
    .command('list')
    .description('The work list by deadline')
    .option('--view <view>', 'open | due | overdue | decided | all', 'open')
    .option('--due-by <YYYY-MM-DD>', 'with --view due: due on or before this day')
    .option('--person <personalId>')
    .option('--unit <communeCode>')
    .option('--cursor <cursor>')
    .action((opts: { view: ApplicationQuery['view']; dueBy?: string; person?: string; unit?: string; cursor?: string }) =>
      withRuntime(async (rt) =>
        printJson(
          await listResidenceApplications(rt.ctx, {
            ...(opts.view ? { view: opts.view } : {}),
            ...(opts.dueBy ? { dueBy: opts.dueBy } : {}),
            ...(opts.person ? { personalId: opts.person } : {}),
            ...(opts.unit ? { unitCode: opts.unit } : {}),
            ...(opts.cursor ? { cursor: opts.cursor } : {}),
          }),
        ),
      ),
    );
  const many = (v: string, acc: string[] = []) => [...acc, v];
  app
    .command('request-documents')
    .description('Form CT05: ask for the documents that complete the file')
    .argument('<applicationId>')
    .requiredOption('--document <text>', 'a missing document (repeatable)', many)
    .action((id: string, opts: { document: string[] }) => withRuntime(async (rt) => printJson(await requestDocuments(rt.ctx, CLI_ACTOR, id, opts.document))));
  app
    .command('supply-documents')
    .description('The requested documents came in')
    .argument('<applicationId>')
    .action((id: string) => withRuntime(async (rt) => printJson(await supplyDocuments(rt.ctx, CLI_ACTOR, id))));
  app.command('approve').argument('<applicationId>').action((id: string) => withRuntime(async (rt) => printJson(await approveApplication(rt.ctx, rt.catalogue, CLI_ACTOR, id))));
  app
    .command('refuse')
    .description('Form CT06: refuse with written reasons')
    .argument('<applicationId>')
    .requiredOption('--reason <text>', 'a reason (repeatable)', many)
    .action((id: string, opts: { reason: string[] }) => withRuntime(async (rt) => printJson(await refuseApplication(rt.ctx, CLI_ACTOR, id, opts.reason))));

  residence.command('current').description('Where a person lives now').argument('<personalId>').action((id: string) => withRuntime(async (rt) => printJson(await getCurrentResidence(rt.ctx, rt.catalogue, id))));
  residence.command('history').description('A person\'s residence history').argument('<personalId>').action((id: string) => withRuntime(async (rt) => printJson(await getResidenceHistory(rt.ctx, rt.catalogue, id))));
  residence
    .command('household')
    .description('The household of a person (or --number for a residence file number), with --history its versions')
    .argument('[personalId]')
    .option('--number <householdId>')
    .option('--history')
    .action((personalId: string | undefined, opts: { number?: string; history?: boolean }) =>
      withRuntime(async (rt) => {
        const h = await getHouseholdOf(rt.ctx, rt.catalogue, opts.number ? { householdId: opts.number } : { personalId: personalId ?? '' });
        printJson(opts.history ? { ...h, history: await getHouseholdHistory(rt.ctx, h.householdId) } : h);
      }),
    );
  residence
    .command('confirm-head')
    .description('Is <personalId> the head of --household H, or of the household of --member Y? (yes/no)')
    .argument('<personalId>')
    .option('--household <householdId>')
    .option('--member <personalId>')
    .action((personalId: string, opts: { household?: string; member?: string }) =>
      withRuntime(async (rt) => {
        const r = await confirmHouseholdHead(rt.ctx, { personalId, ...(opts.household ? { householdId: opts.household } : {}), ...(opts.member ? { memberPersonalId: opts.member } : {}) });
        process.stdout.write(`${r.isHead ? 'yes' : 'no'}\n`);
      }),
    );
  const ct07 = residence.command('confirmation').description('Residence confirmation (CT07)');
  ct07.command('issue').argument('<personalId>').action((id: string) => withRuntime(async (rt) => printJson(await issueResidenceConfirmation(rt.ctx, rt.catalogue, rt.keys, CLI_ACTOR, id))));
  ct07
    .command('verify')
    .argument('<number>')
    .action((n: string) =>
      withRuntime(async (rt) => {
        const { certificate: _c, ...check } = await verifyResidenceConfirmation(rt.ctx, n);
        printJson(check);
      }),
    );
}
