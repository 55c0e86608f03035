/** `dancu card …`, `dancu certificate …` and `dancu keys rotate`. */
import { readFileSync } from 'node:fs';
import { writePrivateFile } from '../../store/private-files.js';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { getCardStatus, issueCard } from '../../services/cards/lifecycle.js';
import { getCardQr, verifyCardQr, verifyLegacyId } from '../../services/cards/qr.js';
import { certificatePdf, getCertificate, issueCertificate, type CertificateKind } from '../../services/certificates.js';
import { rotateSigningKey } from '../../services/signing-keys.js';
import { renderQrPng } from '../../documents/qr-image.js';
import { printJson } from '../output.js';
import { CLI_ACTOR, withRuntime } from './runtime.js';

function publicUrl(): string {
  const c = loadConfig();
  return c.publicUrl ?? `http://${c.host}:${c.port}`;
}

export function registerCardCommands(program: Command): void {
  const card = program.command('card').description('ID cards: status, issue, QR, counter verification');
  card
    .command('status')
    .description("Every card of a citizen with its status at a date (default today)")
    .argument('<personalId>')
    .option('--date <YYYY-MM-DD>', 'status at this date')
    .action((personalId: string, opts: { date?: string }) => withRuntime(async (rt) => printJson(await getCardStatus(rt.ctx, personalId, opts.date))));
  card
    .command('issue')
    .description('Issue a card (căn cước from 1 July 2024)')
    .argument('<personalId>')
    .option('--issue-date <YYYY-MM-DD>', 'issue date (default today)')
    .action((personalId: string, opts: { issueDate?: string }) =>
      withRuntime(async (rt) => printJson(await issueCard(rt.ctx, CLI_ACTOR, personalId, opts.issueDate ? { issueDate: opts.issueDate } : {}))),
    );
  card
    .command('qr')
    .description('Print the QR payload of the valid card; --png writes the QR image')
    .argument('<personalId>')
    .option('--seq <n>', 'a specific card of the citizen', (v) => Number(v))
    .option('--png <file>', 'write the QR as PNG')
    .action((personalId: string, opts: { seq?: number; png?: string }) =>
      withRuntime(async (rt) => {
        const qr = await getCardQr(rt.ctx, rt.catalogue, personalId, opts.seq);
        if (opts.png) writePrivateFile(opts.png, await renderQrPng(qr.payload));
        process.stdout.write(`${qr.payload}\n`);
        return;
      }),
    );
  card
    .command('verify')
    .description('Counter check of a scanned QR: --payload text or --image photo/screenshot (PNG/JPEG)')
    .option('--payload <text>', 'the scanned text')
    .option('--image <file>', 'a PNG or JPEG with the QR')
    .action((opts: { payload?: string; image?: string }) =>
      withRuntime(async (rt) =>
        printJson(await verifyCardQr(rt.ctx, rt.catalogue, opts.image ? { image: readFileSync(opts.image) } : { ...(opts.payload !== undefined ? { payload: opts.payload } : {}) })),
      ),
    );
  card
    .command('legacy-check')
    .description('Do this personal ID and this CMND number belong to the same person? (yes/no/unknown)')
    .argument('<personalId>')
    .argument('<legacyIdNumber>')
    .action((personalId: string, legacy: string) =>
      withRuntime(async (rt) => {
        process.stdout.write(`${await verifyLegacyId(rt.ctx, personalId, legacy)}\n`);
      }),
    );

  const cert = program.command('certificate').description('Signed certificates: CMND confirmation, personal-ID notice');
  cert
    .command('issue')
    .description('Issue a certificate and optionally write its PDF')
    .argument('<personalId>')
    .requiredOption('--kind <kind>', 'legacy-id-confirmation or personal-id-notice')
    .option('--pdf <file>', 'write the PDF')
    .action((personalId: string, opts: { kind: string; pdf?: string }) =>
      withRuntime(async (rt) => {
        const kind: CertificateKind = opts.kind === 'legacy-id-confirmation' ? 'LEGACY_ID_CONFIRMATION' : opts.kind === 'personal-id-notice' ? 'PERSONAL_ID_NOTICE' : (() => {
          throw new Error('--kind must be legacy-id-confirmation or personal-id-notice');
        })();
        const view = await issueCertificate(rt.ctx, rt.catalogue, rt.keys, CLI_ACTOR, personalId, kind);
        if (opts.pdf) writePrivateFile(opts.pdf, await certificatePdf(rt.ctx, view.number, publicUrl()));
        printJson(view);
      }),
    );
  cert
    .command('show')
    .description('Show a certificate by number; --pdf writes its PDF')
    .argument('<number>')
    .option('--pdf <file>', 'write the PDF')
    .action((number: string, opts: { pdf?: string }) =>
      withRuntime(async (rt) => {
        if (opts.pdf) writePrivateFile(opts.pdf, await certificatePdf(rt.ctx, number, publicUrl()));
        printJson(await getCertificate(rt.ctx, number));
      }),
    );

  program
    .command('keys')
    .description('Certificate signing keys')
    .command('rotate')
    .description('Generate a new signing key; older keys stay published so old certificates keep verifying')
    .action(() =>
      withRuntime(async (rt) => {
        const c = loadConfig();
        const keys = await rotateSigningKey(rt.store, rt.ctx.clock, { dataDir: c.dataDir, ...(c.signingKeyFile ? { keyFile: c.signingKeyFile } : {}) });
        keys.stop();
        process.stdout.write(`active key ${keys.active.kid}\n`);
        // Servers on this data directory look at the key files every second (services/signing-keys.ts).
        process.stdout.write(`running servers using ${c.dataDir} sign with it within a second; earlier keys stay published, so certificates they signed keep verifying\n`);
      }),
    );
}
