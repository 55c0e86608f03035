/**
 * C2SP tlog-tiles: tile paths, tile widths, the tile builder the sequencer runs, and a HashReader
 * over stored tiles (so proofs are computed from the same tiles that are served).
 *
 * A tile at level L holds up to 256 hashes, each the root of 256^L leaves; level 0 holds leaf
 * hashes. Only full tiles are hashed into the level above; the rightmost tile of each level is
 * usually partial. Entry bundles share the level-0 numbering.
 */
import { HASH_SIZE, type Hash } from './hash.js';
import { rootOf, type HashReader } from './tree.js';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** Levels are 0..63 (tlog-tiles). */
export const MAX_TILE_LEVEL = 63;

export type TileLevel = number | 'entries';

export interface TileAddress {
  level: TileLevel;
  index: number;
  /** Only for a partial tile: 1..255. A full tile has none. */
  width?: number;
}

/** 1234067 → "x001/x234/067": 3-digit groups, all but the last prefixed with x. */
function formatIndex(index: number): string {
  const digits = String(index);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups: string[] = [];
  for (let i = 0; i < padded.length; i += 3) groups.push(padded.slice(i, i + 3));
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function checkAddress(level: TileLevel, index: number, width: number | undefined): void {
  if (level !== 'entries' && (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL)) {
    throw new RangeError('tile level must be 0..63');
  }
  if (!Number.isSafeInteger(index) || index < 0 || index > maxTileIndex(level)) throw new RangeError('tile index out of range');
  if (width !== undefined && (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)) {
    throw new RangeError('tile width must be 1..256');
  }
}

/**
 * The largest index a tile of this level can have while its first leaf index stays an exact
 * JavaScript number (below 2^53): far beyond any registry's size.
 */
export function maxTileIndex(level: TileLevel): number {
  const l = level === 'entries' ? 0 : level;
  return Math.floor(Number.MAX_SAFE_INTEGER / TILE_WIDTH ** (l + 1));
}

function pathOf(levelName: string, index: number, width: number | undefined): string {
  const base = `tile/${levelName}/${formatIndex(index)}`;
  return width === undefined || width === TILE_WIDTH ? base : `${base}.p/${width}`;
}

/** "tile/<L>/<N>[.p/<W>]"; a width of 256 (or none) names the full tile. */
export function tilePath(level: number, index: number, width?: number): string {
  checkAddress(level, index, width);
  return pathOf(String(level), index, width);
}

/** "tile/entries/<N>[.p/<W>]". */
export function entriesPath(index: number, width?: number): string {
  checkAddress('entries', index, width);
  return pathOf('entries', index, width);
}

const LEVEL_RE = /^(?:0|[1-9][0-9]?)$/;
const WIDTH_RE = /^[1-9][0-9]{0,2}$/;
const GROUP_RE = /^[0-9]{3}$/;

/**
 * Parses "tile/<L>/<N>[.p/<W>]" or "tile/entries/<N>[.p/<W>]" (no leading slash). Undefined for
 * anything not in the canonical form: a level above 63 or with leading zeros, an index not in
 * x-prefixed 3-digit groups or with a leading x000 group, a width outside 1..255.
 */
export function parseTilePath(path: string): TileAddress | undefined {
  const parts = path.split('/');
  if (parts.length < 3 || parts[0] !== 'tile') return undefined;
  const levelPart = parts[1] as string;
  let level: TileLevel;
  if (levelPart === 'entries') level = 'entries';
  else if (LEVEL_RE.test(levelPart) && Number(levelPart) <= MAX_TILE_LEVEL) level = Number(levelPart);
  else return undefined;

  let rest = parts.slice(2);
  let width: number | undefined;
  const last = rest[rest.length - 1] as string;
  const beforeLast = rest[rest.length - 2] ?? '';
  if (beforeLast.endsWith('.p')) {
    if (!WIDTH_RE.test(last) || Number(last) >= TILE_WIDTH) return undefined;
    width = Number(last);
    rest = [...rest.slice(0, -2), beforeLast.slice(0, -2)];
  }
  let digits = '';
  for (let i = 0; i < rest.length; i++) {
    let group = rest[i] as string;
    if (i < rest.length - 1) {
      if (!group.startsWith('x')) return undefined;
      group = group.slice(1);
      if (i === 0 && group === '000') return undefined;
    }
    if (!GROUP_RE.test(group)) return undefined;
    digits += group;
  }
  const index = Number(digits);
  if (!Number.isSafeInteger(index) || index > maxTileIndex(level)) return undefined;
  return width === undefined ? { level, index } : { level, index, width };
}

/**
 * How many hashes of tile (level, index) a tree of `size` covers: 256 (full), 1..255 (the partial
 * tile of that size), or 0 (not covered at that size). Entry bundles use level 0.
 */
export function tileWidth(level: number, index: number, size: number): number {
  const count = Math.floor(size / TILE_WIDTH ** level);
  const full = Math.floor(count / TILE_WIDTH);
  if (index < full) return TILE_WIDTH;
  if (index === full) return count % TILE_WIDTH;
  return 0;
}

/** The rightmost (partial) tile at each level for a tree of `size`: what the builder reads. */
export function rightEdgeTiles(size: number): Array<{ level: number; index: number; width: number }> {
  const out: Array<{ level: number; index: number; width: number }> = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    const width = count % TILE_WIDTH;
    if (width > 0) out.push({ level, index: Math.floor(count / TILE_WIDTH), width });
  }
  return out;
}

