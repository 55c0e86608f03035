/**
 * Pushing checkpoints to witnesses (C2SP tlog-witness add-checkpoint; decision 0029), off the
 * request path: after this process signs a checkpoint, each witness is sent the newest one with a
 * consistency proof from the size it holds; its cosignature lines are checked against its
 * configured key and stored with the checkpoint. A 409 names the size the witness holds: the push
 * is retried from there. Pushes coalesce: a witness slower than the log gets the newest checkpoint.
 */
import { consistencyProof } from '../../transparency/tree.js';
import { verifyCosignature } from '../../transparency/cosignature.js';
import { parseVerifierKey, splitNote, SIG_TYPE_COSIGNATURE_V1 } from '../../transparency/note.js';
import { hashReaderFromTiles } from '../../transparency/tiles.js';
import {
  ADD_CHECKPOINT_PATH,
  formatAddCheckpointRequest,
  parseCosignatureResponse,
  parseSizeResponse,
} from '../../transparency/witness-protocol.js';
import type { Store } from '../../store/connect.js';
import { readTile, saveCosignature, type StoredCheckpoint } from '../../store/repositories/transparency-log.js';
import type { Clock } from '../clock.js';

export interface WitnessConfig {
  /** The witness's URL prefix: add-checkpoint is POSTed to <url>/add-checkpoint. */
  url: string;
  /** Its verifier key string (name+id+base64 of 0x04 and the Ed25519 key). */
  key: string;
}

export interface Witness extends WitnessConfig {
  name: string;
  publicKey: Buffer;
}

/**
 * DANCU_WITNESSES: entries separated by commas or newlines, each "<url> <verifier key>". Throws
 * with the entry's position when one is not a URL and a cosignature key.
 */
export function parseWitnesses(text: string | undefined): Witness[] {
  if (!text || text.trim() === '') return [];
  return text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((entry, i) => {
      const [url, key, ...rest] = entry.split(/\s+/);
      if (!url || !key || rest.length > 0) throw new Error(`DANCU_WITNESSES entry ${i + 1}: expected "<url> <verifier key>"`);
      if (!/^https?:\/\//.test(url)) throw new Error(`DANCU_WITNESSES entry ${i + 1}: the URL must be http:// or https://`);
      let parsed;
      try {
        parsed = parseVerifierKey(key);
      } catch (e) {
        throw new Error(`DANCU_WITNESSES entry ${i + 1}: ${(e as Error).message}`);
      }
      if (parsed.type !== SIG_TYPE_COSIGNATURE_V1) throw new Error(`DANCU_WITNESSES entry ${i + 1}: a witness key has signature type 0x04 (cosignature/v1)`);
      return { url: url.replace(/\/+$/, ''), key, name: parsed.name, publicKey: parsed.publicKey };
    });
}

export interface WitnessPusher {
  /** Queues the newest checkpoint (the older ones queued and not yet sent are skipped). */
  push(checkpoint: StoredCheckpoint): void;
  /** Resolves when nothing waits to be sent (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** How long one add-checkpoint may take, and the wait after a failure. */
const REQUEST_TIMEOUT_MS = 5000;
const RETRY_AFTER_MS = 1000;
/** 409 answers followed within one push before giving up until the next checkpoint. */
const MAX_CONFLICTS = 3;

export function startWitnessPusher(ctx: { store: Store; clock: Clock }, witness: Witness, options: { onError?: (e: unknown) => void } = {}): WitnessPusher {
  let known = 0; // the size we believe the witness holds (0: ask; a 409 corrects it)
  let next: StoredCheckpoint | undefined;
  let running: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const read = hashReaderFromTiles((level, index) => readTile(ctx.store.db, level, index));

  const sendOne = async (cp: StoredCheckpoint): Promise<void> => {
    for (let conflicts = 0; conflicts <= MAX_CONFLICTS; conflicts++) {
      if (known > cp.size) return; // the witness already holds a newer checkpoint
      const proof = known === 0 ? [] : await consistencyProof(known, cp.size, read);
      const res = await fetch(`${witness.url}${ADD_CHECKPOINT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: formatAddCheckpointRequest(known, proof, cp.note),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = await res.text();
      if (res.status === 409) {
        known = parseSizeResponse(body);
        continue;
      }
      if (res.status !== 200) throw new Error(`witness ${witness.name} answered ${res.status}`);
      const text = splitNote(cp.note).text;
      const lines = parseCosignatureResponse(body).filter((l) => verifyCosignature(text, l, witness).ok);
      if (lines.length === 0) throw new Error(`witness ${witness.name} sent no cosignature its key verifies`);
      known = cp.size;
      await saveCosignature(ctx.store.db, cp.size, witness.name, lines.join(''), ctx.clock.now().toISOString());
      return;
    }
    throw new Error(`witness ${witness.name} kept answering 409`);
  };

  const drain = async (): Promise<void> => {
    while (next && !stopped) {
      const cp = next;
      try {
        await sendOne(cp);
        if (next === cp) next = undefined;
      } catch (e) {
        options.onError?.(e);
        // Try the newest again a little later; the witness may be restarting.
        retry = setTimeout(kick, RETRY_AFTER_MS);
        retry.unref();
        return;
      }
    }
  };
  function kick(): void {
    retry = undefined;
    if (running) return;
    running = drain().finally(() => {
      running = undefined;
      // A checkpoint queued while the last send finished.
      if (next && !stopped && !retry) kick();
    });
  }
  return {
    push(cp) {
      if (stopped || (next && next.size >= cp.size)) return;
      next = cp;
      if (!retry) kick();
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await running;
    },
  };
}
