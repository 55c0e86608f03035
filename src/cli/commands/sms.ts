/**
 * `dancu sms status | queue | send-test` (issue 14 item 6; decision 0037): the SMS channel as the store
 * sees it — binds of every running gateway, the queue, the last errors — without binding to any SMSC;
 * and a test message through the real outbox. No message text and no full number is printed.
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { maskPhoneNumber, normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { enqueueSms } from '../../services/sms/outbox.js';
import { latestSmsOutbox, OUTBOX_STATES, smsStatus, type OutboxState } from '../../services/sms/status.js';
import { fail, printJson } from '../output.js';
import { withRuntime } from './runtime.js';

const DEFAULT_TEST_TEXT = 'Tin nhắn thử của dancu / dancu test message';

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
}

function state(value: string): OutboxState {
  if (!(OUTBOX_STATES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${OUTBOX_STATES.join(', ')}`);
  return value as OutboxState;
}

/** A number for the screen: masked when it is one (E.164 or not). */
const masked = (n: string) => maskPhoneNumber(n);

export function registerSmsCommands(program: Command): void {
  const sms = program.commands.find((c) => c.name() === 'sms') ?? program.command('sms').description('The SMS channel: the citizens\' SMS service, the gateway and its queue');

  sms
    .command('status')
    .description('SMPP binds of every running gateway, queue depth, counts and the last errors (read from the store; binds nothing)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      try {
        const s = await withRuntime((rt) => smsStatus(rt.store.db, rt.ctx.clock));
        if (opts.json) return printJson(s);
        const out: string[] = [];
        out.push(s.links.length === 0 ? 'SMPP links: none (no gateway running: DANCU_SMPP_URL unset, or the server is stopped)' : 'SMPP links:');
        for (const l of s.links) {
          out.push(`  ${l.smsc.padEnd(24)} ${l.state.padEnd(5)} since ${l.since}  binds ${l.binds}  bind failures ${l.bindFailures}  gateway ${l.gateway}${l.lastError ? `  last error: ${l.lastError} (${l.lastErrorAt})` : ''}`);
        }
        out.push(`Queue depth: ${s.queueDepth}`);
        out.push(`Outgoing by state: ${OUTBOX_STATES.map((k) => `${k} ${s.outbox[k]}`).join(', ')}`);
        out.push(`Throttled submits: ${s.throttled}; sent again after an unknown outcome: ${s.uncertain}`);
        out.push(`Incoming: ${s.inbox.received} received, ${s.inbox.unanswered} unanswered`);
        if (s.lastErrors.length > 0) {
          out.push('Last errors:');
          for (const e of s.lastErrors) out.push(`  ${e.at}  ${e.messageId}  ${e.error}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } catch (e) {
        fail(e);
      }
    });

  sms
    .command('queue')
    .description('Outgoing messages by state, and the latest ones (numbers masked, no text)')
    .option('--state <state>', `only this state (${OUTBOX_STATES.join(', ')})`, state)
    .option('--limit <n>', 'how many of the latest messages to list', limit, 20)
    .option('--json', 'print JSON')
    .action(async (opts: { state?: OutboxState; limit: number; json?: boolean }) => {
      try {
        const { status, rows } = await withRuntime(async (rt) => ({
          status: await smsStatus(rt.store.db, rt.ctx.clock),
          rows: await latestSmsOutbox(rt.store.db, { ...(opts.state ? { state: opts.state } : {}), limit: opts.limit }),
        }));
        const messages = rows.map((r) => ({
          messageId: r.messageId,
          kind: r.kind,
          to: masked(r.to),
          state: r.state,
          parts: r.parts,
          alphabet: r.alphabet,
          attempts: r.attempts,
          throttled: r.throttled,
          uncertain: r.uncertain,
          createdAt: r.createdAt,
          nextAttemptAt: r.nextAttemptAt,
          ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
          ...(r.doneAt ? { doneAt: r.doneAt } : {}),
          ...(r.lastError ? { lastError: r.lastError } : {}),
        }));
        if (opts.json) return printJson({ byState: status.outbox, messages });
        const out = [`By state: ${OUTBOX_STATES.map((k) => `${k} ${status.outbox[k]}`).join(', ')}`];
        for (const m of messages) out.push(`  ${m.messageId}  ${m.kind.padEnd(9)} ${m.to.padEnd(13)} ${m.state.padEnd(9)} parts ${m.parts} attempts ${m.attempts}  ${m.createdAt}${m.lastError ? `  ${m.lastError}` : ''}`);
        process.stdout.write(`${out.join('\n')}\n`);
      } catch (e) {
        fail(e);
      }
    });

  sms
    .command('send-test')
    .description('Queue a test message (kind notice) through the real outbox; a running gateway sends it')
    .requiredOption('--to <number>', 'a Vietnamese mobile number (0912345678 or +84912345678)')
    .option('--text <text>', 'the text', DEFAULT_TEST_TEXT)
    .option('--json', 'print JSON')
    .action(async (opts: { to: string; text: string; json?: boolean }) => {
      const to = normalizePhoneNumber(opts.to);
      if (!to) {
        process.stderr.write('error: --to is not a Vietnamese mobile number / --to không phải số di động Việt Nam\n');
        process.exit(2);
      }
      if (opts.text.trim() === '') {
        process.stderr.write('error: --text is empty\n');
        process.exit(2);
      }
      try {
        const key = `send-test:${new Date().toISOString()}:${randomBytes(4).toString('hex')}`;
        const { message } = await withRuntime((rt) => enqueueSms(rt.store.db, { to, text: opts.text, key, kind: 'notice' }, rt.ctx.clock));
        const summary = { messageId: message.messageId, to: masked(to), state: message.state, parts: message.parts, alphabet: message.alphabet };
        if (opts.json) return printJson(summary);
        process.stdout.write(`queued ${summary.messageId} to ${summary.to}: ${summary.parts} part(s), ${summary.alphabet}; see dancu sms queue\n`);
      } catch (e) {
        fail(e);
      }
    });
}
