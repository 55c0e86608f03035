/**
 * The questions other systems ask of the residence register: where a person lives now, their
 * residence history, their household, and whether someone is a household head. Statuses are read
 * from the clock (an expired temporary registration is expired because of today's date). Addresses
 * are shown as registered (names valid then) and as they read today across the 2025 reform.
 */
import type { Address } from '../../domain/citizen/citizen.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { RELATIONSHIP_CODES, RELATIONSHIPS, type Relationship } from '../../domain/residence/household.js';
import { DEREGISTRATION_REASONS, type EndReason } from '../../domain/residence/procedures.js';
import { temporaryResidenceStatus } from '../../domain/residence/time-rules.js';
import { localDay } from '../../domain/residence/working-days.js';
import { findCitizens } from '../../store/repositories/citizens.js';
import { listHouseholdHistory, type Household, type HouseholdHistoryEntry } from '../../store/repositories/households.js';
import { listRegistrations, listResidenceEvents, listStayNotices, type Registration, type ResidenceEvent, type StayNotice } from '../../store/repositories/residence-registrations.js';
import type { CategoryCatalogue } from '../categories.js';
import type { ServiceContext } from '../context.js';
import { getCitizen } from '../citizens/read.js';
import { getHousehold, openRegistrations } from './facts.js';

/** The current personal ID of a person asked for by this or an earlier (cancelled) number. */
async function resolvePersonalId(ctx: ServiceContext, personalId: string): Promise<{ personalId: string; resolvedFrom?: string[] }> {
  const { citizen, resolvedFrom } = await getCitizen(ctx, personalId);
  return { personalId: citizen.personalId, ...(resolvedFrom ? { resolvedFrom } : {}) };
}

export interface PlaceView {
  address: Address;
  /** With the unit names valid on the day it was registered. */
  asRegistered: string;
  /** As it reads today; after the 2025 reform an old commune maps to its successor, or says it was split. */
  today: { text: string; mapped: 'none' | 'one' | 'split' | 'unknown'; candidates?: { code: string; fullName: string }[] };
}

export function placeView(catalogue: CategoryCatalogue, address: Address, since: string, today: string): PlaceView {
  const p = catalogue.present(address, today);
  return {
    address,
    asRegistered: catalogue.formatAddress(address, since).text,
    today: { text: p.text, mapped: p.mapped, ...(p.mapped === 'split' ? { candidates: p.candidates.map((c) => ({ code: c.code, fullName: c.fullName })) } : {}) },
  };
}

export type RegistrationStatus = 'active' | 'expired' | 'ended' | 'not_yet_valid';

export interface RegistrationView {
  seq: number;
  kind: Registration['kind'];
  kindName: string;
  status: RegistrationStatus;
  place: PlaceView;
  startOn: string;
  validUntil?: string;
  endedOn?: string;
  endReason?: EndReason;
  endReasonName?: string;
  householdId?: string;
  relationship?: Relationship;
  relationshipName?: string;
  applicationId?: string;
  details?: Record<string, unknown>;
}

const KIND_NAMES = { permanent: 'Thường trú', temporary: 'Tạm trú', absence: 'Tạm vắng' } as const;
const OTHER_END_REASONS: Record<string, string> = {
  new_permanent_registration: 'Đăng ký thường trú tại nơi ở mới',
  new_temporary_registration: 'Đăng ký tạm trú tại nơi ở mới',
  address_renamed: 'Điều chỉnh địa chỉ (thay đổi tên địa danh)',
  absence_ended: 'Kết thúc tạm vắng',
};

export function registrationStatus(r: Registration, day: string): RegistrationStatus {
  if (r.endedOn && r.endedOn <= day) return 'ended';
  if (r.validUntil) {
    const s = temporaryResidenceStatus({ start: r.startOn, end: r.validUntil }, day);
    return s === 'deregistered' ? 'ended' : s;
  }
  return r.startOn > day ? 'not_yet_valid' : 'active';
}