export interface Tile {
  level: number;
  index: number;
  /** Concatenated 32-byte hashes; its length / 32 is the tile's width. */
  hashes: Buffer;
}

/** Reads a stored tile (the widest stored for that address), or undefined when none is stored. */
export type TileReader = (level: number, index: number) => Buffer | undefined;

/** The root of a full tile: its 256 hashes are the leaves of a complete subtree of height 8. */
export function tileRoot(hashes: Buffer): Hash {
  return rootOf(splitHashes(hashes));
}

export function splitHashes(buf: Buffer): Hash[] {
  if (buf.length % HASH_SIZE !== 0) throw new RangeError('a tile is a whole number of 32-byte hashes');
  const out: Hash[] = [];
  for (let i = 0; i < buf.length; i += HASH_SIZE) out.push(buf.subarray(i, i + HASH_SIZE));
  return out;
}

/**
 * Appends leaf hashes to a tree of `size` whose tiles are stored, and returns every tile that
 * changed (each at its new width): level 0 takes the leaf hashes, and each level-L tile that
 * becomes full puts its root into level L+1. Pure: the right-edge tiles come from `readTile`.
 */
export function buildTiles(size: number, leafHashes: readonly Hash[], readTile: TileReader): Tile[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('size must be a non-negative safe integer');
  const changed: Tile[] = [];
  let incoming: Hash[] = leafHashes.map((h) => {
    if (h.length !== HASH_SIZE) throw new RangeError('leaf hashes are 32 bytes');
    return h;
  });
  let count = size; // hashes already at this level
  for (let level = 0; incoming.length > 0; level++) {
    let index = Math.floor(count / TILE_WIDTH);
    const existing = count % TILE_WIDTH;
    let current: Buffer[] = [];
    if (existing > 0) {
      const stored = readTile(level, index);
      if (stored === undefined || stored.length < existing * HASH_SIZE) {
        throw new Error(`stored tile ${level}/${index} is missing or narrower than ${existing}`);
      }
      current = [stored.subarray(0, existing * HASH_SIZE)];
    }
    let width = existing;
    const nextLevel: Hash[] = [];
    for (const h of incoming) {
      current.push(h);
      width++;
      if (width === TILE_WIDTH) {
        const full = Buffer.concat(current);
        changed.push({ level, index, hashes: full });
        nextLevel.push(tileRoot(full));
        current = [];
        width = 0;
        index++;
      }
    }
    if (width > 0) changed.push({ level, index, hashes: Buffer.concat(current) });
    // The level above holds one hash per full tile here, before this append.
    count = Math.floor(count / TILE_WIDTH);
    incoming = nextLevel;
  }
  return changed;
}

/**
 * A HashReader over stored tiles. The subtree of height h at `index` lives in tile level
 * floor(h/8): it spans 2^(h mod 8) consecutive hashes there, whose complete-subtree root is it.
 * The reader may be asynchronous (tiles in a database); nothing is cached here, since a partial
 * tile grows between calls.
 */
export function hashReaderFromTiles(
  readTile: (level: number, index: number) => Promise<Buffer | undefined> | Buffer | undefined,
): HashReader {
  return async (height, index) => {
    const level = Math.floor(height / TILE_HEIGHT);
    const span = 2 ** (height - level * TILE_HEIGHT);
    const first = index * span;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const offset = first % TILE_WIDTH;
    const tile = await readTile(level, tileIndex);
    if (tile === undefined || tile.length < (offset + span) * HASH_SIZE) {
      throw new Error(`tile ${level}/${tileIndex} does not cover hash ${offset + span - 1}`);
    }
    const slice = tile.subarray(offset * HASH_SIZE, (offset + span) * HASH_SIZE);
    return rootOf(splitHashes(slice));
  };
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(e.length); // a RangeError beyond 65,535 bytes: the format's limit
    parts.push(len, Buffer.from(e.buffer, e.byteOffset, e.length));
  }
  return Buffer.concat(parts);
}

/** Splits an entry bundle; undefined if it is truncated. */
export function decodeEntryBundle(bundle: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  let at = 0;
  while (at < bundle.length) {
    if (at + 2 > bundle.length) return undefined;
    const len = bundle.readUInt16BE(at);
    at += 2;
    if (at + len > bundle.length) return undefined;
    out.push(bundle.subarray(at, at + len));
    at += len;
  }
  return out;
}
