/**
 * `dancu sms simulate "<text>" --from <number>`: texts the running demo's SMS service as a phone
 * would — a handset bound to the demo's test SMSC sends the text through the real SMPP path and
 * waits for the reply (decision 0041). It touches no store: the server answers, and records the use
 * as the citizen's own, as for any SMS.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.js';
import { normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { connectHandset } from '../../channels/sms/test-handset.js';
import { readDemoSmsc } from '../sms-wiring.js';

/** Exit code when no reply came in time (1 is any other failure). */
export const EXIT_NO_REPLY = 3;

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of seconds, at least 1');
  return n;
}

/** Adds `simulate` to the `sms` command (created if no one else created it yet). */
export function registerSmsSimulateCommand(program: Command): void {
  const sms = program.commands.find((c) => c.name() === 'sms') ?? program.command('sms').description('The SMS channel: the citizens\' SMS service, the gateway and its queue');
  sms
    .command('simulate')
    .description('Text the running demo\'s SMS service from a phone number, through the demo SMSC (real SMPP), and print the reply')
    .argument('<text>', 'the message, e.g. "CN" (see /sms/help)')
    .requiredOption('--from <number>', 'the sending phone number (e.g. 0912345678 or +84912345678)')
    .option('--timeout <seconds>', 'how long to wait for the reply', seconds, 15)
    .option('--smsc <url>', 'the SMSC to bind to as a handset (default: the running demo\'s, from the data directory)')
    .addHelpText('after', '\nThe demo (npm start) writes its SMSC address to <DANCU_DATA_DIR>/demo-smsc.json. Exit codes: 0 reply printed, 1 failure, 3 no reply in time.')
    .action(async (text: string, opts: { from: string; timeout: number; smsc?: string }) => {
      const from = normalizePhoneNumber(opts.from);
      if (!from) {
        process.stderr.write('error: --from is not a Vietnamese mobile number / --from không phải số di động Việt Nam\n');
        process.exit(1);
      }
      const url = opts.smsc ?? readDemoSmsc(loadConfig().dataDir)?.url;
      if (!url) {
        process.stderr.write('error: no demo SMSC found: start the demo first (npm start), or give --smsc\n');
        process.exit(1);
      }
      // The whole exchange is bounded: an SMSC that takes the text and never answers ends in exit 3.
      const deadline = setTimeout(() => {
        process.stderr.write(`error: no reply within ${opts.timeout} s\n`);
        process.exit(EXIT_NO_REPLY);
      }, opts.timeout * 1000);
      let handset;
      try {
        handset = await connectHandset(url, from);
      } catch (e) {
        process.stderr.write(`error: could not bind to the SMSC at ${url} (is the demo running?): ${(e as Error).message}\n`);
        process.exit(1);
      }
      await handset.send(text);
      const reply = await handset.nextMessage(opts.timeout * 1000 + 1000); // the deadline above ends it first
      clearTimeout(deadline);
      process.stdout.write(`${reply.text}\n`);
      await Promise.race([handset.close(), new Promise((r) => setTimeout(r, 2000))]);
      process.exit(0);
    });
}
