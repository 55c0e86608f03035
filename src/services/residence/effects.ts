/**
 * What an approved application does to the register, inside the approval's transaction: household
 * rows and their history, each person's registrations and residence events, and the residence
 * fields of the citizen record, which mirror the open registrations (with a citizen version whose
 * source is the residence database).
 */
import type { Address, Citizen } from '../../domain/citizen/citizen.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { householdIdFor, type Relationship } from '../../domain/residence/household.js';
import type { HouseholdChangeKind } from '../../domain/residence/household-history.js';
import type { EndReason } from '../../domain/residence/procedures.js';
import type { ResidenceRequest } from '../../domain/residence/requests.js';
import { isStayNoticeOnTime } from '../../domain/residence/time-rules.js';
import { coveringNotice } from '../../domain/residence/conditions.js';
import { hostKeyOf, placeKey } from '../../domain/residence/places.js';
import { sameAddress } from '../../domain/residence/rules.js';
import { updateCitizen as writeCitizen } from '../../store/repositories/citizens.js';
import { insertHousehold, updateHousehold, type Household } from '../../store/repositories/households.js';
import {
  insertRegistration, insertStayNotice, listRegistrations, listStayNotices, recordResidenceEvent, updateRegistration, type Registration,
} from '../../store/repositories/residence-registrations.js';
import type { Db } from '../../store/schema.js';
import { getCurrent } from '../citizens/current.js';
import { lockHousehold } from '../../store/locks.js';
import type { Actor, ServiceContext } from '../context.js';
import { currentHousehold, getHousehold, openRegistrations, personState } from './facts.js';

export interface EffectContext {
  tx: Db;
  ctx: ServiceContext;
  actor: Actor;
  applicationId?: string;
  /** Local day the change takes effect, and the instant it is recorded. */
  day: string;
  at: string;
  /** Why, in words: the procedure's name and application number. */
  reason: string;
}

const event = (e: EffectContext, kind: Parameters<typeof recordResidenceEvent>[2]['kind']) => ({
  kind,
  actorId: e.actor.principalId,
  at: e.at,
  ...(e.applicationId ? { applicationId: e.applicationId } : {}),
});

const householdChange = (e: EffectContext, kind: HouseholdChangeKind) => ({
  actorId: e.actor.principalId,
  source: 'residence',
  kind,
  reason: e.reason,
  ...(e.applicationId ? { applicationId: e.applicationId } : {}),
  at: e.at,
});

/**
 * Sets or clears the residence fields of the citizen record (null clears). No client sent a version:
 * the approval holds the citizen's lock (applications.ts), so the version read here cannot move
 * before the write; were it moved, the repository answers 409 CONCURRENT_UPDATE, a lost race, not
 * the 412 of a client's stale If-Match (decision 0024).
 */
