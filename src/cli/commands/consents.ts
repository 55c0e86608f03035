/**
 * `dancu consents …` (decision 0044): agencies' consent requests for officers and inspectors at a
 * terminal — list (by person, connection, state), show one with its history and the calls it allowed
 * (never the SMS code), and write down the expiries that took effect (the server does it hourly).
 * Reading a person's requests is a recorded use with its --purpose.
 */
import type { Command } from 'commander';
import { CONSENT_STATES, type ConsentState } from '../../domain/exchange/consent.js';
import { expireLapsedConsents, officerConsent, officerConsents } from '../../services/consents/requests.js';
import { printJson } from '../output.js';
import { runUse, withPurpose } from '../recorded-use.js';
import { withRuntime } from './runtime.js';

const peopleOfPage = (p: { items: { personalId: string }[] }) => p.items.map((i) => i.personalId);

export function registerConsentCommands(program: Command): void {
  const consents = program.command('consents').description('Consent requests of agencies outside the state (NĐ 70/2024 Art. 10(2)): list, show, expire');
  withPurpose(
    consents
      .command('list')
      .description('Requests, newest first, with their states in force')
      .option('--person <personalId>', 'one person\'s requests')
      .option('--connection <connectionId>', 'one connection\'s requests')
      .option('--state <state>', `only this state in force (${CONSENT_STATES.join(', ')})`)
      .option('--limit <n>', 'at most this many (1–200)', '50')
      .option('--before <cursor>', 'the `next` of the previous page'),
  ).action((opts: { person?: string; connection?: string; state?: string; limit: string; before?: string; purpose?: string }) => {
    if (opts.state !== undefined && !(CONSENT_STATES as readonly string[]).includes(opts.state)) {
      process.stderr.write(`error: --state is one of ${CONSENT_STATES.join(', ')}\n`);
      process.exit(2);
    }
    const limit = Math.min(200, Math.max(1, Number.parseInt(opts.limit, 10) || 50));
    return runUse(
      { action: 'consents list', purpose: opts.purpose, people: opts.person ? [opts.person] : [], answer: peopleOfPage },
      (rt) => officerConsents(rt.ctx, { ...(opts.person ? { personalId: opts.person } : {}), ...(opts.connection ? { connectionId: opts.connection } : {}), ...(opts.state ? { state: opts.state as ConsentState } : {}), ...(opts.before ? { before: opts.before } : {}), limit }),
      printJson,
    );
  });
  withPurpose(consents.command('show').description('One request: who asked, what, its history and the calls it allowed').argument('<consentId>')).action((consentId: string, opts: { purpose?: string }) =>
    runUse({ action: 'consents show', purpose: opts.purpose, answer: (v: { personalId: string }) => [v.personalId] }, (rt) => officerConsent(rt.ctx, consentId), printJson),
  );
  consents
    .command('expire')
    .description('Write down the expiries that took effect (unanswered by the deadline, past the validity); calls never wait for it')
    .action(async () => {
      await withRuntime(async (rt) => {
        process.stdout.write(`expired: ${await expireLapsedConsents(rt.ctx)}\n`);
      });
    });
}
