/**
 * Decisions on what citizens see (decision 0032), taken by inspectors on a competent authority's
 * decision (its reference is required): a requester's default, a hold over one person's entries,
 * a release. Each is a new committed row; nothing is ever edited.
 */
import { randomUUID } from 'node:crypto';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { defaultReleaseId, type Requester } from '../../domain/accountability/visibility.js';
import { findHold, holdsOf, insertDefault, insertHold, insertRelease, releasesOf, visibilityDefaults, type StoredDefault, type StoredHold, type StoredRelease } from '../../store/repositories/citizen-usage.js';
import { numbersOfPerson } from '../../store/repositories/personal-ids.js';
import type { ServiceContext } from '../context.js';
import { isUniqueRaceLost } from '../../store/failures.js';

export interface HoldInput {
  personalId: string;
  requester: Requester;
  from?: string | undefined;
  to?: string | undefined;
  kind: 'delayed' | 'hidden';
  until?: string | undefined;
  decisionRef: string;
}

const iso = (s: string | undefined): string | undefined => (s === undefined ? undefined : new Date(Date.parse(s)).toISOString());

export async function placeHold(ctx: ServiceContext, actorId: string, input: HoldInput): Promise<StoredHold> {
  const from = iso(input.from);
  const to = iso(input.to);
  const until = iso(input.until);
  if ((input.kind === 'delayed') !== (until !== undefined) || (from !== undefined && to !== undefined && from >= to)) throw new RegistryError('HOLD_INVALID');
  const hold: StoredHold = {
    personalId: input.personalId,
    holdId: randomUUID(),
    requester: input.requester,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    kind: input.kind,
    ...(until ? { until } : {}),
    decisionRef: input.decisionRef,
    decidedBy: actorId,
    decidedAt: ctx.clock.now().toISOString(),
  };
  await ctx.store.transaction((tx) => insertHold(tx, hold));
  return hold;
}

/**
 * Releases a person's hold (once), or a requester's hidden default for that person. The hold is
 * found under any of the person's numbers and released under the one it was placed under (where
 * its unique index makes the release once).
 */
export async function release(ctx: ServiceContext, actorId: string, input: { personalId: string; holdId?: string | undefined; requester?: Requester | undefined; decisionRef: string }): Promise<StoredRelease> {
  if ((input.holdId === undefined) === (input.requester === undefined)) throw new RegistryError('RELEASE_TARGET_REQUIRED');
  let rel: StoredRelease = {
    personalId: input.personalId,
    releaseId: randomUUID(),
    holdId: input.holdId ?? defaultReleaseId(input.requester as string),
    releasedAt: ctx.clock.now().toISOString(),
    releasedBy: actorId,
    decisionRef: input.decisionRef,
  };
  try {
    await ctx.store.transaction(async (tx) => {
      if (input.holdId !== undefined) {
        const hold = await findHold(tx, await numbersOfPerson(tx, input.personalId), input.holdId);
        if (!hold) throw new RegistryError('HOLD_NOT_FOUND');
        rel = { ...rel, personalId: hold.personalId };
      }
      await insertRelease(tx, rel);
    });
  } catch (e) {
    if (isUniqueRaceLost(e)) throw new RegistryError('HOLD_ALREADY_RELEASED');
    throw e;
  }
  return rel;
}

/** The holds and releases of a person, under any of their numbers (current and replaced). */
export async function decisionsOf(ctx: ServiceContext, personalId: string): Promise<{ holds: StoredHold[]; releases: StoredRelease[] }> {
  const numbers = await numbersOfPerson(ctx.store.db, personalId);
  const [holds, releases] = await Promise.all([holdsOf(ctx.store.db, numbers), releasesOf(ctx.store.db, numbers)]);
  return { holds, releases };
}

export async function setDefault(ctx: ServiceContext, actorId: string, input: { requester: Requester; kind: 'shown' | 'delayed' | 'hidden'; delayDays?: number | undefined; decisionRef: string }): Promise<StoredDefault> {
  if ((input.kind === 'delayed') !== (input.delayDays !== undefined)) throw new RegistryError('HOLD_INVALID');
  return ctx.store.transaction((tx) =>
    insertDefault(tx, { requester: input.requester, kind: input.kind, ...(input.delayDays !== undefined ? { delayDays: input.delayDays } : {}), decisionRef: input.decisionRef, decidedBy: actorId, decidedAt: ctx.clock.now().toISOString() }),
  );
}

export async function listDefaults(ctx: ServiceContext): Promise<StoredDefault[]> {
  return visibilityDefaults(ctx.store.db);
}
