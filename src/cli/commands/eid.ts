/**
 * `dancu eid …`: citizens' e-ID accounts for officers at a terminal (decision 0042) — show a
 * person's account, the authority's lock and unlock with a reason, level 2 from a scanned card, the
 * lapse sweep, and the mail outbox (e-mail codes wait there until a mail transport exists). Each
 * command about a person is a recorded use with its --purpose.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { eidViewOfPerson, issueLevel2, sweepLapsedAccounts, type EidDeps } from '../../services/eid/accounts.js';
import { lockByAuthority, unlockByAuthority } from '../../services/eid/locks.js';
import { markMailSent, pendingMail } from '../../services/eid/codes.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { eidAccountOfPerson } from '../../services/eid/state.js';
import { printJson } from '../output.js';
import { runUse, withPurpose } from '../recorded-use.js';
import { CLI_ACTOR, withRuntime } from './runtime.js';
import type { Runtime } from '../../services/runtime.js';

const deps = (rt: Runtime): EidDeps => ({ store: rt.ctx.store, clock: rt.ctx.clock, settings: loadConfig().auth, ctx: rt.ctx });

async function principalOf(rt: Runtime, personalId: string): Promise<string> {
  const a = await eidAccountOfPerson(rt.store.db, personalId);
  if (!a) throw new RegistryError('EID_ACCOUNT_NOT_FOUND');
  return a.principalId;
}

export function registerEidCommands(program: Command): void {
  const eid = program.command('eid').description('Citizens\' e-identification accounts (level 1 and 2, activation, locks)');
  withPurpose(eid.command('show').description('A person\'s e-ID account: level, state, masked contacts, lock').argument('<personalId>')).action((personalId: string, opts: { purpose?: string }) =>
    runUse({ action: 'eid show', purpose: opts.purpose, people: [personalId] }, (rt) => eidViewOfPerson(deps(rt), personalId), printJson),
  );
  for (const action of ['lock', 'unlock'] as const) {
    withPurpose(
      eid
        .command(action)
        .description(action === 'lock' ? 'The authority\'s lock: no sign-in, sessions, tokens or codes from now on; only the authority lifts it' : 'The authority\'s unlock (lifts a self-lock too)')
        .argument('<personalId>')
        .requiredOption('--reason <text>', 'the decision or reason (recorded)'),
    ).action((personalId: string, opts: { reason: string; purpose?: string }) =>
      runUse(
        { action: `eid ${action}`, purpose: opts.purpose, people: [personalId], change: true },
        async (rt) => (action === 'lock' ? lockByAuthority : unlockByAuthority)(deps(rt), await principalOf(rt, personalId), opts.reason, CLI_ACTOR.principalId, 'cli'),
        printJson,
      ),
    );
  }
  withPurpose(
    eid
      .command('level2')
      .description('Level 2 at the counter: the card\'s QR text verified against the registry and a number registered to the person (or their representative); the activation code goes by SMS')
      .requiredOption('--qr <payload>', 'the card\'s QR text as scanned')
      .requiredOption('--phone <number>', 'the number checked at the counter')
      .option('--representative <personalId>', 'under 14 or under guardianship: the legal representative (holding an e-ID account)'),
  ).action((opts: { qr: string; phone: string; representative?: string; purpose?: string }) =>
    runUse(
      { action: 'eid level2', purpose: opts.purpose, people: [opts.qr.split('|')[0], opts.representative].filter((x) => x !== undefined), change: true },
      (rt) => issueLevel2(deps(rt), rt.catalogue, { qrPayload: opts.qr, phone: opts.phone, representativePersonalId: opts.representative }, CLI_ACTOR.principalId),
      printJson,
    ),
  );
  eid
    .command('sweep')
    .description('Mark pending accounts past their activation deadline as lapsed (the server does it hourly)')
    .action(async () => {
      await withRuntime(async (rt) => {
        process.stdout.write(`lapsed: ${await sweepLapsedAccounts({ store: rt.ctx.store, clock: rt.ctx.clock })}\n`);
      });
    });
  eid
    .command('mail')
    .description('E-mails waiting for a transport (codes for a new address); --deliver marks them delivered and blanks their codes')
    .option('--deliver', 'mark every listed message delivered')
    .action(async (opts: { deliver?: boolean }) => {
      await withRuntime(async (rt) => {
        const now = rt.ctx.clock.now().toISOString();
        const mail = await pendingMail(rt.store, now);
        printJson(mail);
        if (opts.deliver) for (const m of mail) await markMailSent(rt.store, m.messageId, now);
      });
    });
}
