/**
 * `dancu sms receive --to <number>`: the demo phone's inbox. Binds to the running demo's test SMSC
 * as the handset of that number and prints the messages sent to it (those queued while no handset
 * was bound come at once) — how a demo user reads a one-time code (decision 0043). It touches no
 * store: the outbox blanks codes once sent, as a real deployment must.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.js';
import { normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { connectHandset } from '../../channels/sms/test-handset.js';
import { readDemoSmsc } from '../sms-wiring.js';

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of seconds, at least 1');
  return n;
}

export function registerSmsReceiveCommand(program: Command): void {
  const sms = program.commands.find((c) => c.name() === 'sms') ?? program.command('sms').description('The SMS channel: the citizens\' SMS service, the gateway and its queue');
  sms
    .command('receive')
    .description('Read the messages the running demo sent to a phone number (as that phone, through the demo SMSC): one-time codes, replies, notices')
    .requiredOption('--to <number>', 'the phone number (e.g. 0912345678 or +84912345678)')
    .option('--wait <seconds>', 'how long to wait for a message', seconds, 10)
    .action(async (opts: { to: string; wait: number }) => {
      const number = normalizePhoneNumber(opts.to);
      if (!number) {
        process.stderr.write('error: --to is not a Vietnamese mobile number / --to không phải số di động Việt Nam\n');
        process.exit(1);
      }
      const url = readDemoSmsc(loadConfig().dataDir)?.url;
      if (!url) {
        process.stderr.write('error: no demo SMSC found: start the demo first (npm start)\n');
        process.exit(1);
      }
      const handset = await connectHandset(url, number);
      try {
        await handset.nextMessage(opts.wait * 1000);
      } catch {
        process.stderr.write(`no message within ${opts.wait} s\n`);
      }
      // Queued messages arrive together: give the rest a moment.
      await new Promise((r) => setTimeout(r, 500));
      for (const m of handset.received) process.stdout.write(`${m.text}\n`);
      await handset.close();
      process.exit(handset.received.length > 0 ? 0 : 3);
    });
}
