/**
 * The citizens' SMS service in `dancu serve` (issue 14 items 4 and 8): the SMS gateway (decision
 * 0037) bound to the operators' SMSCs of DANCU_SMPP_URL, handing every incoming message to the
 * citizen's SMS handler (decision 0041). In the demo (no DANCU_SMPP_URL, demo population on), a local
 * test SMSC is started on a free loopback port and the gateway binds to it; its address is kept in
 * the data directory so that `dancu sms simulate` can text the service as a handset would.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSmppUrls } from '../channels/sms/smpp-url.js';
import { startSmsGateway, type SmsGateway } from '../channels/sms/gateway.js';
import { startTestSmsc, type TestSmsc } from '../channels/sms/test-smsc.js';
import { createCitizenSms } from '../services/sms/citizen-sms.js';
import type { Runtime } from '../services/runtime.js';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';

export const DEMO_SMSC_FILE = 'demo-smsc.json';

/** What `dancu sms simulate` reads: where the demo SMSC listens (handsets bind without a password). */
export interface DemoSmsc {
  url: string;
  serviceNumber: string;
  startedAt: string;
}

export interface SmsService {
  /** Lines for the start-up output. */
  lines: string[];
  close(): Promise<void>;
}

export interface SmsServiceOptions {
  /** DANCU_SMPP_URL: the operators' SMSCs (comma-separated smpp:// URLs). */
  smppUrls?: string | undefined;
  /** Start a local test SMSC when no SMSC is configured (the demo). */
  demo: boolean;
  dataDir: string;
  perNumberPerMinute: number;
  /** Wait this long for the binds before returning (the demo waits 5 s; a deployment does not wait). */
  waitForBindMs?: number;
  /** A number registered to a demo citizen, for the start-up hint. */
  demoNumber?: () => Promise<string | undefined>;
  log?: (line: string) => void;
}

export async function startSmsService(rt: Runtime, options: SmsServiceOptions): Promise<SmsService | undefined> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let smsc: TestSmsc | undefined;
  let urls = options.smppUrls?.trim() ? options.smppUrls : undefined;
  if (!urls) {
    if (!options.demo) return undefined;
    smsc = await startTestSmsc({ host: '127.0.0.1', port: 0, systemId: 'dancu', password: randomBytes(4).toString('hex') }); // SMPP passwords are at most 8 characters
    urls = smsc.url;
    const file: DemoSmsc = { url: `smpp://127.0.0.1:${smsc.port}`, serviceNumber: '8088', startedAt: rt.ctx.clock.now().toISOString() };
    ensurePrivateDir(options.dataDir);
    writePrivateFile(join(options.dataDir, DEMO_SMSC_FILE), `${JSON.stringify(file, null, 2)}\n`);
  }
  const sms = createCitizenSms(rt.ctx, rt.catalogue, {
    perNumberPerMinute: options.perNumberPerMinute,
    // Never the message or the number: personal data stays out of the logs.
    onError: (e) => log(`sms service: a message could not be answered now (${(e as { code?: string }).code ?? (e as Error).name}); it is handed again`),
  });
  // The raw store: the gateway's own transactions must never run inside a citizen's use scope.
  let gateway: SmsGateway;
  try {
    gateway = startSmsGateway({ store: rt.store, endpoints: parseSmppUrls(urls), handler: (m) => sms.handle(m), log });
  } catch (e) {
    await smsc?.close();
    throw e;
  }
  const close = async () => {
    await gateway.close();
    await smsc?.close();
  };
  const waitMs = options.waitForBindMs ?? (smsc ? 5000 : 0);
  if (waitMs > 0) await gateway.whenBound(waitMs).catch(() => log('sms service: not bound yet; the gateway keeps trying'));
  if (!smsc) {
    return { lines: [`  SMS service         ${gateway.links().map((l) => l.smsc).join(', ')} (DANCU_SMPP_URL); syntax at /sms/help`], close };
  }
  const number = await options.demoNumber?.().catch(() => undefined);
  return {
    lines: [
      `  SMS (demo SMSC)     smpp://127.0.0.1:${smsc.port} — syntax at /sms/help`,
      `  Try by SMS:  npx dancu sms simulate "CN" --from ${number ?? '<a number from the demo subscriber list>'}`,
    ],
    close,
  };
}

/** The demo SMSC's address, as the running demo wrote it (undefined when no demo is running here). */
export function readDemoSmsc(dataDir: string): DemoSmsc | undefined {
  const file = join(dataDir, DEMO_SMSC_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const d = JSON.parse(readFileSync(file, 'utf8')) as DemoSmsc;
    return typeof d.url === 'string' ? d : undefined;
  } catch {
    return undefined;
  }
}
