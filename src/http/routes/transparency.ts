/**
 * The transparency log over HTTP (C2SP tlog-tiles under /transparency/; decision 0029). The
 * checkpoint, tiles, proofs and keys are public and say nothing about people: a leaf hash commits
 * to its row through a random salt. Entry bundles name the rows (personal IDs among them), so they
 * are for inspectors only, with a purpose, and recorded under the people they name.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { ServiceContext } from '../../services/context.js';
import { servedCheckpoint } from '../../services/transparency/receipts.js';
import { transparencyLogOf } from '../../services/transparency/log.js';
import { latestSignedCheckpoint, leavesInRange, storedTile } from '../../services/transparency/tiles.js';
import { formatLeafData } from '../../transparency/leaf.js';
import { HASH_SIZE } from '../../transparency/hash.js';
import { consistencyProof, inclusionProof } from '../../transparency/tree.js';
import { encodeEntryBundle, hashReaderFromTiles, parseTilePath, TILE_WIDTH, tileWidth } from '../../transparency/tiles.js';
import { problemResponses } from '../problem.js';

const TAGS = ['transparency'];
const gzipAsync = promisify(gzip);
/** Tiles never change once a checkpoint covers them (a partial one is named by its width). */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const Binary = (description: string) => ({ description, content: { 'application/octet-stream': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } });
const TileParams = Type.Object({ '*': Type.String({ description: 'C2SP tlog-tiles path after tile/ (e.g. 0/x001/234.p/17)' }) }, { additionalProperties: false });

const InclusionProof = Type.Object(
  {
    index: Type.Integer({ minimum: 0 }),
    size: Type.Integer({ minimum: 1 }),
    hashes: Type.Array(Type.String({ description: 'base64 SHA-256' }), { description: "RFC 6962 audit path, the leaf's sibling first" }),
  },
  { $id: 'InclusionProof', additionalProperties: false },
);
const ConsistencyProof = Type.Object(
  {
    from: Type.Integer({ minimum: 0 }),
    to: Type.Integer({ minimum: 0 }),
    hashes: Type.Array(Type.String({ description: 'base64 SHA-256' }), { description: 'RFC 6962 consistency proof' }),
  },
  { $id: 'ConsistencyProof', additionalProperties: false },
);
const LogKeys = Type.Object(
  {
    origin: Type.String({ description: "The log's origin (its checkpoints' first line, its key's name)" }),
    log: Type.String({ description: "The log's verifier key: <origin>+<key ID>+<base64(0x01 || Ed25519 public key)>" }),
    witnesses: Type.Array(Type.Object({ name: Type.String(), key: Type.String({ description: 'Verifier key (cosignature/v1, type 0x04)' }), url: Type.String() }, { additionalProperties: false })),
  },
  { $id: 'TransparencyLogKeys', additionalProperties: false },
);

/** The subject keys of an entry bundle, for the recording mechanism (the bundle is bytes). */
const bundlePeople = new WeakMap<FastifyRequest, string[]>();

async function signedSize(ctx: ServiceContext): Promise<number> {
  const latest = await latestSignedCheckpoint(ctx.store);
  if (!latest) throw new RegistryError('CHECKPOINT_NOT_FOUND');
  return latest.size;
}

/** The tile address of a request, and how many hashes it asks for; refuses what no checkpoint covers. */
async function tileRequest(ctx: ServiceContext, path: string, entries: boolean): Promise<{ level: number; index: number; width: number }> {
  const address = parseTilePath(`tile/${entries ? 'entries/' : ''}${path}`);
  if (!address || (address.level === 'entries') !== entries) throw new RegistryError('TILE_PATH_INVALID');
  const level = address.level === 'entries' ? 0 : address.level;
  const width = address.width ?? TILE_WIDTH;
  const covered = tileWidth(level, address.index, await signedSize(ctx));
  // Any prefix of what a signed size covers: a tile's first hashes never change as it grows.
  if (covered < width) throw new RegistryError('TILE_NOT_FOUND');
  return { level, index: address.index, width };
}

function binary(reply: FastifyReply, body: Buffer, cache: string): FastifyReply {
  return reply.type('application/octet-stream').header('cache-control', cache).send(body);
}

