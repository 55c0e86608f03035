/**
 * The residence policy a server runs with (decision 0023): the law's defaults unless configured.
 * Held beside the service context rather than in it, so that contexts built elsewhere (CLI, seed,
 * tests) get the defaults without knowing about it.
 */
import { DEFAULT_RESIDENCE_POLICY, type ResidencePolicy } from '../../domain/residence/policy.js';
import type { ServiceContext } from '../context.js';

const policies = new WeakMap<ServiceContext, ResidencePolicy>();

export function setResidencePolicy(ctx: ServiceContext, policy: ResidencePolicy): void {
  policies.set(ctx, policy);
}

export function residencePolicyOf(ctx: ServiceContext): ResidencePolicy {
  return policies.get(ctx) ?? DEFAULT_RESIDENCE_POLICY;
}
