/**
 * `dancu written-request record|list|show|consent|decide|letter` (decision 0040; docs/written-requests.md).
 * Each is a recorded use with its --purpose (why the operator uses the data), as every command that
 * touches citizens' data; the purpose the letter itself gives is --reason.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { peopleAnywhereIn } from '../../domain/accountability/people.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { sniffScan, type Channel } from '../../domain/written-requests/rules.js';
import type { Runtime } from '../../services/runtime.js';
import { getScan, getWrittenRequest, giveConsent, listRequests, recordWrittenRequest, type ListView, type RequesterInput } from '../../services/written-requests/requests.js';
import { decideWrittenRequest, decidingOfficer, refuseConsent, writtenRequestLetter } from '../../services/written-requests/decision.js';
import { writePrivateFile } from '../../private-files.js';
import { printJson } from '../output.js';
import { runUse, withPurpose } from '../recorded-use.js';
import { CLI_ACTOR } from './runtime.js';

function publicUrl(): string {
  const c = loadConfig();
  return c.publicUrl ?? `http://${c.host}:${c.port}`;
}

/** Whose data a request concerns (read first, so that a change records inside its transaction). */
async function subjectOf(rt: Runtime, requestId: string): Promise<unknown[]> {
  return [(await getWrittenRequest(rt.ctx, requestId)).personalId];
}

const list = (v: string, prev: string[] = []) => [...prev, v];

interface RecordOptions {
  subject: string;
  channel: string;
  receivedAt?: string;
  citizen?: string;
  org?: string;
  stateBody?: boolean;
  orgRegistration?: string;
  orgAddress?: string;
  fields: string;
  reason: string;
  scan: string;
  purpose?: string;
}

function requesterOf(o: RecordOptions): RequesterInput {
  if (o.citizen && !o.org) return { kind: 'citizen', personalId: o.citizen };
  if (o.org && !o.citizen) {
    return { kind: 'organisation', name: o.org, stateBody: o.stateBody === true, ...(o.orgRegistration ? { registrationNumber: o.orgRegistration } : {}), ...(o.orgAddress ? { address: o.orgAddress } : {}) };
  }
  throw new RegistryError('VALIDATION_FAILED', { detail: 'Name the requester: --citizen <personalId> or --org <name> (one of them).' });
}

