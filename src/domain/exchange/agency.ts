/**
 * Agencies that connect to the registry, their focal points (published in the directory with the
 * statement of what data the agency is ready to share), and the connection requests of their
 * systems. Vocabulary: DESIGN §6 (cơ quan khai thác = agency, cán bộ đầu mối = focal point).
 */
import { Type, type Static } from '@sinclair/typebox';

export const AGENCY_TYPES = {
  state_agency: 'Cơ quan nhà nước',
  political_organisation: 'Tổ chức chính trị, tổ chức chính trị - xã hội',
  credit_institution: 'Tổ chức tín dụng',
  telecom_operator: 'Doanh nghiệp viễn thông',
  digital_signature_provider: 'Tổ chức cung cấp dịch vụ chứng thực chữ ký số',
  eid_provider: 'Tổ chức cung cấp dịch vụ xác thực điện tử',
  notary: 'Tổ chức hành nghề công chứng',
  bailiff: 'Văn phòng thừa phát lại',
  public_service_organisation: 'Tổ chức cung cấp dịch vụ công khác',
} as const;
export type AgencyType = keyof typeof AGENCY_TYPES;
export const AgencyType = Type.Union((Object.keys(AGENCY_TYPES) as AgencyType[]).map((t) => Type.Literal(t)));

export const AgencyCode = Type.String({ pattern: '^[A-Z0-9][A-Z0-9._-]{1,34}$', description: 'Agency code (mã đơn vị, up to 35 characters)' });

export const FocalPoint = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    position: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.String({ pattern: '^\\+?[0-9 .-]{8,20}$' }),
    email: Type.String({ format: 'email', maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type FocalPoint = Static<typeof FocalPoint>;

export const AgencyInput = Type.Object(
  {
    code: AgencyCode,
    name: Type.String({ minLength: 1, maxLength: 300 }),
    type: AgencyType,
    stateBudgetFunded: Type.Boolean(),
    dataOffer: Type.Optional(Type.String({ maxLength: 2000, description: 'What data the agency is ready to share (published in the directory)' })),
    focalPoints: Type.Array(FocalPoint, { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
);
export type AgencyInput = Static<typeof AgencyInput>;

export interface Agency extends AgencyInput {
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A public JSON Web Key Set the agency signs its client assertions with (RFC 7517). */
export const Jwks = Type.Object(
  { keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 5 }) },
  { description: 'Public keys only (kty, crv/n/e/x/y, kid, alg)' },
);
export type Jwks = Static<typeof Jwks>;

/** Private members of a JWK: a JWKS that carries any of them is refused, never stored. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'] as const;

export function jwksProblems(jwks: Jwks): string[] {
  const out: string[] = [];
  const kids = new Set<string>();
  jwks.keys.forEach((k, i) => {
    if (typeof k.kty !== 'string') out.push(`keys/${i}: kty missing`);
    if (typeof k.kid !== 'string' || k.kid === '') out.push(`keys/${i}: kid missing`);
    else if (kids.has(k.kid)) out.push(`keys/${i}: kid ${k.kid} repeated`);
    else kids.add(k.kid);
    for (const m of PRIVATE_JWK_MEMBERS) if (m in k) out.push(`keys/${i}: private member "${m}" — send public keys only`);
    if (k.kty === 'oct') out.push(`keys/${i}: symmetric keys are not accepted`);
  });
  return out;
}
