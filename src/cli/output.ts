/** CLI output: JSON for scripts, short text for people; errors as code + message, exit code 1. */
import { isRegistryError } from '../domain/errors/registry-error.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function fail(e: unknown): never {
  if (isRegistryError(e)) {
    process.stderr.write(`error ${e.code}: ${e.message} / ${e.messageVi}${e.detail ? ` (${e.detail})` : ''}\n`);
    for (const f of e.fields ?? []) process.stderr.write(`  ${f.field}: ${f.code} ${f.message}\n`);
  } else {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  process.exit(1);
}
