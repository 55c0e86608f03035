/**
 * The server side of bench/sms.ts, in a process of its own so that its CPU time is its own:
 *   SMS_BENCH_MODE=dancu — the runtime with its sequencer and the SMS service exactly as `dancu serve`
 *     wires it (src/cli/sms-wiring.ts): the gateway bound to the SMSC, the citizen's handler answering;
 *   SMS_BENCH_MODE=echo — the baseline: the same ESME client bound to the same SMSC, sending every
 *     incoming message straight back to its sender (registered delivery), with no store and no dancu work.
 * Prints "ready" once bound; stops on SIGTERM.
 */
import { EsmeSession } from '../src/channels/sms/esme.js';
import { parseSmppUrl } from '../src/channels/sms/smpp-url.js';
import { openRuntime } from '../src/services/runtime.js';
import { startSmsService } from '../src/cli/sms-wiring.js';

const mode = process.env.SMS_BENCH_MODE;
const smscUrl = process.env.SMS_BENCH_SMSC_URL!;

async function main(): Promise<void> {
  if (mode === 'echo') {
    const endpoint = parseSmppUrl(smscUrl);
    const session: EsmeSession = new EsmeSession(endpoint, {
      async onDeliver(sm) {
        if (((sm.esmClass ?? 0) & 0x3c) === 0x04) return 0; // a receipt
        void session
          .submit({ sourceTon: 0, source: sm.destination, destTon: 1, destNpi: 1, destination: sm.source, esmClass: sm.esmClass ?? 0, dataCoding: sm.dataCoding ?? 0, registeredDelivery: 1, shortMessage: sm.shortMessage })
          .catch(() => undefined);
        return 0;
      },
      onBound: () => process.stdout.write('ready\n'),
    });
    session.start();
    process.once('SIGTERM', () => void session.close().then(() => process.exit(0)));
    return;
  }
  const rt = await openRuntime({ databaseUrl: process.env.SMS_BENCH_DATABASE_URL!, dataDir: process.env.SMS_BENCH_DATA_DIR!, sequencer: true, pgPoolSize: 8 });
  // No per-number limit: each bench handset asks again as soon as it is answered.
  const sms = await startSmsService(rt, { smppUrls: smscUrl, demo: false, dataDir: process.env.SMS_BENCH_DATA_DIR!, perNumberPerMinute: 0, waitForBindMs: 10_000, log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => void (async () => {
    await sms?.close();
    await rt.close();
    process.exit(0);
  })());
}

void main().catch((e: unknown) => {
  process.stderr.write(`sms bench server: ${(e as Error).message}\n`);
  process.exit(1);
});
