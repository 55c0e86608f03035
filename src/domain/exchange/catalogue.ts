/**
 * The service catalogue: what an agency's system may call, versioned by year. Each service has the
 * fields it can return (a policy picks a subset), its legal basis and its price per call. The
 * defaults below prepare the first version; the ministry edits a draft and publishes it. Prices are
 * demonstration figures: no published fee table for database exploitation was found (decision 0013).
 */
import { Type, type Static } from '@sinclair/typebox';

export const SERVICE_CODES = [
  'lookupCitizen',
  'authenticateLegacyId',
  'confirmHouseholdHead',
  'getResidenceInformation',
  'getCardStatus',
  'batchLookupCitizens',
  'verifyCitizen',
  // Provider services: telecom operators feed the subscriber register (decision 0039).
  'submitSubscriberLink',
  'importSubscriberLinks',
] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];
export const ServiceCode = Type.Union(SERVICE_CODES.map((c) => Type.Literal(c)));
/** The services through which an agency gives data to the registry rather than receives it. */
export const PROVIDER_SERVICE_CODES: readonly ServiceCode[] = ['submitSubscriberLink', 'importSubscriberLinks'];

/** What the citizen-sharing services can return, by field (a policy names a subset). */
export const CITIZEN_FIELDS = [
  'fullName', 'otherNames', 'dateOfBirth', 'sex', 'placeOfBirth', 'birthRegistrationPlace', 'hometown', 'ethnicity', 'religion',
  'nationality', 'bloodGroup', 'legacyIdNumber', 'maritalStatus', 'lifeStatus', 'dateOfDeath', 'relatives',
  'permanentResidence', 'temporaryResidence', 'currentResidence', 'phone', 'email',
] as const;

export const CatalogueService = Type.Object(
  {
    code: ServiceCode,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 60 }),
    legalBasis: Type.String({ minLength: 1, maxLength: 300 }),
    priceVnd: Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Price per served call, in đồng' }),
    free: Type.Boolean({ description: 'Served without charge to every agency' }),
  },
  { additionalProperties: false },
);
export type CatalogueService = Static<typeof CatalogueService>;

const LAW = 'Luật Căn cước 2023 Điều 10; Nghị định 70/2024/NĐ-CP';

export const DEFAULT_SERVICES: readonly CatalogueService[] = [
  {
    code: 'lookupCitizen', name: 'Chia sẻ thông tin công dân', description: 'The citizen record by personal ID, limited to the fields the policy allows.',
    fields: [...CITIZEN_FIELDS], legalBasis: LAW, priceVnd: 1000, free: false,
  },
  {
    code: 'authenticateLegacyId', name: 'Xác thực số CMND với số định danh cá nhân', description: 'Do this personal ID and this 9-digit CMND number belong to the same person? yes / no / unknown.',
    fields: ['match'], legalBasis: LAW, priceVnd: 300, free: false,
  },
  {
    code: 'confirmHouseholdHead', name: 'Xác nhận chủ hộ', description: 'Is this person the head of the household (given by number or by a member)? yes / no.',
    fields: ['isHead'], legalBasis: `${LAW}; Luật Cư trú 2020`, priceVnd: 300, free: false,
  },
  {
    code: 'getResidenceInformation', name: 'Thông tin về cư trú', description: 'Permanent and temporary residence in force, where the person lives, household and relationship to its head.',
    fields: ['permanentResidence', 'temporaryResidence', 'livesAt', 'householdId', 'relationshipToHead'], legalBasis: `${LAW}; Luật Cư trú 2020`, priceVnd: 800, free: false,
  },
  {
    code: 'getCardStatus', name: 'Tình trạng thẻ căn cước', description: 'The current card: generation, number, issue and expiry dates, status today.',
    fields: ['generation', 'cardNumber', 'issueDate', 'expiryDate', 'status'], legalBasis: `${LAW} Điều 18–21`, priceVnd: 300, free: false,
  },
  {
    code: 'batchLookupCitizens', name: 'Tra cứu theo lô', description: 'Up to 1,000 personal IDs in one call; each found citizen with the allowed fields.',
    fields: [...CITIZEN_FIELDS], legalBasis: LAW, priceVnd: 50_000, free: false,
  },
  {
    code: 'verifyCitizen', name: 'Xác thực thông tin công dân', description: "Per attribute the agency holds, and overall: match (exact), partial (a near miss scoring at least the connection's threshold, default 80, where its policy allows partial matching) or no_match, with a score; no registry data returned.",
    fields: ['fullName', 'dateOfBirth', 'sex', 'nationality', 'legacyIdNumber', 'phone', 'email', 'address'], legalBasis: LAW, priceVnd: 200, free: false,
  },
  {
    code: 'submitSubscriberLink', name: 'Cập nhật thông tin thuê bao di động', description: 'A telecom operator links a mobile number to a citizen, or ends the link (provider service; idempotent by the operator\'s record ID). Telecom operators only.',
    fields: ['outcome', 'number', 'personalId'], legalBasis: `${LAW}; Luật Viễn thông 2023`, priceVnd: 0, free: true,
  },
  {
    code: 'importSubscriberLinks', name: 'Cập nhật thông tin thuê bao theo tệp', description: 'A telecom operator sends links and ends of links as NDJSON or CSV, streamed; resumable by X-Request-Id; answers with a report of accepted and rejected lines. Telecom operators only.',
    fields: ['report'], legalBasis: `${LAW}; Luật Viễn thông 2023`, priceVnd: 0, free: true,
  },
];

export const CatalogueVersionStatus = Type.Union([Type.Literal('draft'), Type.Literal('published')]);
export type CatalogueVersionStatus = Static<typeof CatalogueVersionStatus>;

export interface CatalogueVersion {
  year: number;
  status: CatalogueVersionStatus;
  publishedAt?: string;
  services: CatalogueService[];
}

/** Problems with a draft's services: unknown or repeated codes, fields a service cannot return. */
export function catalogueProblems(services: readonly CatalogueService[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const s of services) {
    if (seen.has(s.code)) out.push(`${s.code}: listed twice`);
    seen.add(s.code);
    const possible = new Set(DEFAULT_SERVICES.find((d) => d.code === s.code)?.fields ?? []);
    for (const f of s.fields) if (!possible.has(f)) out.push(`${s.code}: cannot return ${f}`);
  }
  return out;
}

/** The catalogue in force on a day: the newest published version whose year has begun. */
export function versionInForce<T extends { year: number; status: CatalogueVersionStatus }>(versions: readonly T[], year: number): T | undefined {
  return versions.filter((v) => v.status === 'published' && v.year <= year).sort((a, b) => b.year - a.year)[0];
}
