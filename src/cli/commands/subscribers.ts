/**
 * `dancu subscribers import|show|report` (decision 0039). An import loads an operator's file of
 * links — the operator's certification, not a use of anyone's data, so it takes no --purpose; its
 * changes are committed rows naming the operator. Rerunning it on the same file continues where it
 * stopped (the file's SHA-256 names the import). `show` reads who holds a number, a recorded use.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { Command } from 'commander';
import { peopleInAnswer } from '../../domain/accountability/people.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { normalizePhoneNumber } from '../../domain/telecom/phone-number.js';
import { findSubscriberOf, getSubscriberNumbers, OFFLINE_IMPORT_BATCH_LINES, importReport, importSubscriberLinks, type ImportFormat, type ImportReport } from '../../services/subscribers/index.js';
import { fail, printJson } from '../output.js';
import { progressBar } from '../progress.js';
import { runUse, withPurpose } from '../recorded-use.js';
import { withRuntime } from './runtime.js';

/** The file's SHA-256 (its import key) and its line count (the progress bar's total), in one pass. */
export async function digestAndCount(path: string): Promise<{ sha256: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  return { sha256: hash.digest('hex'), lines: last === 10 ? lines : lines + 1 };
}

export function formatOf(path: string, given?: string): ImportFormat {
  const f = given ?? (/\.csv$/i.test(path) ? 'csv' : 'ndjson');
  if (f !== 'csv' && f !== 'ndjson') throw new RegistryError('VALIDATION_FAILED', { detail: '--format is ndjson or csv' });
  return f;
}

function printReport(r: ImportReport): void {
  const accepted = r.applied + r.unchanged + r.duplicates;
  process.stdout.write(
    `import ${r.importKey} (${r.format}) for ${r.operator}: ${r.status}, ${r.linesDone.toLocaleString('en')} lines — ` +
      `${accepted.toLocaleString('en')} accepted (${r.applied.toLocaleString('en')} applied, ${r.unchanged.toLocaleString('en')} unchanged, ${r.duplicates.toLocaleString('en')} already sent), ` +
      `${r.rejected.toLocaleString('en')} rejected\n`,
  );
  for (const x of r.rejects) process.stdout.write(`  line ${x.lineNo}: ${x.code}${x.field ? ` (${x.field})` : ''}\n`);
  if (r.rejected > r.rejects.length) process.stdout.write(`  … ${r.rejected - r.rejects.length} more: dancu subscribers report ${r.importKey} --operator ${r.operator} --after ${r.rejects.at(-1)?.lineNo ?? 0}\n`);
}

export function registerSubscriberCommands(program: Command): void {
  const cmd = program.command('subscribers').description('The telecom subscriber register: operators\' links of mobile numbers to citizens (decision 0039)');

  cmd
    .command('import')
    .description('Import an operator\'s file of links (NDJSON or CSV, one link or end of link per line); rerun on the same file to resume after an interruption')
    .argument('<file>', 'NDJSON (.ndjson/.jsonl) or CSV (.csv, with a header line) file')
    .requiredOption('--operator <code>', 'the telecom operator\'s agency code (an agency of type telecom_operator)')
    .option('--format <ndjson|csv>', 'the file\'s format (default: by its extension; NDJSON unless .csv)')
    .option('--rejects <n>', 'how many rejected lines to list', (v) => Number(v), 20)
    .option('--batch <lines>', `lines per transaction (default ${OFFLINE_IMPORT_BATCH_LINES})`, (v) => Number(v))
    .option('--json', 'print the report as JSON')
    .action(async (file: string, opts: { operator: string; format?: string; rejects: number; batch?: number; json?: boolean }) => {
      try {
        statSync(file);
        const format = formatOf(file, opts.format);
        const { sha256, lines } = await digestAndCount(file);
        const report = await withRuntime(async (rt) => {
          // SQLite: the WAL is copied back into the database from a worker thread while the import
          // writes (as a server does), not by the committing thread every 1,000 pages.
          rt.store.checkpointInBackground();
          const bar = progressBar(`import ${opts.operator}`, lines);
          try {
            return await importSubscriberLinks(rt.ctx, {
              operator: opts.operator,
              importKey: `file:${sha256}`,
              format,
              input: createReadStream(file),
              onProgress: (n) => bar.update(n),
              rejectLimit: opts.rejects,
              batchLines: opts.batch && opts.batch > 0 ? opts.batch : OFFLINE_IMPORT_BATCH_LINES,
            });
          } finally {
            bar.finish();
          }
        });
        if (opts.json) printJson(report);
        else printReport(report);
      } catch (e) {
        fail(e);
      }
    });

  cmd
    .command('report')
    .description('The report of an import: its counts and its rejected lines (a page at a time)')
    .argument('<importKey>', 'file:<sha256> (printed by import) or http:<X-Request-Id>')
    .requiredOption('--operator <code>', 'the operator\'s agency code')
    .option('--after <line>', 'list rejected lines after this one', (v) => Number(v), 0)
    .option('--limit <n>', 'how many rejected lines', (v) => Number(v), 100)
    .action(async (key: string, opts: { operator: string; after: number; limit: number }) => {
      try {
        printJson(await withRuntime((rt) => importReport(rt.ctx, opts.operator, key, opts.limit, opts.after)));
      } catch (e) {
        fail(e);
      }
    });

  withPurpose(
    cmd
      .command('show')
      .description('Who holds a number now (its personal ID) and every number linked to that citizen, current and past (a recorded use)')
      .argument('<number>', 'a Vietnamese mobile number, any usual spelling'),
  ).action((text: string, opts: { purpose?: string }) =>
    runUse(
      { action: 'subscribers show', purpose: opts.purpose, answer: peopleInAnswer('personalId') },
      async (rt) => {
        const number = normalizePhoneNumber(text);
        if (!number) throw new RegistryError('PHONE_NUMBER_INVALID');
        const personalId = await findSubscriberOf(rt.ctx, number);
        if (!personalId) throw new RegistryError('SUBSCRIBER_NUMBER_NOT_FOUND');
        return { number, personalId, numbers: await getSubscriberNumbers(rt.ctx, personalId) };
      },
      printJson,
    ).catch(fail),
  );
}
