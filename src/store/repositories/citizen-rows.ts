/** Mapping between the citizen record and its row; JSON text for structured fields, null for absent. */
import type { Address, Citizen, Relative } from '../../domain/citizen/citizen.js';
import type { CitizenTable, CitizenHistoryTable, CitizenNameKeyTable } from '../schema.js';
import type { NameKey } from '../../domain/citizen/search-keys.js';
import type { ChangeRecord, Changes, HistoryEntry } from '../../domain/citizen/history.js';

const json = (v: unknown): string => JSON.stringify(v);
const jsonOrNull = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export function citizenToRow(c: Citizen): CitizenTable {
  return {
    personal_id: c.personalId,
    version: c.version,
    full_name: c.fullName,
    other_names: json(c.otherNames),
    date_of_birth: c.dateOfBirth,
    sex: c.sex,
    place_of_birth: json(c.placeOfBirth),
    birth_registration_place: json(c.birthRegistrationPlace),
    hometown: json(c.hometown),
    ethnicity: c.ethnicity,
    religion: c.religion,
    nationality: c.nationality,
    blood_group: c.bloodGroup,
    marital_status: c.maritalStatus,
    legacy_id_number: c.legacyIdNumber ?? null,
    relatives: json(c.relatives),
    permanent_residence: jsonOrNull(c.permanentResidence),
    temporary_residence: jsonOrNull(c.temporaryResidence),
    current_residence: jsonOrNull(c.currentResidence),
    date_of_death: c.dateOfDeath ?? null,
    date_declared_missing: c.dateDeclaredMissing ?? null,
    phone: c.phone ?? null,
    email: c.email ?? null,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function rowToCitizen(r: CitizenTable): Citizen {
  const c: Citizen = {
    personalId: r.personal_id,
    version: Number(r.version),
    fullName: r.full_name,
    otherNames: JSON.parse(r.other_names) as string[],
    dateOfBirth: r.date_of_birth,
    sex: r.sex as Citizen['sex'],
    placeOfBirth: JSON.parse(r.place_of_birth) as Address,
    birthRegistrationPlace: JSON.parse(r.birth_registration_place) as Address,
    hometown: JSON.parse(r.hometown) as Address,
    ethnicity: r.ethnicity,
    religion: r.religion,
    nationality: r.nationality,
    bloodGroup: r.blood_group,
    maritalStatus: r.marital_status,
    relatives: JSON.parse(r.relatives) as Relative[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.legacy_id_number !== null) c.legacyIdNumber = r.legacy_id_number;
  if (r.permanent_residence !== null) c.permanentResidence = JSON.parse(r.permanent_residence) as Address;
  if (r.temporary_residence !== null) c.temporaryResidence = JSON.parse(r.temporary_residence) as Address;
  if (r.current_residence !== null) c.currentResidence = JSON.parse(r.current_residence) as Address;
  if (r.date_of_death !== null) c.dateOfDeath = r.date_of_death;
  if (r.date_declared_missing !== null) c.dateDeclaredMissing = r.date_declared_missing;
  if (r.phone !== null) c.phone = r.phone;
  if (r.email !== null) c.email = r.email;
  return c;
}

export function historyToRow(personalId: string, version: number, change: ChangeRecord, changes: Changes): CitizenHistoryTable {
  return {
    personal_id: personalId,
    version,
    recorded_at: change.at,
    actor_id: change.actorId,
    source: change.source,
    change_kind: change.kind,
    reason: change.reason ?? null,
    legal_basis: change.legalBasis ?? null,
    changes: JSON.stringify(changes),
  };
}

export function rowToHistory(r: CitizenHistoryTable): HistoryEntry {
  const h: HistoryEntry = {
    personalId: r.personal_id,
    version: Number(r.version),
    recordedAt: r.recorded_at,
    actorId: r.actor_id,
    source: r.source as HistoryEntry['source'],
    kind: r.change_kind as HistoryEntry['kind'],
    changes: JSON.parse(r.changes) as Changes,
  };
  if (r.reason !== null) h.reason = r.reason;
  if (r.legal_basis !== null) h.legalBasis = r.legal_basis;
  return h;
}

export function nameKeyToRow(k: NameKey): CitizenNameKeyTable {
  return {
    name_key: k.nameKey,
    given_key: k.givenKey,
    birth_year: k.birthYear,
    personal_id: k.personalId,
    date_of_birth: k.dateOfBirth,
    sex: k.sex,
    birth_province: k.birthProvince,
  };
}
