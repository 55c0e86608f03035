/**
 * A connection's policy: which services, for each the fields (a subset of the service's) and the
 * purposes (administrative procedure codes) it may be used for, a rate limit, a daily quota and
 * optionally the source networks. `checkPolicy` decides a request; `pickFields` cuts a response
 * down to the allowed fields — nothing else leaves.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ErrorCode } from '../errors/codes.js';
import type { CatalogueService } from './catalogue.js';
import { ServiceCode } from './catalogue.js';
import { ipAllowed, isValidCidr } from './network.js';

/** An administrative procedure code (mã thủ tục hành chính, e.g. 1.004222) or another purpose code. */
export const PurposeCode = Type.String({ pattern: '^[0-9A-Za-z._-]{1,20}$' });

export const ServiceGrant = Type.Object(
  {
    service: ServiceCode,
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 60 }),
    purposes: Type.Array(PurposeCode, { minItems: 1, maxItems: 200 }),
    consentRequired: Type.Optional(
      Type.Boolean({
        description:
          "Whether each call needs the data subject's consent (NĐ 70/2024 Art. 10(2); decision 0044). Absent: the agency type's default — required for agencies outside the state, not for state agencies and political organisations. Only verifyCitizen may be set false for an agency outside the state.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ServiceGrant = Static<typeof ServiceGrant>;

/** How verifyCitizen judges near misses for this connection (see demographic-match.ts). */
export const PolicyMatching = Type.Object(
  {
    allowPartial: Type.Optional(
      Type.Boolean({ default: true, description: "Whether a near miss may answer 'partial' (default true); false: only exact agreement counts, anything else is 'no_match'" }),
    ),
    partialThreshold: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, default: 80, description: "Lowest score (1–100) a near miss needs to answer 'partial' rather than 'no_match' (default 80: one typo in a name of 10 letters or more)" }),
    ),
  },
  { additionalProperties: false, description: 'verifyCitizen: partial matching for this connection; absent = defaults' },
);
export type PolicyMatching = Static<typeof PolicyMatching>;

export const Policy = Type.Object(
  {
    grants: Type.Array(ServiceGrant, { maxItems: 20 }),
    ratePerMinute: Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      description: 'Served calls per minute, over a sliding 60 s window (see rate-limit.ts), counted across every server process',
    }),
    dailyQuota: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Served calls per local (Vietnam) day' })),
    allowedNetworks: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 50 })),
    matching: Type.Optional(PolicyMatching),
  },
  { additionalProperties: false },
);
export type Policy = Static<typeof Policy>;

export interface PolicyRequest {
  service: string;
  purpose: string | undefined;
  sourceIp: string;
}

export type PolicyDecision = { allowed: true; grant: ServiceGrant } | { allowed: false; code: ErrorCode };

export function checkPolicy(policy: Policy, r: PolicyRequest): PolicyDecision {
  if (!ipAllowed(r.sourceIp, policy.allowedNetworks)) return { allowed: false, code: 'NETWORK_NOT_ALLOWED' };
  const grant = policy.grants.find((g) => g.service === r.service);
  if (!grant) return { allowed: false, code: 'SERVICE_NOT_ALLOWED' };
  if (!r.purpose) return { allowed: false, code: 'PURPOSE_REQUIRED' };
  if (!grant.purposes.includes(r.purpose)) return { allowed: false, code: 'PURPOSE_NOT_ALLOWED' };
  return { allowed: true, grant };
}

/** Policy problems against the catalogue: unknown services, fields the service cannot return. */
export function policyProblems(policy: Policy, services: readonly CatalogueService[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const g of policy.grants) {
    const s = services.find((x) => x.code === g.service);
    if (!s) out.push(`${g.service}: not in the published catalogue`);
    if (seen.has(g.service)) out.push(`${g.service}: granted twice`);
    seen.add(g.service);
    for (const f of g.fields) if (s && !s.fields.includes(f)) out.push(`${g.service}: ${f} is not a field of the service`);
  }
  for (const n of policy.allowedNetworks ?? []) if (!isValidCidr(n)) out.push(`${n}: not a network (CIDR)`);
  return out;
}

/** Only the allowed fields of a response object, in the order given; absent values stay absent. */
export function pickFields<T extends Record<string, unknown>>(value: T, fields: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (value[f] !== undefined) out[f] = value[f];
  return out as Partial<T>;
}
