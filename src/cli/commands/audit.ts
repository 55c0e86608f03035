/**
 * `dancu audit export | verify | verify-proof` (issue 13 item 2; decision 0034; the format in
 * docs/audit-export.md). An auditor exports a period of the transparency log with every committed
 * row — from the local store, or from a server with an inspector's token — and verifies it offline:
 * signatures, consistency, the tree recomputed from the leaves, and rows exactly the committed
 * leaves. Exit code 0 when everything holds, 1 with each problem located.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { collectAuditExport } from '../../services/audit/collect.js';
import { exportFromLines, personalIdsByTable, type AuditExport } from '../../services/audit/export-format.js';
import { readExport, writeExport } from '../../services/audit/export-files.js';
import { formatProblem, verifyAuditExport, type AuditReport } from '../../services/audit/verify.js';
import { verifierFromKeyString } from '../../transparency/keys.js';
import type { ColumnValue } from '../../transparency/leaf.js';
import { checkRow, decodeReceiptExtra, type ReceiptExtra } from '../../transparency/receipt-extra.js';
import type { NoteVerifier } from '../../transparency/note.js';
import { parseProof, verifyReceipt } from '../../transparency/receipt.js';
import { printJson } from '../output.js';
import { runUse, withPurpose } from '../recorded-use.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The entry a receipt carries, as the citizen reads it: when, who, why, what, the result. */
function describeEntry(e: Record<string, ColumnValue>): string {
  const v = (c: string) => (e[c] === null || e[c] === undefined ? undefined : String(e[c]));
  const who = [
    v('caller_kind'),
    v('agency_code') && `agency ${v('agency_code')}`,
    v('connection_id') && `connection ${v('connection_id')}`,
    v('officer_id') && `officer ${v('officer_id')}`,
    v('principal_id') && `principal ${v('principal_id')}`,
    v('role') && `role ${v('role')}`,
    v('unit') && `unit ${v('unit')}`,
  ].filter(Boolean);
  const lines = [
    ['when', v('at')],
    ['who', who.join(', ')],
    ['channel', v('channel')],
    ['purpose', v('purpose') ?? '(none)'],
    ['action', v('action')],
    ['fields', v('fields')],
    ['outcome', [v('outcome'), v('http_status'), v('error_code')].filter(Boolean).join(' ')],
  ];
  return lines.map(([k, val]) => `  ${k}: ${val ?? ''}\n`).join('');
}

function instant(value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidArgumentError('an ISO-8601 instant, e.g. 2026-06-01T00:00:00Z');
  return new Date(t).toISOString();
}

function keys(values: readonly string[] | undefined, what: string): NoteVerifier[] {
  return (values ?? []).map((v) => {
    try {
      return verifierFromKeyString(v);
    } catch (e) {
      throw new InvalidArgumentError(`${what} "${v}": ${(e as Error).message}`);
    }
  });
}

interface RemoteOptions {
  url?: string;
  token?: string;
  purpose?: string;
}

