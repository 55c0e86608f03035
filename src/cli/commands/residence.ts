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
import { peopleAnywhereIn, peopleInApplications, personalIdsBySchema } from '../../domain/accountability/people.js';
import type { Runtime } from '../../services/runtime.js';
import { printJson } from '../output.js';
import { purposeOrExit, runUse, withPurpose } from '../recorded-use.js';
import { CLI_ACTOR, withRuntime } from './runtime.js';

/** The people an application names (read first, so that a decision on it records inside its transaction). */
async function peopleOfApplication(rt: Runtime, applicationId: string): Promise<unknown[]> {
  return peopleInApplications(await getApplication(rt.ctx, applicationId));
}

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
  // Each command that reads or changes citizens' data is a recorded use with its --purpose; the
  // people recorded are those the command names and, as for the API routes, those its answer names.
  const residence = program.command('residence').description('Residence procedures, households and residence confirmations (CT07); each recorded with its --purpose');

  for (const procedure of PROCEDURE_CODES) {
    const p = PROCEDURES[procedure];
    withPurpose(
      residence
        .command(p.slug.replace(/s$/, ''))
        .description(`${p.vi}: submit an application (${p.operationId}); --approve decides it at once`)
        .requiredOption('--file <path>', 'the application as JSON (the API body of this procedure), or - for standard input')
        .option('--approve', 'approve right after submission (the officer has the complete file)'),
    ).action((opts: { file: string; approve?: boolean; purpose?: string }) => {
      // The purpose is asked for before the file is read (a missing one exits 2 whatever the file holds).
      purposeOrExit(opts.purpose);
      const request = readApplication(procedure, opts.file);
      return runUse(
        { action: `residence ${p.slug.replace(/s$/, '')}`, purpose: opts.purpose, people: personalIdsBySchema(REQUEST_SCHEMAS[procedure], request), change: true },
        async (rt) => {
          const submitted = await submitApplication(rt.ctx, rt.catalogue, CLI_ACTOR, request);
          return opts.approve && submitted.status === 'submitted' ? await approveApplication(rt.ctx, rt.catalogue, CLI_ACTOR, submitted.applicationId) : submitted;
        },
        printJson,
      );
    });
  }

  const app = residence.command('application').description('Residence applications: show, list, request documents (CT05), approve, refuse (CT06)');
  withPurpose(app.command('show').description('An application with its request, steps, deadline and outcome').argument('<applicationId>')).action((id: string, opts: { purpose?: string }) =>
    runUse({ action: 'residence application show', purpose: opts.purpose, answer: peopleInApplications }, (rt) => getApplication(rt.ctx, id), printJson),
  );
  withPurpose(
    app
      .command('list')
      .description('The work list by deadline; everyone the listed applications name is recorded as read')
      .option('--view <view>', 'open | due | overdue | decided | all', 'open')
      .option('--due-by <YYYY-MM-DD>', 'with --view due: due on or before this day')
      .option('--person <personalId>')
      .option('--unit <communeCode>')
      .option('--cursor <cursor>'),
  ).action((opts: { view: ApplicationQuery['view']; dueBy?: string; person?: string; unit?: string; cursor?: string; purpose?: string }) =>
    runUse(
      { action: 'residence application list', purpose: opts.purpose, people: opts.person ? [opts.person] : [], answer: peopleInApplications },
      (rt) =>
        listResidenceApplications(rt.ctx, {
          ...(opts.view ? { view: opts.view } : {}),
          ...(opts.dueBy ? { dueBy: opts.dueBy } : {}),
          ...(opts.person ? { personalId: opts.person } : {}),
          ...(opts.unit ? { unitCode: opts.unit } : {}),
          ...(opts.cursor ? { cursor: opts.cursor } : {}),
        }),
      printJson,
    ),
  );
  const many = (v: string, acc: string[] = []) => [...acc, v];
  /** A decision on an application: the people it names, recorded in the decision's transaction. */
  const decision = (action: string, id: string, purpose: string | undefined, work: (rt: Runtime) => Promise<unknown>) =>
    runUse({ action: `residence application ${action}`, purpose, people: (rt) => peopleOfApplication(rt, id), change: true }, work, printJson);
  withPurpose(
    app
      .command('request-documents')
      .description('Form CT05: ask for the documents that complete the file')
      .argument('<applicationId>')
      .requiredOption('--document <text>', 'a missing document (repeatable)', many),
  ).action((id: string, opts: { document: string[]; purpose?: string }) => decision('request-documents', id, opts.purpose, (rt) => requestDocuments(rt.ctx, CLI_ACTOR, id, opts.document)));
  withPurpose(app.command('supply-documents').description('The requested documents came in').argument('<applicationId>')).action((id: string, opts: { purpose?: string }) =>
    decision('supply-documents', id, opts.purpose, (rt) => supplyDocuments(rt.ctx, CLI_ACTOR, id)),
  );
  withPurpose(app.command('approve').description('Approve: the rules are checked again with today\'s facts, then the register changes').argument('<applicationId>')).action((id: string, opts: { purpose?: string }) =>
    decision('approve', id, opts.purpose, (rt) => approveApplication(rt.ctx, rt.catalogue, CLI_ACTOR, id)),
  );
  withPurpose(
    app
      .command('refuse')
      .description('Form CT06: refuse with written reasons')
      .argument('<applicationId>')
      .requiredOption('--reason <text>', 'a reason (repeatable)', many),
  ).action((id: string, opts: { reason: string[]; purpose?: string }) => decision('refuse', id, opts.purpose, (rt) => refuseApplication(rt.ctx, CLI_ACTOR, id, opts.reason)));

  withPurpose(residence.command('current').description('Where a person lives now').argument('<personalId>')).action((id: string, opts: { purpose?: string }) =>
    runUse({ action: 'residence current', purpose: opts.purpose, people: [id], answer: peopleAnywhereIn }, (rt) => getCurrentResidence(rt.ctx, rt.catalogue, id), printJson),
  );
  withPurpose(residence.command('history').description('A person\'s residence history').argument('<personalId>')).action((id: string, opts: { purpose?: string }) =>
    runUse({ action: 'residence history', purpose: opts.purpose, people: [id], answer: peopleAnywhereIn }, (rt) => getResidenceHistory(rt.ctx, rt.catalogue, id), printJson),
  );
  withPurpose(
    residence
      .command('household')
      .description('The household of a person (or --number for a residence file number), with --history its versions; every member is recorded as read')
      .argument('[personalId]')
      .option('--number <householdId>')
      .option('--history'),
  ).action((personalId: string | undefined, opts: { number?: string; history?: boolean; purpose?: string }) =>
    runUse(
      { action: 'residence household', purpose: opts.purpose, people: opts.number ? [] : [personalId], answer: peopleAnywhereIn },
      async (rt) => {
        const h = await getHouseholdOf(rt.ctx, rt.catalogue, opts.number ? { householdId: opts.number } : { personalId: personalId ?? '' });
        return opts.history ? { ...h, history: await getHouseholdHistory(rt.ctx, h.householdId) } : h;
      },
      printJson,
    ),
  );
  withPurpose(
    residence
      .command('confirm-head')
      .description('Is <personalId> the head of --household H, or of the household of --member Y? (yes/no)')
      .argument('<personalId>')
      .option('--household <householdId>')
      .option('--member <personalId>'),
  ).action((personalId: string, opts: { household?: string; member?: string; purpose?: string }) =>
    runUse(
      { action: 'residence confirm-head', purpose: opts.purpose, people: [personalId, opts.member] },
      (rt) => confirmHouseholdHead(rt.ctx, { personalId, ...(opts.household ? { householdId: opts.household } : {}), ...(opts.member ? { memberPersonalId: opts.member } : {}) }),
      (r) => {
        process.stdout.write(`${r.isHead ? 'yes' : 'no'}\n`);
      },
    ),
  );
  const ct07 = residence.command('confirmation').description('Residence confirmation (CT07)');
  withPurpose(ct07.command('issue').description('Issue a residence confirmation (CT07) for a person').argument('<personalId>')).action((id: string, opts: { purpose?: string }) =>
    runUse({ action: 'residence confirmation issue', purpose: opts.purpose, people: [id], change: true }, (rt) => issueResidenceConfirmation(rt.ctx, rt.catalogue, rt.keys, CLI_ACTOR, id), printJson),
  );
  // The public check of a CT07 number (genuine and current): it says nothing about the holder, as on the API.
  ct07
    .command('verify')
    .description('Is this CT07 genuine and current? (public: no purpose needed)')
    .argument('<number>')
    .action((n: string) =>
      withRuntime(async (rt) => {
        const { certificate: _c, ...check } = await verifyResidenceConfirmation(rt.ctx, n);
        printJson(check);
      }),
    );
}
