/**
 * The demo experience of `dancu serve` with no configuration: the synthetic population on first
 * start (resumed if interrupted) and a demo officer whose token is kept in the data directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';
import { join } from 'node:path';
import type { Runtime } from '../services/runtime.js';
import { authenticate, createPrincipal } from '../services/principals.js';
import { citizenCount, seedPopulation, seedRuns } from '../services/seed.js';
import { firstCitizen } from '../services/citizens/read.js';
import { foldKey } from '../domain/text/normalize.js';
import { progressBar } from './progress.js';

export const DEMO_OFFICER_NAME = 'Demo officer (cán bộ demo)';

/** Seeds the demo population unless the store already holds citizens of its own. */
export async function ensureDemoPopulation(rt: Runtime, count: number, seed: number): Promise<'seeded' | 'present' | 'skipped'> {
  if (count === 0) return 'skipped';
  const runs = await seedRuns(rt.store);
  const complete = runs.some((r) => r.done >= r.target);
  if (complete) return 'present';
  if (runs.length === 0 && (await citizenCount(rt.store)) > 0) return 'present';
  const run = runs[0];
  const bar = progressBar('Creating the demo population', run?.target ?? count);
  await seedPopulation(rt.store, rt.catalogue.categories, rt.ctx.clock, {
    seed: run?.seed ?? seed,
    count: run?.target ?? count,
    onProgress: (done) => bar.update(done),
  });
  bar.finish();
  return 'seeded';
}

/** The demo officer's token: reused from the data directory while valid (not expired nor revoked), else a new officer. */
export async function ensureDemoToken(rt: Runtime, dataDir: string): Promise<string> {
  const file = join(dataDir, 'demo-officer.token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    // An expired token (decision 0038: tokens expire) is replaced by a new demo officer's.
    if (await authenticate(rt.store, token, rt.ctx.clock)) return token;
  }
  const { token } = await createPrincipal(rt.store, rt.ctx.clock, DEMO_OFFICER_NAME, 'officer');
  ensurePrivateDir(dataDir);
  writePrivateFile(file, `${token}\n`);
  return token;
}

/** A search that finds a synthetic demo citizen, typed without diacritics as an officer might. */
export async function demoSearchPath(rt: Runtime): Promise<string> {
  const c = await firstCitizen(rt.store);
  if (!c) return '/citizens?name=Nguyen%20Van%20An&dateOfBirth=1990';
  return `/citizens?name=${encodeURIComponent(foldKey(c.fullName))}&dateOfBirth=${c.dateOfBirth.slice(0, 4)}`;
}
