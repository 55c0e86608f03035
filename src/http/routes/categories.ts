/** Read-only category routes (public): administrative units with validity dates, and code lists. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AdminUnit } from '../../domain/categories/admin-units.js';
import { CategoryEntry, type CategoryKind } from '../../domain/categories/category-lists.js';
import { FullDate, UnitSet } from '../../domain/citizen/citizen.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { isValidFullDate } from '../../domain/dates/partial-date.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import { Problem } from '../problem.js';

const TAGS = ['categories'];

const LISTS: Record<string, { kind: CategoryKind; operationId: string; summary: string }> = {
  ethnicities: { kind: 'ethnicity', operationId: 'listEthnicities', summary: 'Ethnic groups (dân tộc)' },
  religions: { kind: 'religion', operationId: 'listReligions', summary: 'Religions (tôn giáo)' },
  nationalities: { kind: 'nationality', operationId: 'listNationalities', summary: 'Nationalities (ISO 3166-1 alpha-2)' },
  'blood-groups': { kind: 'bloodGroup', operationId: 'listBloodGroups', summary: 'Blood groups (nhóm máu)' },
  'marital-statuses': { kind: 'maritalStatus', operationId: 'listMaritalStatuses', summary: 'Marital statuses (tình trạng hôn nhân)' },
};

const UnitsQuery = Type.Object(
  {
    unitSet: Type.Optional(UnitSet),
    date: Type.Optional(FullDate),
    parent: Type.Optional(Type.String({ pattern: '^\\d{2,5}$', description: 'Parent unit code; absent = provinces' })),
  },
  { additionalProperties: false },
);

function checkDate(date: string | undefined, fallback: string): string {
  if (date === undefined) return fallback;
  if (!isValidFullDate(date)) throw new RegistryError('INVALID_DATE');
  return date;
}

export function registerCategoryRoutes(root: FastifyInstance, catalogue: CategoryCatalogue, today: () => string): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const open = { public: true } as const;

  for (const [path, list] of Object.entries(LISTS)) {
    app.get(
      `/categories/${path}`,
      { config: open, schema: { operationId: list.operationId, summary: list.summary, tags: TAGS, security: [], response: { 200: Type.Array(CategoryEntry) } } },
      async () => [...catalogue.list(list.kind)],
    );
  }

  app.get(
    '/categories/admin-units',
    {
      config: open,
      schema: {
        operationId: 'listAdminUnits',
        summary: 'Units valid at a date (default today): provinces, or the units below a parent',
        tags: TAGS,
        security: [],
        querystring: UnitsQuery,
        response: { 200: Type.Array(AdminUnit), 400: Problem },
      },
    },
    async (req) => {
      const date = checkDate(req.query.date, today());
      const unitSet = req.query.unitSet ?? (date < '2025-07-01' ? 'pre2025' : '2025');
      return catalogue.children(unitSet, req.query.parent ?? null, date);
    },
  );

  app.get(
    '/categories/admin-units/:unitSet/:code',
    {
      config: open,
      schema: {
        operationId: 'getAdminUnit',
        summary: 'Every version of one unit, with validity dates',
        tags: TAGS,
        security: [],
        params: Type.Object({ unitSet: UnitSet, code: Type.String({ pattern: '^\\d{2,5}$' }) }),
        response: { 200: Type.Array(AdminUnit), 404: Problem },
      },
    },
    async (req) => {
      const history = catalogue.unitHistory(req.params.unitSet, req.params.code);
      if (history.length === 0) throw new RegistryError('ADMIN_UNIT_NOT_FOUND');
      return [...history];
    },
  );
}
