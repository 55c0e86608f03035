/**
 * CPU-heavy work of the services, off the event loop: decoding uploaded QR photos and rendering
 * certificate PDFs run in a worker pool (pool.ts) with limits on pixels (checked from the image
 * header before decoding), heap and time. Failures become stable error codes: an image too large
 * (413), one that takes too long to decode (422), or a pool that is full or failed (503).
 */
import { availableParallelism } from 'node:os';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { MAX_PIXELS, type QrDecodeResult } from '../../documents/qr-image.js';
import type { CertificateDocument } from '../../documents/certificate-pdf.js';
import { createWorkerPool, PoolError, type PoolLimits } from './pool.js';
import { workerEntry } from './start-worker.js';

export interface CpuLimits extends PoolLimits {
  /** Largest image (width × height) decoded; larger ones are refused from their header. */
  maxPixels: number;
}

/**
 * Defaults (DANCU_CPU_* and DANCU_IMAGE_MAX_PIXELS in config.ts): one worker per core but one,
 * at most 4, since the event loop and the database need a core; 15 s covers a noisy 25 MP photo
 * here (a 1 MP one takes 5–6 s on a busy core).
 */
export const DEFAULT_CPU_LIMITS: CpuLimits = {
  size: Math.max(1, Math.min(4, availableParallelism() - 1)),
  maxQueue: 16,
  timeoutMs: 15_000,
  memoryMb: 256,
  maxPixels: MAX_PIXELS,
};

export type CpuTask =
  | { kind: 'decodeQr'; image: Uint8Array; maxPixels: number }
  | { kind: 'certificatePdf'; doc: Omit<CertificateDocument, 'qrPng'>; qrText: string; creationDate?: string };

export interface CpuWork {
  readonly limits: CpuLimits;
  /** Finds and decodes the QR code in a PNG/JPEG; refusals of the image itself come back as results. */
  decodeQr(image: Buffer): Promise<QrDecodeResult>;
  /** The certificate PDF with `qrText` drawn as its QR code. */
  certificatePdf(doc: Omit<CertificateDocument, 'qrPng'>, qrText: string, creationDate?: Date): Promise<Buffer>;
  stats(): ReturnType<ReturnType<typeof createWorkerPool>['stats']>;
  close(): Promise<void>;
}

/** Seconds a client is asked to wait when the pool is full. */
const BUSY_RETRY_AFTER = 2;

function busy(): RegistryError {
  return new RegistryError('WORKERS_BUSY', { extra: { retryAfter: BUSY_RETRY_AFTER } });
}

export function createCpuWork(overrides: Partial<CpuLimits> = {}): CpuWork {
  const limits = { ...DEFAULT_CPU_LIMITS, ...overrides };
  const pool = createWorkerPool<CpuTask, unknown>(workerEntry('cpu-worker', import.meta.url), limits);
  return {
    limits,
    async decodeQr(image) {
      try {
        return (await pool.run({ kind: 'decodeQr', image, maxPixels: limits.maxPixels })) as QrDecodeResult;
      } catch (e) {
        if (!(e instanceof PoolError)) throw e;
        if (e.reason === 'timeout') throw new RegistryError('IMAGE_TOO_COMPLEX');
        if (e.reason === 'memory') return { ok: false, reason: 'IMAGE_TOO_LARGE' };
        if (e.reason === 'crashed') return { ok: false, reason: 'IMAGE_UNREADABLE' };
        throw busy();
      }
    },
    async certificatePdf(doc, qrText, creationDate) {
      try {
        const bytes = (await pool.run({ kind: 'certificatePdf', doc, qrText, ...(creationDate ? { creationDate: creationDate.toISOString() } : {}) })) as Uint8Array;
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (e) {
        if (!(e instanceof PoolError)) throw e;
        if (e.reason === 'crashed') throw new Error(`certificate rendering failed: ${e.message}`);
        if (e.reason === 'timeout' || e.reason === 'memory') throw new RegistryError('RENDERING_FAILED');
        throw busy();
      }
    },
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}