export function registrationView(catalogue: CategoryCatalogue, r: Registration, today: string): RegistrationView {
  return {
    seq: r.seq,
    kind: r.kind,
    kindName: KIND_NAMES[r.kind],
    status: registrationStatus(r, today),
    place: placeView(catalogue, r.address, r.startOn, today),
    startOn: r.startOn,
    ...(r.validUntil ? { validUntil: r.validUntil } : {}),
    ...(r.endedOn ? { endedOn: r.endedOn } : {}),
    ...(r.endReason ? { endReason: r.endReason, endReasonName: (DEREGISTRATION_REASONS as Record<string, { vi: string }>)[r.endReason]?.vi ?? OTHER_END_REASONS[r.endReason] ?? r.endReason } : {}),
    ...(r.householdId ? { householdId: r.householdId } : {}),
    ...(r.relationship ? { relationship: r.relationship, relationshipName: RELATIONSHIPS[r.relationship].vi } : {}),
    ...(r.applicationId ? { applicationId: r.applicationId } : {}),
    ...(r.details ? { details: r.details } : {}),
  };
}

export interface CurrentResidence {
  personalId: string;
  resolvedFrom?: string[];
  asOf: string;
  permanent?: RegistrationView;
  /** The temporary registration in force today; an expired one is listed under `expiredTemporary`. */
  temporary?: RegistrationView;
  expiredTemporary?: RegistrationView;
  absence?: RegistrationView;
  /** Where the person lives now: the temporary residence in force, else the permanent one. */
  livesAt?: PlaceView & { basis: 'temporary' | 'permanent' };
  household?: { householdId: string; relationship: Relationship; relationshipName: string };
}

export async function getCurrentResidence(ctx: ServiceContext, catalogue: CategoryCatalogue, personalId: string): Promise<CurrentResidence> {
  const { personalId: id, resolvedFrom } = await resolvePersonalId(ctx, personalId);
  const today = localDay(ctx.clock.now().toISOString());
  const open = openRegistrations(await listRegistrations(ctx.store.db, id));
  const out: CurrentResidence = { personalId: id, ...(resolvedFrom ? { resolvedFrom } : {}), asOf: today };
  if (open.permanent) out.permanent = registrationView(catalogue, open.permanent, today);
  if (open.temporary) {
    const v = registrationView(catalogue, open.temporary, today);
    if (v.status === 'active') out.temporary = v;
    else out.expiredTemporary = v;
  }
  if (open.absence && registrationStatus(open.absence, today) === 'active') out.absence = registrationView(catalogue, open.absence, today);
  const lives = out.temporary ?? out.permanent;
  if (lives) out.livesAt = { ...lives.place, basis: lives === out.temporary ? 'temporary' : 'permanent' };
  if (open.permanent?.householdId && open.permanent.relationship) {
    out.household = { householdId: open.permanent.householdId, relationship: open.permanent.relationship, relationshipName: RELATIONSHIPS[open.permanent.relationship].vi };
  }
  return out;
}

export interface ResidenceHistory {
  personalId: string;
  resolvedFrom?: string[];
  registrations: RegistrationView[];
  stayNotices: (Omit<StayNotice, 'address'> & { place: PlaceView })[];
  events: ResidenceEvent[];
}

export async function getResidenceHistory(ctx: ServiceContext, catalogue: CategoryCatalogue, personalId: string): Promise<ResidenceHistory> {
  const { personalId: id, resolvedFrom } = await resolvePersonalId(ctx, personalId);
  const today = localDay(ctx.clock.now().toISOString());
  const [regs, stays, events] = await Promise.all([listRegistrations(ctx.store.db, id), listStayNotices(ctx.store.db, id), listResidenceEvents(ctx.store.db, id)]);
  return {
    personalId: id,
    ...(resolvedFrom ? { resolvedFrom } : {}),
    registrations: regs.map((r) => registrationView(catalogue, r, today)),
    stayNotices: stays.map(({ address, ...s }) => ({ ...s, place: placeView(catalogue, address, localDay(s.arrivalAt), today) })),
    events,
  };
}