/** The server's audit export (GET /inspection/audit-export), read with an inspector's token. */
async function fetchExport(o: RemoteOptions & { from?: string; to?: string }): Promise<AuditExport> {
  if (!o.token) throw new InvalidArgumentError('--url needs --token (an inspector\'s bearer token)');
  const purpose = o.purpose?.trim();
  if (!purpose) throw new InvalidArgumentError('--url needs --purpose (the inspector states why, as X-Purpose)');
  // An HTTP header carries Latin-1 only: a Vietnamese purpose is sent percent-encoded.
  const header = /^[\x20-\x7e]*$/.test(purpose) ? purpose : encodeURIComponent(purpose);
  const u = new URL('/inspection/audit-export', o.url);
  if (o.from) u.searchParams.set('from', o.from);
  if (o.to) u.searchParams.set('to', o.to);
  const r = await fetch(u, { headers: { authorization: `Bearer ${o.token}`, 'x-purpose': header, accept: 'application/x-ndjson' } });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${u.origin} answered ${r.status}: ${text.slice(0, 500)}`);
  return exportFromLines(text);
}

/** Everyone the export names, once (the recorded use's subjects). */
function personalIdsOf(e: AuditExport): string[] {
  return [...new Set(Object.values(personalIdsByTable(e)).flat())];
}

function printReport(r: AuditReport, json: boolean | undefined): void {
  if (json) {
    printJson(r);
  } else {
    for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
    for (const p of r.problems) process.stdout.write(`${formatProblem(p)}\n`);
    const c = r.counts;
    const summary = `${c.checkpoints} checkpoints, leaves ${c.start}..${c.end} (${c.leaves} leaves, ${c.pending} pending), ${c.tiles} tiles, ${c.rows} rows (${c.moved} moved by a re-issue)`;
    process.stdout.write(r.ok ? `OK: ${summary}\n` : `FAILED: ${r.problems.length} problems in ${summary}\n`);
  }
  if (!r.ok) process.exitCode = 1;
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Export the transparency log with the rows it commits to, and verify it offline');

  withPurpose(
    audit
      .command('export')
      .description('Write an audit export (docs/audit-export.md): checkpoints, tiles, leaves and every committed row of the period, from the local store or a server')
      .option('--from <instant>', 'rows at or after this instant (default: the log\'s beginning)', instant)
      .option('--to <instant>', 'rows before this instant (default: now)', instant)
      .option('--out <path>', 'a directory, or one file if it ends in .jsonl', 'audit-export')
      .option('--url <server>', "read from this server's /inspection/audit-export instead of the local store")
      .option('--token <token>', "with --url: an inspector's bearer token"),
  ).action(async (o: { from?: string; to?: string; out: string } & RemoteOptions) => {
    const write = (e: AuditExport) => {
      writeExport(o.out, e);
      const rows = Object.values(e.rows).reduce((n, r) => n + r.length, 0);
      process.stdout.write(`wrote ${o.out}: ${e.checkpoints.length} checkpoints, leaves ${e.manifest.start}..${e.manifest.end}, ${e.tiles.length} tiles, ${rows} rows\n`);
    };
    if (o.url) {
      write(await fetchExport(o));
      return;
    }
    // Read from the store: a use of every citizen whose rows it holds, recorded before anything is written.
    await runUse(
      { action: 'audit export', purpose: o.purpose, answer: personalIdsOf },
      (rt) =>
        collectAuditExport(rt.store, {
          ...(o.from ? { from: o.from } : {}),
          ...(o.to ? { to: o.to } : {}),
          origin: rt.log.key.origin,
          logKey: rt.log.key.verifierKey,
          exportedAt: rt.ctx.clock.now().toISOString(),
        }),
      (e) => write(e),
    );
  });

  audit
    .command('verify')
    .description('Verify an audit export (a directory or .jsonl file), or a server\'s log with --url: signatures, consistency, the tree from the leaves, rows exactly the committed leaves. Exit 1 with each problem located')
    .argument('[export]', 'the export directory or .jsonl file')
    .option('--url <server>', "verify this server's log (its /inspection/audit-export) instead of a file")
    .option('--token <token>', "with --url: an inspector's bearer token")
    .option('--purpose <text>', 'with --url: why the inspector reads it (sent as X-Purpose, recorded)')
    .option('--from <instant>', 'with --url: rows at or after this instant', instant)
    .option('--to <instant>', 'with --url: rows before this instant', instant)
    .option('--log-key <vkey>', "the log's verifier key (<origin>+<key ID>+<base64>); without it the export's own copy is trusted, and the output says so")
    .option('--witness-key <vkey>', "a witness's verifier key (repeat for each)", collect)
    .option('--min-witnesses <n>', 'checkpoints must be cosigned by at least this many of the witnesses given', (v) => Number.parseInt(v, 10))
    .option('--baseline <export>', 'an earlier export of the same log: what it held must still be there, unchanged (changed columns are named)')
    .option('--json', 'print the report as JSON')
    .action(async (path: string | undefined, o: RemoteOptions & { from?: string; to?: string; logKey?: string; witnessKey?: string[]; minWitnesses?: number; baseline?: string; json?: boolean }) => {
      if (!path && !o.url) throw new InvalidArgumentError('give an export (directory or .jsonl file) or --url');
      const logKeys = keys(o.logKey ? [o.logKey] : [], '--log-key');
      const witnessKeys = keys(o.witnessKey, '--witness-key');
      const exp = path ? readExport(path) : await fetchExport(o);
      const report = await verifyAuditExport(exp, {
        ...(logKeys.length > 0 ? { logKeys } : {}),
        witnessKeys,
        ...(o.minWitnesses !== undefined ? { minWitnesses: o.minWitnesses } : {}),
        ...(o.baseline ? { baseline: readExport(o.baseline) } : {}),
      });
      printReport(report, o.json);
    });

  audit
    .command('verify-proof')
    .description('Verify a receipt (.tlog-proof, C2SP tlog-proof) offline: the log\'s signature, witnesses\' cosignatures, and the entry\'s inclusion in the checkpoint')
    .argument('<file>', 'the .tlog-proof file')
    .requiredOption('--log-key <vkey>', "the log's verifier key (<origin>+<key ID>+<base64>); its name is the log's origin")
    .option('--witness-key <vkey>', "a witness's verifier key (repeat for each)", collect)
    .option('--min-witnesses <n>', 'at least this many of the witnesses given must have cosigned', (v) => Number.parseInt(v, 10))
    .option('--json', 'print the result as JSON')
    .action((file: string, o: { logKey: string; witnessKey?: string[]; minWitnesses?: number; json?: boolean }) => {
      const [logKey] = keys([o.logKey], '--log-key');
      const witnessKeys = keys(o.witnessKey, '--witness-key');
      const text = readFileSync(file, 'utf8');
      let extra: ReceiptExtra | undefined;
      try {
        const raw = parseProof(text).extra;
        extra = raw ? decodeReceiptExtra(raw) : undefined;
      } catch {
        // verifyReceipt says why the file is not a receipt.
      }
      const result = verifyReceipt(text, {
        ...(extra ? { leafData: extra.leafData } : {}),
        origin: logKey!.name,
        logKeys: [logKey!],
        witnessKeys,
        ...(o.minWitnesses !== undefined ? { minWitnesses: o.minWitnesses } : {}),
      });
      const leaf = extra?.leaf;
      // The row the receipt carries must be the one the leaf committed to: its digest is recomputed.
      let entry: Record<string, ColumnValue> | undefined;
      if (leaf && extra?.row !== undefined) {
        const checked = checkRow(leaf, extra.row);
        if (checked.ok) entry = checked.columns;
        else {
          result.ok = false;
          result.reasons.push(checked.reason);
        }
      }
      if (o.json) {
        printJson({ ...result, ...(leaf ? { leaf: { kind: leaf.kind, subjectKey: leaf.subjectKey, ref: leaf.ref, digest: leaf.digest } } : {}), ...(entry ? { entry } : {}) });
      } else if (result.ok) {
        const what = leaf ? `${leaf.kind} ${leaf.subjectKey} ${leaf.ref} (digest ${leaf.digest})` : 'the entry';
        process.stdout.write(`OK: ${what} is leaf ${result.index} of ${logKey!.name} at size ${result.size}${result.witnesses.length > 0 ? `, cosigned by ${result.witnesses.join(', ')}` : ''}\n`);
        if (entry) process.stdout.write(describeEntry(entry));
        else process.stdout.write('NOTE the receipt does not carry the row: it proves that the leaf exists, not what it says\n');
      } else {
        for (const reason of result.reasons) process.stdout.write(`PROBLEM ${reason}\n`);
        process.stdout.write('FAILED\n');
      }
      if (!result.ok) process.exitCode = 1;
    });
}
