/**
 * The residence policy a server runs with (decision 0023): the law's defaults unless configured
 * (DANCU_RESIDENCE_POLICY_FILE). Held beside the service context rather than in it, so that contexts
 * built elsewhere (CLI, seed, tests) get the defaults without knowing about it.
 */
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DEFAULT_RESIDENCE_POLICY, residencePolicyFrom, type ResidencePolicy } from '../../domain/residence/policy.js';
import type { ServiceContext } from '../context.js';

const policies = new WeakMap<ServiceContext, ResidencePolicy>();

export function setResidencePolicy(ctx: ServiceContext, policy: ResidencePolicy): void {
  policies.set(ctx, policy);
}

export function residencePolicyOf(ctx: ServiceContext): ResidencePolicy {
  return policies.get(ctx) ?? DEFAULT_RESIDENCE_POLICY;
}

const PolicyFile = Type.Object(
  {
    minTemporaryStayDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 730 })),
    headMaySplitOff: Type.Optional(Type.Boolean()),
    floorAreaM2ByProvince: Type.Optional(Type.Record(Type.String({ pattern: '^\\d{2}$' }), Type.Number({ exclusiveMinimum: 0, maximum: 1000 }))),
  },
  { additionalProperties: false },
);

/** Reads a policy file: a JSON object with any of the three settings; anything else is refused, naming the file. */
export function loadResidencePolicyFile(path: string): ResidencePolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`DANCU_RESIDENCE_POLICY_FILE ${path}: not a readable JSON file (${(e as Error).message})`);
  }
  const first = [...Value.Errors(PolicyFile, raw)][0];
  if (first) throw new Error(`DANCU_RESIDENCE_POLICY_FILE ${path}: ${first.path || '/'} ${first.message}`);
  try {
    return residencePolicyFrom(raw as Partial<ResidencePolicy>);
  } catch (e) {
    throw new Error(`DANCU_RESIDENCE_POLICY_FILE ${path}: ${(e as Error).message}`);
  }
}