export interface HouseholdView {
  householdId: string;
  residenceFileNumber: string;
  place: PlaceView;
  headPersonalId: string | null;
  dissolvedAt?: string;
  version: number;
  members: { personalId: string; fullName: string; dateOfBirth: string; relationship: Relationship; relationshipName: string; joinedOn: string }[];
}

export async function householdView(ctx: ServiceContext, catalogue: CategoryCatalogue, h: Household): Promise<HouseholdView> {
  const today = localDay(ctx.clock.now().toISOString());
  const people = new Map((await findCitizens(ctx.store.db, h.members.map((m) => m.personalId))).map((c) => [c.personalId, c]));
  return {
    householdId: h.householdId,
    residenceFileNumber: h.householdId,
    place: placeView(catalogue, h.address, h.createdAt.slice(0, 10), today),
    headPersonalId: h.headPersonalId,
    ...(h.dissolvedAt ? { dissolvedAt: h.dissolvedAt } : {}),
    version: h.version,
    // Read like the paper household book: the head, then by relationship (spouse, children, ...), then seniority.
    members: [...h.members].sort((a, b) => RELATIONSHIP_CODES.indexOf(a.relationship) - RELATIONSHIP_CODES.indexOf(b.relationship) || a.joinedOn.localeCompare(b.joinedOn) || a.personalId.localeCompare(b.personalId)).map((m) => ({
      personalId: m.personalId,
      fullName: people.get(m.personalId)?.fullName ?? '',
      dateOfBirth: people.get(m.personalId)?.dateOfBirth ?? '',
      relationship: m.relationship,
      relationshipName: RELATIONSHIPS[m.relationship].vi,
      joinedOn: m.joinedOn,
    })),
  };
}

/** The household of a person (through their permanent registration), or a household by its number. */
export async function getHouseholdOf(ctx: ServiceContext, catalogue: CategoryCatalogue, by: { personalId: string } | { householdId: string }): Promise<HouseholdView> {
  if ('householdId' in by) return householdView(ctx, catalogue, await getHousehold(ctx.store.db, by.householdId));
  const { personalId } = await resolvePersonalId(ctx, by.personalId);
  const id = openRegistrations(await listRegistrations(ctx.store.db, personalId)).permanent?.householdId;
  if (!id) throw new RegistryError('NOT_IN_A_HOUSEHOLD');
  return householdView(ctx, catalogue, await getHousehold(ctx.store.db, id));
}

export async function getHouseholdHistory(ctx: ServiceContext, householdId: string): Promise<HouseholdHistoryEntry[]> {
  await getHousehold(ctx.store.db, householdId);
  return listHouseholdHistory(ctx.store.db, householdId);
}

/**
 * Is `personalId` the head of household `householdId`, or of the household of `memberPersonalId`?
 * Answers yes or no and nothing more: the exchange service built on it shares no other data.
 */
export async function confirmHouseholdHead(
  ctx: ServiceContext,
  q: { personalId: string; householdId?: string; memberPersonalId?: string },
): Promise<{ personalId: string; isHead: boolean; householdId?: string }> {
  let householdId = q.householdId;
  if (!householdId && q.memberPersonalId) {
    const { personalId: member } = await resolvePersonalId(ctx, q.memberPersonalId);
    householdId = openRegistrations(await listRegistrations(ctx.store.db, member)).permanent?.householdId;
    if (!householdId) throw new RegistryError('NOT_IN_A_HOUSEHOLD');
  }
  if (!householdId) throw new RegistryError('VALIDATION_FAILED', { detail: 'Give householdId or memberPersonalId' });
  const h = await getHousehold(ctx.store.db, householdId);
  const { personalId } = await resolvePersonalId(ctx, q.personalId);
  return { personalId: q.personalId, isHead: !h.dissolvedAt && h.headPersonalId === personalId, householdId };
}
