/**
 * The witness's one decision (C2SP tlog-witness add-checkpoint): cosign a log's new checkpoint only
 * if the log signed it and it is consistent with the last one cosigned for that log, and remember
 * it before answering. Checks and the state update run one request at a time, so two requests can
 * never both pass against the same old size and roll the state back (the race the spec describes).
 */
import { parseCheckpoint } from '../transparency/checkpoint.js';
import { cosign, cosigner, type Cosigner } from '../transparency/cosignature.js';
import { TlogError } from '../transparency/errors.js';
import { openNote, splitNote, verifierKeyString, SIG_TYPE_COSIGNATURE_V1, type NoteVerifier } from '../transparency/note.js';
import { verifyConsistency } from '../transparency/tree.js';
import { formatSizeResponse, parseAddCheckpointRequest, TLOG_SIZE_CONTENT_TYPE } from '../transparency/witness-protocol.js';
import type { KeyObject } from 'node:crypto';
import type { WitnessState } from './state.js';

export interface WitnessReply {
  status: 200 | 400 | 403 | 404 | 409 | 422;
  contentType: string;
  body: string;
}

export interface WitnessOptions {
  name: string;
  privateKey: KeyObject;
  logs: Map<string, NoteVerifier[]>;
  state: WitnessState;
  /** POSIX seconds (injected: tests set the time). */
  now: () => number;
}

const text = (status: WitnessReply['status'], body: string): WitnessReply => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: `${body}\n`,
});

export class Witness {
  readonly #opts: WitnessOptions;
  readonly #key: Cosigner;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(opts: WitnessOptions) {
    this.#opts = opts;
    this.#key = cosigner(opts.name, opts.privateKey);
  }

  get name(): string {
    return this.#key.name;
  }

  /** "<name>+<key ID>+<base64(0x04 || key)>": what logs and clients configure. */
  get verifierKey(): string {
    return verifierKeyString(this.#key.name, this.#key.publicKey, SIG_TYPE_COSIGNATURE_V1);
  }

  addCheckpoint(body: string): Promise<WitnessReply> {
    const run = this.#queue.then(() => this.#decide(body));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #decide(body: string): WitnessReply {
    let request;
    let checkpoint;
    try {
      request = parseAddCheckpointRequest(body);
      checkpoint = parseCheckpoint(splitNote(request.note).text);
    } catch (e) {
      if (e instanceof TlogError) return text(400, `malformed request: ${e.message}`);
      throw e;
    }
    const keys = this.#opts.logs.get(checkpoint.origin);
    if (keys === undefined) return text(404, 'unknown log origin');
    try {
      openNote(request.note, keys);
    } catch (e) {
      if (e instanceof TlogError) return text(403, 'the checkpoint is not signed by a key of this log');
      throw e;
    }
    if (request.oldSize > checkpoint.size) return text(400, 'old size is larger than the checkpoint size');

    const held = this.#opts.state.get(checkpoint.origin);
    if (request.oldSize !== held.size) {
      return { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: formatSizeResponse(held.size) };
    }
    if (request.oldSize === checkpoint.size) {
      if (!held.rootHash.equals(checkpoint.rootHash)) return text(409, 'same size, different root hash');
      if (request.proof.length > 0) return text(422, 'a proof between equal sizes is empty');
    } else if (!verifyConsistency(request.oldSize, checkpoint.size, request.proof, held.rootHash, checkpoint.rootHash)) {
      return text(422, 'the consistency proof does not verify');
    }
    const timestamp = this.#opts.now();
    const noteText = splitNote(request.note).text;
    // Remember before answering: a cosignature given out is never forgotten by a crash.
    this.#opts.state.set(checkpoint.origin, {
      size: checkpoint.size,
      rootHash: checkpoint.rootHash,
      checkpoint: request.note,
      cosignedAt: timestamp,
    });
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: cosign(noteText, timestamp, this.#key) };
  }
}
