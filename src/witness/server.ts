/**
 * The witness's HTTP server: its own small Fastify app on its own port, apart from the registry.
 *   POST /add-checkpoint   C2SP tlog-witness (body and answers in witness.ts)
 *   GET  /                 the witness's name and verifier key, and the logs it follows
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { readWitnessConfig } from './config.js';
import { acquireLock, loadOrCreateKey } from './files.js';
import { WitnessState } from './state.js';
import { Witness } from './witness.js';
import { ADD_CHECKPOINT_PATH } from '../transparency/witness-protocol.js';

/** A checkpoint with 100 signatures and 63 proof lines fits well within this. */
const BODY_LIMIT = 64 * 1024;

export function buildWitnessApp(witness: Witness, origins: readonly string[]): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  app.removeAllContentTypeParsers();
  // The body is text whatever the client calls it; parsed by the protocol code, not by Fastify.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post(ADD_CHECKPOINT_PATH, async (req, reply) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const answer = await witness.addCheckpoint(body);
    return reply.code(answer.status).header('content-type', answer.contentType).send(answer.body);
  });
  app.get('/', async (_req, reply) =>
    reply
      .header('content-type', 'text/plain; charset=utf-8')
      .send(`C2SP tlog-witness ${witness.name}\nverifier key: ${witness.verifierKey}\nlogs:\n${origins.map((o) => `  ${o}\n`).join('')}`),
  );
  return app;
}

export interface WitnessServerOptions {
  dataDir: string;
  configFile: string;
  port: number;
  host: string;
  now?: () => number;
}

export interface RunningWitness {
  url: string;
  witness: Witness;
  close(): Promise<void>;
}

export async function startWitness(opts: WitnessServerOptions): Promise<RunningWitness> {
  const config = readWitnessConfig(opts.configFile);
  const release = acquireLock(opts.dataDir);
  try {
    const witness = new Witness({
      name: config.name,
      privateKey: loadOrCreateKey(opts.dataDir),
      logs: config.logs,
      state: WitnessState.load(opts.dataDir),
      now: opts.now ?? (() => Math.floor(Date.now() / 1000)),
    });
    const app = buildWitnessApp(witness, [...config.logs.keys()]);
    const url = await app.listen({ port: opts.port, host: opts.host });
    return {
      url,
      witness,
      close: async () => {
        await app.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