export function registerTransparencyRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    '/transparency/checkpoint',
    {
      config: { public: true },
      schema: {
        operationId: 'getTransparencyCheckpoint',
        summary: 'The latest signed checkpoint of the transparency log (C2SP tlog-checkpoint), with the witnesses\' cosignatures',
        tags: TAGS,
        security: [],
        response: { 200: { description: 'The signed note', content: { 'text/plain; charset=utf-8': { schema: Type.String() } } }, ...problemResponses(404, 503) },
      },
    },
    async (_req, reply) => {
      const note = await servedCheckpoint(ctx);
      if (!note) throw new RegistryError('CHECKPOINT_NOT_FOUND');
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=1').send(note.text);
    },
  );

  app.get(
    '/transparency/tile/*',
    {
      config: { public: true },
      schema: {
        operationId: 'getTransparencyTile',
        summary: 'A tile of the Merkle tree (C2SP tlog-tiles): <L>/<N>[.p/<W>], 32-byte hashes',
        tags: TAGS,
        security: [],
        params: TileParams,
        response: { 200: Binary('The tile: width × 32 bytes'), ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      const t = await tileRequest(ctx, (req.params as { '*': string })['*'], false);
      const stored = await storedTile(ctx.store, t.level, t.index);
      if (!stored || stored.length < t.width * HASH_SIZE) throw new RegistryError('TILE_NOT_FOUND');
      return binary(reply, stored.subarray(0, t.width * HASH_SIZE), IMMUTABLE);
    },
  );

  app.get(
    '/transparency/tile/entries/*',
    {
      config: {
        roles: ['inspector'],
        people: { request: (req) => bundlePeople.get(req) ?? [], knownAfterReading: true },
      },
      schema: {
        operationId: 'getTransparencyEntries',
        summary: 'An entry bundle (C2SP tlog-tiles): each leaf\'s data as a big-endian uint16 length and its bytes; gzip when asked (inspectors)',
        tags: TAGS,
        params: TileParams,
        response: { 200: Binary('The entry bundle'), ...problemResponses(404) },
      },
    },
    async (req, reply) => {
      const t = await tileRequest(ctx, (req.params as { '*': string })['*'], true);
      const first = t.index * TILE_WIDTH;
      const rows = await leavesInRange(ctx.store, first, first + t.width);
      if (rows.length !== t.width) throw new RegistryError('TILE_NOT_FOUND');
      bundlePeople.set(req, rows.map((r) => r.subjectKey));
      const bundle = encodeEntryBundle(rows.map((r) => formatLeafData(r)));
      reply.header('vary', 'accept-encoding');
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        reply.header('content-encoding', 'gzip');
        return binary(reply, await gzipAsync(bundle), 'private, no-store');
      }
      return binary(reply, bundle, 'private, no-store');
    },
  );

  app.get(
    '/transparency/proof/inclusion',
    {
      config: { public: true },
      schema: {
        operationId: 'getTransparencyInclusionProof',
        summary: 'The inclusion proof of the leaf at an index in the tree of a signed size (RFC 6962 §2.1.1)',
        tags: TAGS,
        security: [],
        querystring: Type.Object({ index: Type.Integer({ minimum: 0 }), size: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: InclusionProof, ...problemResponses(404) },
      },
    },
    async (req) => {
      const { index, size } = req.query as { index: number; size: number };
      if (index >= size) throw new RegistryError('PROOF_RANGE_INVALID');
      if (size > (await signedSize(ctx))) throw new RegistryError('TREE_SIZE_NOT_SIGNED');
      const hashes = await inclusionProof(index, size, hashReaderFromTiles((l, i) => storedTile(ctx.store, l, i)));
      return { index, size, hashes: hashes.map((h) => h.toString('base64')) };
    },
  );

  app.get(
    '/transparency/proof/consistency',
    {
      config: { public: true },
      schema: {
        operationId: 'getTransparencyConsistencyProof',
        summary: 'The consistency proof between two tree sizes up to a signed one (RFC 6962 §2.1.2)',
        tags: TAGS,
        security: [],
        querystring: Type.Object({ from: Type.Integer({ minimum: 0 }), to: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
        response: { 200: ConsistencyProof, ...problemResponses(404) },
      },
    },
    async (req) => {
      const { from, to } = req.query as { from: number; to: number };
      if (from > to) throw new RegistryError('PROOF_RANGE_INVALID');
      if (to > (await signedSize(ctx))) throw new RegistryError('TREE_SIZE_NOT_SIGNED');
      const hashes = await consistencyProof(from, to, hashReaderFromTiles((l, i) => storedTile(ctx.store, l, i)));
      return { from, to, hashes: hashes.map((h) => h.toString('base64')) };
    },
  );

  app.get(
    '/transparency/keys',
    {
      config: { public: true },
      schema: { operationId: 'getTransparencyKeys', summary: "The log's verifier key and the configured witnesses' keys", tags: TAGS, security: [], response: { 200: LogKeys } },
    },
    async () => {
      const log = transparencyLogOf(ctx.store);
      if (!log) throw new RegistryError('CHECKPOINT_NOT_FOUND');
      return { origin: log.key.origin, log: log.key.verifierKey, witnesses: log.witnesses.map((w) => ({ name: w.name, key: w.key, url: w.url })) };
    },
  );
}
