/**
 * The service catalogue by year: a version is prepared (from the latest one, or the defaults),
 * edited as a draft, then published; the published catalogue in force is public. Published
 * versions are cached in memory (they never change; publishing a new one clears the cache).
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { catalogueProblems, DEFAULT_SERVICES, versionInForce, type CatalogueService, type CatalogueVersion } from '../../domain/exchange/catalogue.js';
import { findCatalogueVersion, insertCatalogueDraft, listCatalogueVersions, publishCatalogueVersion, updateCatalogueDraft } from '../../store/repositories/catalogue-versions.js';
import type { ServiceContext } from '../context.js';

const cache = new WeakMap<object, { year: number; version: CatalogueVersion | undefined; until: number }>();
/** Another process may publish: cached answers are re-read after this long. */
const CACHE_MS = 30_000;

export async function prepareCatalogue(ctx: ServiceContext, year: number): Promise<CatalogueVersion> {
  const at = ctx.clock.now().toISOString();
  const versions = await listCatalogueVersions(ctx.store.db);
  const base = [...versions].sort((a, b) => b.year - a.year)[0];
  const services = base ? base.services : [...DEFAULT_SERVICES];
  await insertCatalogueDraft(ctx.store.db, year, services, at);
  return { year, status: 'draft', services };
}

export async function updateCatalogue(ctx: ServiceContext, year: number, services: CatalogueService[]): Promise<CatalogueVersion> {
  const problems = catalogueProblems(services);
  if (problems.length > 0) throw new RegistryError('CATALOGUE_INVALID', { fields: problems.map((m) => ({ field: 'services', code: 'CATALOGUE_INVALID', message: m })) });
  await updateCatalogueDraft(ctx.store.db, year, services, ctx.clock.now().toISOString());
  return getCatalogue(ctx, year);
}

export async function publishCatalogue(ctx: ServiceContext, year: number): Promise<CatalogueVersion> {
  await publishCatalogueVersion(ctx.store.db, year, ctx.clock.now().toISOString());
  cache.delete(ctx.store);
  return getCatalogue(ctx, year);
}

/** The catalogue version of `year`, or undefined when none was prepared. */
export const lookUpCatalogue = (ctx: ServiceContext, year: number): Promise<CatalogueVersion | undefined> => findCatalogueVersion(ctx.store.db, year);

export async function getCatalogue(ctx: ServiceContext, year: number): Promise<CatalogueVersion> {
  const v = await findCatalogueVersion(ctx.store.db, year);
  if (!v) throw new RegistryError('CATALOGUE_NOT_FOUND');
  return v;
}

export const listCatalogue = (ctx: ServiceContext) => listCatalogueVersions(ctx.store.db);

/** The published version in force this year (the newest published whose year has begun), or undefined. */
export async function catalogueInForce(ctx: ServiceContext): Promise<CatalogueVersion | undefined> {
  const now = ctx.clock.now();
  const year = now.getUTCFullYear();
  const hit = cache.get(ctx.store);
  if (hit && hit.year === year && hit.until > now.getTime()) return hit.version;
  const version = versionInForce(await listCatalogueVersions(ctx.store.db), year);
  cache.set(ctx.store, { year, version, until: now.getTime() + CACHE_MS });
  return version;
}

export async function publishedCatalogue(ctx: ServiceContext): Promise<CatalogueVersion> {
  const v = await catalogueInForce(ctx);
  if (!v) throw new RegistryError('NO_PUBLISHED_CATALOGUE');
  return v;
}
