/**
 * Worker-thread side of the CPU pool (cpu.ts): decodes QR photos and renders certificate PDFs.
 * Protocol: the parent posts { id, task }; the worker answers one WorkerReply per task.
 */
import { parentPort } from 'node:worker_threads';
import { decodeQrImage, renderQrPng } from '../../documents/qr-image.js';
import { renderCertificatePdf } from '../../documents/certificate-pdf.js';
import type { CpuTask } from './cpu.js';
import type { WorkerReply } from './pool.js';

async function perform(task: CpuTask): Promise<unknown> {
  switch (task.kind) {
    case 'decodeQr':
      return decodeQrImage(Buffer.from(task.image.buffer, task.image.byteOffset, task.image.byteLength), { maxPixels: task.maxPixels });
    case 'certificatePdf': {
      const qrPng = await renderQrPng(task.qrText);
      const pdf = await renderCertificatePdf({ ...task.doc, qrPng }, task.creationDate ? { creationDate: new Date(task.creationDate) } : {});
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    }
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: { id: number; task: CpuTask }) => {
    perform(m.task).then(
      (value) => port.postMessage({ id: m.id, ok: true, value } satisfies WorkerReply),
      (e: unknown) => port.postMessage({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies WorkerReply),
    );
  });
  port.postMessage({ ready: true } satisfies WorkerReply);
}
