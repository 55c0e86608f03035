/** Yearly versions of the service catalogue: drafts are edited, published ones never change. */
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { CatalogueService, CatalogueVersion, CatalogueVersionStatus } from '../../domain/exchange/catalogue.js';
import { isUniqueViolation } from '../failures.js';
import type { Db } from '../schema.js';
import { commitRows } from './transparency-leaves.js';

const toVersion = (r: { year: number; status: string; services: string; published_at: string | null }): CatalogueVersion => ({
  year: r.year,
  status: r.status as CatalogueVersionStatus,
  ...(r.published_at ? { publishedAt: r.published_at } : {}),
  services: JSON.parse(r.services) as CatalogueService[],
});

export async function listCatalogueVersions(db: Db): Promise<CatalogueVersion[]> {
  return (await db.selectFrom('catalogue_version').selectAll().orderBy('year').execute()).map(toVersion);
}

export async function findCatalogueVersion(db: Db, year: number): Promise<CatalogueVersion | undefined> {
  const r = await db.selectFrom('catalogue_version').selectAll().where('year', '=', year).executeTakeFirst();
  return r ? toVersion(r) : undefined;
}

export async function insertCatalogueDraft(db: Db, year: number, services: CatalogueService[], at: string): Promise<void> {
  try {
    await db.insertInto('catalogue_version').values({ year, status: 'draft', services: JSON.stringify(services), published_at: null, updated_at: at }).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw new RegistryError('CATALOGUE_VERSION_EXISTS');
    throw e;
  }
}

/** Replaces a draft's services; a published version is refused (it is what agencies were charged by). */
export async function updateCatalogueDraft(db: Db, year: number, services: CatalogueService[], at: string): Promise<void> {
  const r = await db.updateTable('catalogue_version').set({ services: JSON.stringify(services), updated_at: at }).where('year', '=', year).where('status', '=', 'draft').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) await refuseChange(db, year);
}

/** Publishes a draft; the published row never changes again, so its leaf of the log is written now. */
export async function publishCatalogueVersion(db: Db, year: number, at: string): Promise<void> {
  const r = await db.updateTable('catalogue_version').set({ status: 'published', published_at: at, updated_at: at }).where('year', '=', year).where('status', '=', 'draft').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) await refuseChange(db, year);
  // The row as the store now holds it (the draft's services are not in hand here).
  const published = await db.selectFrom('catalogue_version').selectAll().where('year', '=', year).executeTakeFirstOrThrow();
  await commitRows(db, 'catalogue_version', [published], at);
}

/** Why a draft change touched nothing: there is no such year, or it is already published. */
async function refuseChange(db: Db, year: number): Promise<never> {
  throw new RegistryError((await findCatalogueVersion(db, year)) ? 'CATALOGUE_NOT_DRAFT' : 'CATALOGUE_NOT_FOUND');
}
