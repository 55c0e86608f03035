/** `dancu card …`, `dancu certificate …` and `dancu keys rotate`. */
import { readFileSync } from 'node:fs';
import { writePrivateFile } from '../../private-files.js';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { getCardStatus, issueCard } from '../../services/cards/lifecycle.js';
import { getCardQr, verifyCardQr, verifyLegacyId } from '../../services/cards/qr.js';
import { certificatePdf, issueCertificate, type CertificateKind } from '../../services/certificates.js';
import { getOtherCertificate } from '../../services/written-requests/decision.js';
import { rotateSigningKey } from '../../services/signing-keys.js';
import { renderQrPng } from '../../documents/qr-image.js';
import { peopleInAnswer } from '../../domain/accountability/people.js';
import { printJson } from '../output.js';
import { runUse, withPurpose } from '../recorded-use.js';
import { CLI_ACTOR, withRuntime } from './runtime.js';

function publicUrl(): string {
  const c = loadConfig();
  return c.publicUrl ?? `http://${c.host}:${c.port}`;
}

export function registerCardCommands(program: Command): void {
  // Each command that reads or changes a citizen's data is a recorded use with its --purpose.
  const card = program.command('card').description('ID cards: status, issue, QR, counter verification (each recorded with its --purpose)');
  withPurpose(
    card
      .command('status')
      .description('Every card of a citizen with its status at a date (default today)')
      .argument('<personalId>')
      .option('--date <YYYY-MM-DD>', 'status at this date'),
  ).action((personalId: string, opts: { date?: string; purpose?: string }) =>
    runUse({ action: 'card status', purpose: opts.purpose, people: [personalId] }, (rt) => getCardStatus(rt.ctx, personalId, opts.date), printJson),
  );
  withPurpose(
    card
      .command('issue')
      .description('Issue a card (căn cước from 1 July 2024)')
      .argument('<personalId>')
      .option('--issue-date <YYYY-MM-DD>', 'issue date (default today)'),
  ).action((personalId: string, opts: { issueDate?: string; purpose?: string }) =>
    runUse(
      { action: 'card issue', purpose: opts.purpose, people: [personalId], change: true },
      (rt) => issueCard(rt.ctx, CLI_ACTOR, personalId, opts.issueDate ? { issueDate: opts.issueDate } : {}),
      printJson,
    ),
  );
  withPurpose(
    card
      .command('qr')
      .description('Print the QR payload of the valid card; --png writes the QR image')
      .argument('<personalId>')
      .option('--seq <n>', 'a specific card of the citizen', (v) => Number(v))
      .option('--png <file>', 'write the QR as PNG'),
  ).action((personalId: string, opts: { seq?: number; png?: string; purpose?: string }) =>
    runUse(
      { action: 'card qr', purpose: opts.purpose, people: [personalId] },
      (rt) => getCardQr(rt.ctx, rt.catalogue, personalId, opts.seq),
      async (qr) => {
        if (opts.png) writePrivateFile(opts.png, await renderQrPng(qr.payload));
        process.stdout.write(`${qr.payload}\n`);
      },
    ),
  );
  withPurpose(
    card
      .command('verify')
      .description('Counter check of a scanned QR: --payload text or --image photo/screenshot (PNG/JPEG); the holder is recorded as read')
      .option('--payload <text>', 'the scanned text')
      .option('--image <file>', 'a PNG or JPEG with the QR'),
  ).action((opts: { payload?: string; image?: string; purpose?: string }) =>
    runUse(
      { action: 'card verify', purpose: opts.purpose, answer: peopleInAnswer('personalId') },
      (rt) => verifyCardQr(rt.ctx, rt.catalogue, opts.image ? { image: readFileSync(opts.image) } : { ...(opts.payload !== undefined ? { payload: opts.payload } : {}) }),
      printJson,
    ),
  );
  withPurpose(
    card
      .command('legacy-check')
      .description('Do this personal ID and this CMND number belong to the same person? (yes/no/unknown)')
      .argument('<personalId>')
      .argument('<legacyIdNumber>'),
  ).action((personalId: string, legacy: string, opts: { purpose?: string }) =>
    runUse({ action: 'card legacy-check', purpose: opts.purpose, people: [personalId] }, (rt) => verifyLegacyId(rt.ctx, personalId, legacy), (answer) => {
      process.stdout.write(`${answer}\n`);
    }),
  );

  const cert = program.command('certificate').description('Signed certificates: CMND confirmation, personal-ID notice (each recorded with its --purpose)');
  withPurpose(
    cert
      .command('issue')
      .description('Issue a certificate and optionally write its PDF')
      .argument('<personalId>')
      .requiredOption('--kind <kind>', 'legacy-id-confirmation or personal-id-notice')
      .option('--pdf <file>', 'write the PDF'),
  ).action((personalId: string, opts: { kind: string; pdf?: string; purpose?: string }) => {
    const kind: CertificateKind = opts.kind === 'legacy-id-confirmation' ? 'LEGACY_ID_CONFIRMATION' : opts.kind === 'personal-id-notice' ? 'PERSONAL_ID_NOTICE' : (() => {
      throw new Error('--kind must be legacy-id-confirmation or personal-id-notice');
    })();
    return runUse(
      { action: 'certificate issue', purpose: opts.purpose, people: [personalId], change: true },
      (rt) => issueCertificate(rt.ctx, rt.catalogue, rt.keys, CLI_ACTOR, personalId, kind),
      // The PDF shows what the recorded use released: it is rendered once the use is recorded.
      async (view, rt) => {
        if (opts.pdf) writePrivateFile(opts.pdf, await certificatePdf(rt.ctx, view.number, publicUrl()));
        printJson(view);
      },
    );
  });
  withPurpose(
    cert
      .command('show')
      .description('Show a certificate by number; --pdf writes its PDF')
      .argument('<number>')
      .option('--pdf <file>', 'write the PDF'),
  ).action((number: string, opts: { pdf?: string; purpose?: string }) =>
    runUse(
      { action: 'certificate show', purpose: opts.purpose, answer: (r: { personalId: string }) => [r.personalId] },
      // A written request's letter is `dancu written-request letter` (recorded as a release to the requester).
      (rt) => getOtherCertificate(rt.ctx, number),
      async (view, rt) => {
        if (opts.pdf) writePrivateFile(opts.pdf, await certificatePdf(rt.ctx, number, publicUrl()));
        printJson(view);
      },
    ),
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
