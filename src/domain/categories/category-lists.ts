/**
 * The small shared category lists (danh mục dùng chung): ethnicity, religion, nationality, blood
 * group, marital status. Each entry is a code with a Vietnamese and an English name and optional
 * alias spellings; the codes' shapes match the CitizenData fields that hold them.
 * Which official numbering the population DB uses is unconfirmed (vn-domain §6); see
 * reference-data/categories/PROVENANCE.md for the choices.
 */
import { Type, type Static, type TString } from '@sinclair/typebox';

export const CATEGORY_KINDS = ['ethnicity', 'religion', 'nationality', 'bloodGroup', 'maritalStatus'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

/** Code shape per list; the same patterns as CitizenData's fields, so a list code always fits a record. */
export const CATEGORY_CODE_PATTERNS: Readonly<Record<CategoryKind, string>> = {
  ethnicity: '^\\d{2}$',
  religion: '^\\d{2}$',
  nationality: '^[A-Z]{2}$',
  bloodGroup: '^\\d{2}$',
  maritalStatus: '^\\d$',
};

function entrySchema(code: TString) {
  return Type.Object(
    {
      code,
      nameVi: Type.String({ minLength: 1, maxLength: 200 }),
      nameEn: Type.String({ minLength: 1, maxLength: 200 }),
      aliases: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
          description: 'Other spellings accepted when matching free text (e.g. "Khmer" for Khơ-me)',
        }),
      ),
    },
    { additionalProperties: false },
  );
}

export const CategoryEntry = entrySchema(Type.String({ minLength: 1, maxLength: 10 }));
export type CategoryEntry = Static<typeof CategoryEntry>;

export const CategoryList = Type.Array(CategoryEntry);
export type CategoryList = Static<typeof CategoryList>;

export const EthnicityList = Type.Array(entrySchema(Type.String({ pattern: CATEGORY_CODE_PATTERNS.ethnicity })));
export type EthnicityList = Static<typeof EthnicityList>;

export const ReligionList = Type.Array(entrySchema(Type.String({ pattern: CATEGORY_CODE_PATTERNS.religion })));
export type ReligionList = Static<typeof ReligionList>;

export const NationalityList = Type.Array(
  entrySchema(Type.String({ pattern: CATEGORY_CODE_PATTERNS.nationality, description: 'ISO 3166-1 alpha-2' })),
);
export type NationalityList = Static<typeof NationalityList>;

export const BloodGroupList = Type.Array(entrySchema(Type.String({ pattern: CATEGORY_CODE_PATTERNS.bloodGroup })));
export type BloodGroupList = Static<typeof BloodGroupList>;

export const MaritalStatusList = Type.Array(
  entrySchema(Type.String({ pattern: CATEGORY_CODE_PATTERNS.maritalStatus })),
);
export type MaritalStatusList = Static<typeof MaritalStatusList>;

/** The schema each list file is checked against when it is loaded. */
export const CATEGORY_LIST_SCHEMAS = {
  ethnicity: EthnicityList,
  religion: ReligionList,
  nationality: NationalityList,
  bloodGroup: BloodGroupList,
  maritalStatus: MaritalStatusList,
} as const;