export function registerWrittenRequestCommands(program: Command): void {
  const wr = program
    .command('written-request')
    .description('Written requests for citizens\' data (Luật Căn cước Art. 10(5)(c)): record, lists, consent, decision, letters (each recorded with its --purpose)');

  withPurpose(
    wr
      .command('record')
      .description('Record a request received at the counter or by post, with its scanned letter')
      .requiredOption('--subject <personalId>', 'whose data is asked')
      .requiredOption('--channel <counter|post>', 'how it came in')
      .option('--received-at <ISO instant>', 'when the letter came in (default now)')
      .option('--citizen <personalId>', 'the requester is this citizen (themself, a parent of a minor, a legal representative)')
      .option('--org <name>', 'the requester is this organisation')
      .option('--state-body', 'the organisation is a state body of NĐ 70/2024 Art. 8(1) (no consent needed)')
      .option('--org-registration <number>', 'the organisation\'s registration number')
      .option('--org-address <text>', 'the organisation\'s address')
      .requiredOption('--fields <groups>', 'comma-separated: identity, residence, household, card, usage')
      .requiredOption('--reason <text>', 'the purpose or reason the letter gives')
      .requiredOption('--scan <file>', 'the scanned letter (PDF, JPEG or PNG; at most 10 MiB)'),
  ).action((o: RecordOptions) =>
    runUse(
      { action: 'written-request record', purpose: o.purpose, people: [o.subject, ...(o.citizen ? [o.citizen] : [])], change: true },
      async (rt) => {
        const content = readFileSync(o.scan);
        return recordWrittenRequest(rt.ctx, CLI_ACTOR, {
          personalId: o.subject,
          channel: o.channel as Channel,
          ...(o.receivedAt ? { receivedAt: o.receivedAt } : {}),
          requester: requesterOf(o),
          fields: o.fields.split(',').map((f) => f.trim()),
          purpose: o.reason,
          // The type is what the bytes are; anything else is refused as unsupported.
          scan: { mediaType: sniffScan(content) ?? 'application/octet-stream', content },
        });
      },
      printJson,
    ),
  );

  withPurpose(
    wr
      .command('list')
      .description('Work lists by deadline: open (default), awaiting_consent, due_today, overdue, decided, all')
      .option('--view <view>', 'which list', 'open')
      .option('--personal-id <personalId>', 'only requests about this person')
      .option('--limit <n>', 'page size (at most 200)', (v) => Number(v))
      .option('--cursor <cursor>', 'the next page (nextCursor of the previous one)'),
  ).action((o: { view: ListView; personalId?: string; limit?: number; cursor?: string; purpose?: string }) =>
    runUse(
      { action: 'written-request list', purpose: o.purpose, people: o.personalId ? [o.personalId] : [], answer: peopleAnywhereIn },
      (rt) => listRequests(rt.ctx, { view: o.view, ...(o.personalId ? { personalId: o.personalId } : {}), ...(o.limit ? { limit: o.limit } : {}), ...(o.cursor ? { cursor: o.cursor } : {}) }),
      printJson,
    ),
  );

  withPurpose(
    wr
      .command('show')
      .description('A request with its steps, deadline and decision; --scan writes the scanned letter')
      .argument('<requestId>')
      .option('--scan <file>', 'write the scanned letter as received'),
  ).action((requestId: string, o: { scan?: string; purpose?: string }) => {
    // The bytes are written only once the use is recorded (runUse prints after recording).
    let scan: Buffer | undefined;
    return runUse(
      { action: 'written-request show', purpose: o.purpose, answer: peopleAnywhereIn },
      async (rt) => {
        const view = await getWrittenRequest(rt.ctx, requestId);
        if (o.scan) scan = (await getScan(rt.ctx, requestId)).scan.content;
        return view;
      },
      (view) => {
        if (o.scan && scan) writePrivateFile(o.scan, scan);
        printJson(view);
      },
    );
  });

  withPurpose(
    wr
      .command('consent')
      .description('Record the subject\'s answer given on paper to an organisation\'s request')
      .argument('<requestId>')
      .option('--given', 'the subject consents')
      .option('--refused', 'the subject refuses (the request is refused with that reason)')
      .option('--note <text>', 'e.g. the date of the signed consent'),
  ).action((requestId: string, o: { given?: boolean; refused?: boolean; note?: string; purpose?: string }) =>
    runUse(
      { action: 'written-request consent', purpose: o.purpose, people: (rt) => subjectOf(rt, requestId), change: true },
      async (rt) => {
        if (o.given === o.refused) throw new RegistryError('VALIDATION_FAILED', { detail: 'Give exactly one of --given and --refused.' });
        const paper = { channel: 'paper', note: o.note } as const;
        return o.given ? giveConsent(rt.ctx, CLI_ACTOR, requestId, paper) : refuseConsent(rt.ctx, rt.keys, CLI_ACTOR, requestId, paper);
      },
      printJson,
    ),
  );

  withPurpose(
    wr
      .command('decide')
      .description('Decide for the competent officer named by --officer: --provide (a signed reply letter with the data asked) or --refuse with one --reason-item per reason')
      .argument('<requestId>')
      .requiredOption('--officer <principalId>', 'the officer who decides (an active officer principal; NĐ 70/2024 Art. 9); the operator is kept as who entered it')
      .option('--provide', 'provide the data asked')
      .option('--refuse', 'refuse (reasons required)')
      .option('--reason-item <text>', 'a reason for refusing (repeat for several)', list),
  ).action((requestId: string, o: { officer: string; provide?: boolean; refuse?: boolean; reasonItem?: string[]; purpose?: string }) =>
    runUse(
      { action: 'written-request decide', purpose: o.purpose, people: (rt) => subjectOf(rt, requestId), change: true },
      async (rt) => {
        if (o.provide === o.refuse) throw new RegistryError('VALIDATION_FAILED', { detail: 'Give exactly one of --provide and --refuse.' });
        // The CLI runs as an administrator; the decision is the named officer's (the service checks the role).
        const officer = await decidingOfficer(rt.ctx, o.officer);
        return decideWrittenRequest(rt.ctx, rt.catalogue, rt.keys, officer, requestId, o.provide ? { decision: 'provide' } : { decision: 'refuse', reasons: o.reasonItem ?? [] }, CLI_ACTOR.principalId);
      },
      printJson,
    ),
  );

  withPurpose(
    wr
      .command('letter')
      .description('Write the signed reply or refusal letter (PDF); recorded as a release of the subject\'s data to the requester')
      .argument('<requestId>')
      .requiredOption('--pdf <file>', 'where to write the PDF'),
  ).action((requestId: string, o: { pdf: string; purpose?: string }) => {
    // What is recorded is what the letter releases (its fields); the PDF is written once that is recorded.
    let pdf: Buffer | undefined;
    return runUse(
      { action: 'written-request letter', purpose: o.purpose, answer: (released: Record<string, unknown>) => [released.personalId] },
      async (rt) => {
        const letter = await writtenRequestLetter(rt.ctx, await getWrittenRequest(rt.ctx, requestId), publicUrl());
        pdf = letter.pdf;
        return letter.released;
      },
      () => {
        writePrivateFile(o.pdf, pdf!);
        process.stdout.write(`${o.pdf}\n`);
      },
    );
  });
}
