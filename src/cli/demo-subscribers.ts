/**
 * The demo's subscriber register (decision 0039): a demo telecom operator, and a subscriber list it
 * "certifies" for the demo population — the numbers the generator gave the citizens' records —
 * imported through the same streamed import as any operator's file, once (a rerun finds the import
 * done, or resumes it). The start-up output names one demo number to text from, never whose it is.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Runtime } from '../services/runtime.js';
import { lookUpAgency, registerAgency } from '../services/exchange/agencies.js';
import { importReport, importStatus, importSubscriberLinks, recordedPhones, someLinkedNumber } from '../services/subscribers/index.js';
import { ensurePrivateDir } from '../private-files.js';
import { progressBar } from './progress.js';

export const DEMO_OPERATOR = 'DEMO-TELECOM';
const IMPORT_KEY = 'demo:subscribers';
/** The operator's confirmation instant written on every demo line (before any demo clock). */
const CONFIRMED_AT = '2025-01-01T00:00:00+07:00';

/** Writes the demo list (NDJSON) page by page; the number of lines. */
async function writeDemoList(rt: Runtime, file: string): Promise<number> {
  const out = createWriteStream(file, { mode: 0o600 });
  let after = '';
  let lines = 0;
  for (;;) {
    const page = await recordedPhones(rt.store, after, 10_000);
    if (page.length === 0) break;
    let text = '';
    for (const p of page) {
      text += `${JSON.stringify({ recordId: `demo-${p.personalId}-${p.phone}`, action: 'link', number: p.phone, personalId: p.personalId, confirmedAt: CONFIRMED_AT })}\n`;
      lines++;
    }
    if (!out.write(text)) await once(out, 'drain');
    after = page[page.length - 1]!.phone;
  }
  out.end();
  await once(out, 'finish');
  return lines;
}

/** The demo operator and its import; returns one linked number (E.164) to try the SMS service with. */
export async function ensureDemoSubscribers(rt: Runtime, dataDir: string): Promise<string | undefined> {
  if (!(await lookUpAgency(rt.store, DEMO_OPERATOR))) {
    await registerAgency(rt.ctx, {
      code: DEMO_OPERATOR,
      name: 'Doanh nghiệp viễn thông demo',
      type: 'telecom_operator',
      stateBudgetFunded: false,
      dataOffer: 'Thông tin thuê bao di động đã xác thực (dữ liệu giả lập)',
      focalPoints: [{ fullName: 'Đầu mối demo', position: 'Kỹ sư kết nối', phone: '0900000000', email: 'focal@demo-telecom.example' }],
    });
  }
  if ((await importStatus(rt.store, DEMO_OPERATOR, IMPORT_KEY)) !== 'done') {
    ensurePrivateDir(dataDir);
    const file = join(dataDir, 'demo-subscribers.ndjson');
    const lines = await writeDemoList(rt, file);
    const bar = progressBar('Linking the demo subscribers', lines);
    await importSubscriberLinks(rt.ctx, { operator: DEMO_OPERATOR, importKey: IMPORT_KEY, format: 'ndjson', input: createReadStream(file), onProgress: (n) => bar.update(n) });
    bar.finish();
  }
  return someLinkedNumber(rt.store, DEMO_OPERATOR);
}

/** The import's counts for the start-up line. */
export async function demoSubscriberCounts(rt: Runtime): Promise<{ applied: number; rejected: number } | undefined> {
  const r = await importReport(rt.ctx, DEMO_OPERATOR, IMPORT_KEY, 0).catch(() => undefined);
  return r ? { applied: r.applied + r.unchanged + r.duplicates, rejected: r.rejected } : undefined;
}
