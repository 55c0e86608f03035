/**
 * An audit export on disk (docs/audit-export.md): a directory of JSON-lines files, or one
 * JSON-lines file (a path ending in .jsonl). Files are the owner's only: rows name citizens.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../../private-files.js';
import type { AuditCheckpoint, AuditLeaf, AuditRow, Redirect } from '../../store/repositories/audit.js';
import { ExportFormatError, exportFromLines, exportToLines, type AuditExport, type ExportManifest, type ExportTile } from './export-format.js';

const jsonl = (items: readonly unknown[]): string => items.map((i) => JSON.stringify(i)).join('\n') + (items.length > 0 ? '\n' : '');

/** Writes the export; returns the files written. */
export function writeExport(path: string, e: AuditExport): string[] {
  if (path.endsWith('.jsonl')) {
    writePrivateFile(path, exportToLines(e));
    return [path];
  }
  ensurePrivateDir(path);
  ensurePrivateDir(join(path, 'rows'));
  const files: Array<[string, string]> = [
    ['manifest.json', `${JSON.stringify(e.manifest, null, 2)}\n`],
    ['checkpoints.jsonl', jsonl(e.checkpoints)],
    ['tiles.jsonl', jsonl(e.tiles)],
    ['leaves.jsonl', jsonl(e.leaves)],
    ['redirects.jsonl', jsonl(e.redirects)],
    ...Object.keys(e.rows)
      .sort()
      .map((t): [string, string] => [join('rows', `${t}.jsonl`), jsonl(e.rows[t] ?? [])]),
  ];
  for (const [name, text] of files) writePrivateFile(join(path, name), text);
  return files.map(([name]) => join(path, name));
}

function parseLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => {
      if (line.trim() === '') return undefined;
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new ExportFormatError(`${file}, line ${i + 1}: not JSON`);
      }
    })
    .filter((v): v is Awaited<T> => v !== undefined) as T[];
}

/** Reads an export directory or one JSON-lines file. */
export function readExport(path: string): AuditExport {
  if (!statSync(path).isDirectory()) return exportFromLines(readFileSync(path, 'utf8'));
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8')) as ExportManifest;
  } catch {
    throw new ExportFormatError(`${join(path, 'manifest.json')}: missing or not JSON`);
  }
  const rows: Record<string, AuditRow[]> = {};
  const rowsDir = join(path, 'rows');
  if (existsSync(rowsDir)) {
    for (const f of readdirSync(rowsDir).sort()) if (f.endsWith('.jsonl')) rows[f.slice(0, -'.jsonl'.length)] = parseLines<AuditRow>(join(rowsDir, f));
  }
  return {
    manifest,
    checkpoints: parseLines<AuditCheckpoint>(join(path, 'checkpoints.jsonl')),
    tiles: parseLines<ExportTile>(join(path, 'tiles.jsonl')),
    leaves: parseLines<AuditLeaf>(join(path, 'leaves.jsonl')),
    redirects: parseLines<Redirect>(join(path, 'redirects.jsonl')),
    rows,
  };
}
