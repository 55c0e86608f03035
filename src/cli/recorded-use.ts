/**
 * A CLI command that reads or changes citizens' data is a use like any other (DESIGN §3.4, decision
 * 0027; issue 13): the operator states why (`--purpose`, refused with exit code 2 when absent), and the
 * one recording mechanism records it — who (`cli:<OS user>`, caller kind 'system', channel 'cli'),
 * the command, the purpose, whose data and the outcome. A change records inside its own transaction
 * (the use scope, as for an HTTP request); a read is recorded after it is made and before anything
 * is printed, so nothing reaches the screen unrecorded. Failures are recorded as refusals.
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { RegistryError, isRegistryError } from '../domain/errors/registry-error.js';
import { entryOfScope } from '../services/accountability/recording-store.js';
import { runInScope, type UseScope } from '../services/accountability/scope.js';
import type { Runtime } from '../services/runtime.js';
import { fieldsOf, personalIdsIn } from '../domain/accountability/people.js';
import { cliPrincipalId, withRuntime } from './commands/runtime.js';

/** As the HTTP edge: a purpose is kept to 200 characters (a use names everyone it concerns: the recorder splits it). */
const MAX_PURPOSE = 200;
/** The exit code of a command refused for its arguments (commander's own usage errors exit 1). */
export const EXIT_PURPOSE_REQUIRED = 2;

export const PURPOSE_FLAGS = '--purpose <text>';
export const PURPOSE_HELP = 'required: why the data is used — the administrative procedure code or the reason; recorded with the use';

/** Adds the --purpose option (checked by runUse, so that its absence exits 2 with a clear message). */
export function withPurpose(cmd: Command): Command {
  return cmd.option(PURPOSE_FLAGS, PURPOSE_HELP);
}

const peopleOf = personalIdsIn;

export interface CliUse<T> {
  /** The command, as the operator typed it ("citizen get"): the entry's action. */
  action: string;
  /** The --purpose given (undefined or blank: refused before anything is opened). */
  purpose: string | undefined;
  /** The people the command names; for a change they must be known before it (it records inside its transaction). */
  people?: readonly unknown[] | ((rt: Runtime) => Promise<readonly unknown[]>);
  /** The people the result names beyond those (household members, search results…), as the HTTP route declares. */
  answer?: (result: T) => readonly unknown[];
  /** A change: recorded in the transaction that makes it. */
  change?: boolean;
}

/** The purpose, or exit 2 naming what is missing (before any store is opened). */
export function purposeOrExit(purpose: string | undefined): string {
  const p = purpose?.trim();
  if (p) return p.slice(0, MAX_PURPOSE);
  const e = new RegistryError('PURPOSE_REQUIRED');
  process.stderr.write(`error ${e.code}: ${PURPOSE_FLAGS} is required for commands that read or change citizens' data (the administrative procedure code or the reason) / cần nêu mục đích bằng ${PURPOSE_FLAGS} (mã thủ tục hành chính hoặc lý do)\n`);
  process.exit(EXIT_PURPOSE_REQUIRED);
}

/**
 * Runs `work` as a recorded use on a fresh runtime and then `print`s its result — only once the use
 * is recorded. The people recorded are those the command names and those its result names.
 */
export async function runUse<T>(use: CliUse<T>, work: (rt: Runtime) => Promise<T>, print: (result: NoInfer<T>, rt: Runtime) => void | Promise<void> = () => undefined): Promise<void> {
  const purpose = purposeOrExit(use.purpose);
  await withRuntime(async (rt) => {
    const named = peopleOf(typeof use.people === 'function' ? await use.people(rt) : (use.people ?? []));
    const scope: UseScope = {
      draft: { at: rt.ctx.clock.now().toISOString(), callerKind: 'system', principalId: cliPrincipalId(), channel: 'cli', action: use.action, purpose, personalIds: named },
      recordInChange: use.change === true,
      recorded: false,
      startedMs: performance.now(),
    };
    const result = await runInScope(scope, async () => {
      let r: T;
      try {
        r = await work(rt);
      } catch (e) {
        // Recorded as a refusal, under the people the command named; the failure itself is what the operator sees.
        const error = isRegistryError(e) ? e : new RegistryError('INTERNAL');
        await rt.ctx.recorder.record(entryOfScope(scope, { httpStatus: error.status, errorCode: error.code })).catch(() => undefined);
        throw e;
      }
      if (!scope.recorded) {
        const people = peopleOf([...named, ...(use.answer?.(r) ?? [])]);
        if (people.length > 0) {
          scope.draft.personalIds = people;
          try {
            await rt.ctx.recorder.record(entryOfScope(scope, { httpStatus: 200, fields: fieldsOf(r) }));
          } catch {
            throw new RegistryError('ACCESS_LOG_UNAVAILABLE');
          }
        }
      }
      return r;
    });
    await print(result, rt);
  });
}