export async function mirrorOnCitizen(e: EffectContext, personalId: string, patch: { permanentResidence?: Address | null; temporaryResidence?: Address | null }): Promise<void> {
  const before = await getCurrent(e.tx, personalId);
  const next: Citizen = { ...before };
  for (const key of ['permanentResidence', 'temporaryResidence'] as const) {
    const value = patch[key];
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (JSON.stringify(next) === JSON.stringify(before)) return;
  const after: Citizen = { ...next, version: before.version + 1, updatedAt: e.at };
  await writeCitizen(e.tx, before, after, { actorId: e.actor.principalId, source: 'residence', kind: 'residence', reason: e.reason, legalBasis: 'Luật Cư trú 2020', at: e.at });
}

/** Saves a household change and keeps the members' open permanent registrations in step with it. */
async function saveHousehold(e: EffectContext, before: Household, after: Household, kind: HouseholdChangeKind): Promise<Household> {
  const saved = await updateHousehold(e.tx, before, after, householdChange(e, kind));
  const was = new Map(before.members.map((m) => [m.personalId, m.relationship]));
  for (const m of after.members) {
    const old = was.get(m.personalId);
    if (old !== undefined && old !== m.relationship) {
      const reg = openRegistrations(await listRegistrations(e.tx, m.personalId)).permanent;
      if (reg) await updateRegistration(e.tx, reg, { relationship: m.relationship }, event(e, 'relationship_changed'));
    }
  }
  return saved;
}

/** The household without `personalId`: a leaving head hands over to `newHead`, or leaves the headship vacant. */
function without(e: EffectContext, h: Household, personalId: string, newHead?: string): Household {
  // A new head is named only when the head is the one leaving; anyone else's leaving changes no headship.
  const successor = h.headPersonalId === personalId ? newHead : undefined;
  const members = h.members.filter((m) => m.personalId !== personalId).map((m) => (m.personalId === successor ? { ...m, relationship: 'head' as Relationship } : m));
  const headPersonalId = members.length === 0 ? null : h.headPersonalId === personalId ? (successor ?? null) : h.headPersonalId;
  return { ...h, members, headPersonalId, ...(members.length === 0 ? { dissolvedAt: e.at } : {}) };
}

async function leaveHousehold(e: EffectContext, h: Household, personalId: string, newHead?: string): Promise<void> {
  const after = without(e, h, personalId, newHead);
  await saveHousehold(e, h, after, after.dissolvedAt ? 'dissolved' : 'member_left');
}

async function endRegistration(e: EffectContext, reg: Registration, reason: EndReason, on = e.day): Promise<void> {
  const kind = reg.kind === 'permanent' ? 'permanent_ended' : reg.kind === 'temporary' ? 'temporary_ended' : 'absence_ended';
  await updateRegistration(e.tx, reg, { endedOn: on, endReason: reason }, event(e, kind));
}

const communeOf = (a: Address) => a.unitCode ?? '00000';

function newHouseholdId(e: EffectContext, address: Address): string {
  return householdIdFor(communeOf(address), () => e.ctx.randomInt(32));
}

/**
 * A registration the rules required at approval, gone by the time the effect runs: the approval's
 * locks make it unreachable, but if it happens it is the rule's own 409, never a TypeError (500).
 */
function unreachable(code: 'NO_ACTIVE_TEMPORARY_RESIDENCE' | 'NOT_REGISTERED'): never {
  throw new RegistryError(code);
}

/** Applies an approved application; returns what it did (stored as the application's outcome). */
export async function applyApproved(e: EffectContext, r: ResidenceRequest): Promise<Record<string, unknown>> {
  switch (r.procedure) {
    case 'permanent_registration': {
      const s = await personState(e.tx, r.personalId);
      const current = await currentHousehold(e.tx, s.open);
      if (current) await leaveHousehold(e, current, r.personalId, r.newHeadOfCurrentHousehold);
      if (s.open.permanent) await endRegistration(e, s.open.permanent, 'new_permanent_registration');
      let householdId: string;
      let relationship: Relationship;
      let address: Address;
      if (r.household) {
        const h = await getHousehold(e.tx, r.household.householdId);
        householdId = h.householdId;
        relationship = r.household.relationship;
        address = h.address;
        await saveHousehold(e, h, { ...h, members: [...h.members, { personalId: r.personalId, relationship, joinedOn: e.day }] }, 'member_joined');
      } else {
        address = r.address!;
        householdId = newHouseholdId(e, address);
        relationship = 'head';
        await insertHousehold(
          e.tx,
          { householdId, address, headPersonalId: r.personalId, version: 1, createdAt: e.at, updatedAt: e.at, members: [{ personalId: r.personalId, relationship, joinedOn: e.day }] },
          householdChange(e, 'create'),
        );
      }
      const seq = await insertRegistration(
        e.tx,
        { personalId: r.personalId, kind: 'permanent', address, householdId, relationship, startOn: e.day, recordedAt: e.at, ...(e.applicationId ? { applicationId: e.applicationId } : {}) },
        event(e, 'permanent_registered'),
      );
      const patch: { permanentResidence: Address; temporaryResidence?: null } = { permanentResidence: address };
      if (s.open.temporary && sameAddress(s.open.temporary.address, address)) {
        await endRegistration(e, s.open.temporary, 'permanent_here');
        patch.temporaryResidence = null;
      }
      await mirrorOnCitizen(e, r.personalId, patch);
      return { householdId, relationship, registration: seq };
    }
    case 'temporary_registration': {
      const s = await personState(e.tx, r.personalId);
      if (s.open.temporary) await endRegistration(e, s.open.temporary, 'new_temporary_registration');
      const seq = await insertRegistration(
        e.tx,
        { personalId: r.personalId, kind: 'temporary', address: r.address, startOn: e.day, validUntil: r.validUntil, recordedAt: e.at, ...(e.applicationId ? { applicationId: e.applicationId } : {}) },
        event(e, 'temporary_registered'),
      );
      await mirrorOnCitizen(e, r.personalId, { temporaryResidence: r.address });
      return { registration: seq, validFrom: e.day, validUntil: r.validUntil };
    }
    case 'temporary_extension': {
      const s = await personState(e.tx, r.personalId);
      const reg = s.open.temporary ?? unreachable('NO_ACTIVE_TEMPORARY_RESIDENCE');
      await updateRegistration(e.tx, reg, { validUntil: r.validUntil }, event(e, 'temporary_extended'));
      return { registration: reg.seq, previousValidUntil: reg.validUntil, validUntil: r.validUntil };
    }
    case 'household_split': {
      const h = await getHousehold(e.tx, r.householdId);
      const leaving = new Map(r.members.map((m) => [m.personalId, m.relationship]));
      // A head who left with the group hands the household that stays to the head named for it.
      const stayingHead = h.headPersonalId && leaving.has(h.headPersonalId) ? r.newHeadOfRemainingHousehold ?? null : h.headPersonalId;
      const staying = h.members.filter((m) => !leaving.has(m.personalId)).map((m) => (m.personalId === stayingHead ? { ...m, relationship: 'head' as const } : m));
      await saveHousehold(e, h, { ...h, headPersonalId: stayingHead, members: staying }, 'split');
      const householdId = newHouseholdId(e, h.address);
      await insertHousehold(
        e.tx,
        {
          householdId, address: h.address, headPersonalId: r.newHeadPersonalId, version: 1, createdAt: e.at, updatedAt: e.at,
          members: r.members.map((m) => ({ personalId: m.personalId, relationship: m.relationship, joinedOn: e.day })),
        },
        householdChange(e, 'split'),
      );
      for (const m of r.members) {
        const reg = openRegistrations(await listRegistrations(e.tx, m.personalId)).permanent;
        if (reg) await updateRegistration(e.tx, reg, { householdId, relationship: m.relationship }, event(e, 'household_changed'));
      }
      return { householdId, from: h.householdId };
    }
    case 'deregistration': {
      const s = await personState(e.tx, r.personalId);
      const reg = (r.kind === 'permanent' ? s.open.permanent : s.open.temporary) ?? unreachable('NOT_REGISTERED');
      await endRegistration(e, reg, r.reason);
      if (r.kind === 'permanent') {
        const h = await currentHousehold(e.tx, s.open);
        if (h) await leaveHousehold(e, h, r.personalId, r.newHeadPersonalId);
        await mirrorOnCitizen(e, r.personalId, { permanentResidence: null });
      } else await mirrorOnCitizen(e, r.personalId, { temporaryResidence: null });
      return { registration: reg.seq, endedOn: e.day, reason: r.reason };
    }
    case 'information_adjustment':
      return adjust(e, r);
    case 'stay_notice': {
      // Art. 30: a close relative's notice for repeated stays covers the later stays with that host there.
      const earlier = (await listStayNotices(e.tx, r.personalId)).map((n) => ({
        seq: n.seq, placeKey: placeKey(n.address), hostKey: hostKeyOf(n.host), repeated: n.host.repeated === true,
        ...(n.host.closeRelative ? { closeRelative: n.host.closeRelative } : {}),
      }));
      const covered = coveringNotice(earlier, { placeKey: placeKey(r.address), hostKey: hostKeyOf(r.host) });
      const onTime = covered !== undefined || isStayNoticeOnTime(r.arrivalAt, e.at);
      const host = { ...r.host, ...(r.closeRelative ? { closeRelative: r.closeRelative } : {}), ...(r.repeated ? { repeated: true } : {}) };
      const seq = await insertStayNotice(e.tx, {
        personalId: r.personalId, address: r.address, host, arrivalAt: r.arrivalAt, departureOn: r.departureOn,
        notifiedAt: e.at, onTime, ...(e.applicationId ? { applicationId: e.applicationId } : {}),
      });
      return { stayNotice: seq, onTime, ...(covered ? { coveredByNotice: covered.seq } : {}) };
    }
    case 'absence_declaration': {
      const s = await personState(e.tx, r.personalId);
      if (s.open.absence) await endRegistration(e, s.open.absence, 'absence_ended');
      const from = s.open.permanent ?? s.open.temporary ?? unreachable('NOT_REGISTERED');
      const seq = await insertRegistration(
        e.tx,
        {
          personalId: r.personalId, kind: 'absence', address: from.address, startOn: r.from, validUntil: r.until, recordedAt: e.at,
          details: { ground: r.ground, ...(r.destination ? { destination: r.destination } : {}), ...(r.authorityConsent ? { authorityConsent: r.authorityConsent } : {}) },
          ...(e.applicationId ? { applicationId: e.applicationId } : {}),
        },
        event(e, 'absence_declared'),
      );
      return { registration: seq, from: r.from, until: r.until };
    }
  }
}

async function adjust(e: EffectContext, r: Extract<ResidenceRequest, { procedure: 'information_adjustment' }>): Promise<Record<string, unknown>> {
  const h = await getHousehold(e.tx, r.householdId);
  const a = r.adjustment;
  switch (a.kind) {
    case 'change_head': {
      const rel = new Map(a.relationships.map((x) => [x.personalId, x.relationship]));
      const members = h.members.map((m) => ({ ...m, relationship: m.personalId === a.newHeadPersonalId ? ('head' as Relationship) : (rel.get(m.personalId) ?? m.relationship) }));
      await saveHousehold(e, h, { ...h, headPersonalId: a.newHeadPersonalId, members }, 'head_changed');
      return { householdId: h.householdId, headPersonalId: a.newHeadPersonalId };
    }
    case 'change_relationship': {
      const members = h.members.map((m) => (m.personalId === a.personalId ? { ...m, relationship: a.relationship } : m));
      await saveHousehold(e, h, { ...h, members }, 'relationship_changed');
      return { householdId: h.householdId, personalId: a.personalId, relationship: a.relationship };
    }
    case 'identity_data': {
      // The residence file refers to the citizen record by personal ID, so the data is already
      // current; the adjustment is recorded for the household and the person (it lapses CT07s).
      await updateHousehold(e.tx, h, h, { ...householdChange(e, 'identity_data_adjusted'), reason: `${e.reason}: ${a.fields.join(', ')}` });
      await recordResidenceEvent(e.tx, a.personalId, { ...event(e, 'identity_data_adjusted'), details: { householdId: h.householdId, fields: a.fields } });
      return { householdId: h.householdId, personalId: a.personalId, fields: a.fields };
    }
    case 'rename_address': {
      await saveHousehold(e, h, { ...h, address: a.address }, 'address_renamed');
      // Registrations keep the address as registered: the old one ends, a new one continues it.
      for (const m of h.members) {
        const reg = openRegistrations(await listRegistrations(e.tx, m.personalId)).permanent;
        if (!reg) continue;
        await endRegistration(e, reg, 'address_renamed');
        await insertRegistration(
          e.tx,
          { personalId: m.personalId, kind: 'permanent', address: a.address, householdId: h.householdId, relationship: m.relationship, startOn: e.day, recordedAt: e.at, details: { continues: reg.seq }, ...(e.applicationId ? { applicationId: e.applicationId } : {}) },
          event(e, 'address_renamed'),
        );
        await mirrorOnCitizen(e, m.personalId, { permanentResidence: a.address });
      }
      return { householdId: h.householdId, address: a.address };
    }
  }
}

/**
 * Recording a death (registry core) deregisters permanent and temporary residence and ends any
 * absence declaration, in the death's own transaction; a head's death leaves the headship vacant.
 * Returns the open registrations ended, so the caller can clear the record's residence fields.
 */
export async function deregisterDeceased(e: EffectContext, personalId: string, deathDay: string): Promise<number> {
  const open = openRegistrations(await listRegistrations(e.tx, personalId));
  // The caller holds the citizen, so the open registration names the household for good: locked
  // before it is read (citizen, then household: decision 0024), an approval writing it meanwhile
  // is waited for, not a 409 on the household's version.
  if (open.permanent?.householdId) await lockHousehold(e.tx, open.permanent.householdId);
  const h = await currentHousehold(e.tx, open);
  let ended = 0;
  for (const reg of [open.permanent, open.temporary, open.absence]) {
    if (!reg) continue;
    await endRegistration(e, reg, reg.kind === 'absence' ? 'absence_ended' : 'death', deathDay < reg.startOn ? reg.startOn : deathDay);
    ended++;
  }
  if (h) await leaveHousehold(e, h, personalId);
  return ended;
}

