/** Opaque keyset-pagination cursors: the last row's key fields, as base64url JSON. */
import { RegistryError } from '../domain/errors/registry-error.js';

export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key fields back, each a string; anything else is INVALID_CURSOR. */
export function decodeCursor<K extends string>(cursor: string, fields: readonly K[]): Record<K, string> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const f of fields) if (typeof value[f] !== 'string') throw new Error(f);
    return Object.fromEntries(fields.map((f) => [f, value[f]])) as Record<K, string>;
  } catch {
    throw new RegistryError('INVALID_CURSOR');
  }
}
