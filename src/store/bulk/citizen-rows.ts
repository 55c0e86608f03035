/**
 * The rows one new citizen occupies across the citizen, history, lookup and card tables; the bulk
 * column lists. Every row of a committed table (LEAF_KINDS) gets its pending leaf of the
 * transparency log in the same batch, so it is written in the same transaction (decision 0028).
 */
import type { Card } from '../../domain/cards/card.js';
import type { Citizen } from '../../domain/citizen/citizen.js';
import type { ChangeRecord } from '../../domain/citizen/history.js';
import { nameKeysOf } from '../../domain/citizen/search-keys.js';
import type { Database } from '../schema.js';
import { citizenToRow, historyToRow, nameKeyToRow } from '../repositories/citizen-rows.js';
import { cardToRow } from '../repositories/cards.js';
import { LEAF_KINDS, leafFor } from '../repositories/transparency-leaves.js';
import type { ResidenceRowSet } from './residence-rows.js';

const RESIDENCE_TABLES = [
  'household', 'household_member', 'household_history', 'residence_registration', 'residence_event', 'stay_notice',
] as const satisfies readonly (keyof ResidenceRowSet)[];

export interface CitizenRowSet {
  citizen: Database['citizen'];
  history: Database['citizen_history'];
  issued: Database['personal_id_issued'];
  nameKeys: Database['citizen_name_key'][];
  legacy?: Database['legacy_id_lookup'];
  phone?: Database['phone_lookup'];
  cards: Database['id_card'][];
  cardHistory: Database['id_card_history'][];
}

/** A card as the bulk loader takes it (the register's fields plus its sequence number). */
export type BulkCard = Card & { seq: number; replacedBySeq?: number };

export function rowSetOf(c: Citizen, change: ChangeRecord, cards: readonly BulkCard[] = []): CitizenRowSet {
  const set: CitizenRowSet = {
    citizen: citizenToRow(c),
    history: historyToRow(c.personalId, c.version, change, {}),
    issued: { personal_id: c.personalId, issued_at: c.createdAt, status: 'active', cancelled_at: null, cancel_reason: null, replaced_by: null },
    nameKeys: nameKeysOf(c).map(nameKeyToRow),
    cards: cards.map((card) => cardToRow({ ...card, version: 1, createdAt: change.at, updatedAt: change.at })),
    cardHistory: cards.map((card) => ({
      personal_id: card.personalId,
      seq: card.seq,
      version: 1,
      recorded_at: change.at,
      actor_id: change.actorId,
      source: change.source,
      change_kind: 'seed',
      reason: change.reason ?? null,
      changes: '{}',
    })),
  };
  if (c.legacyIdNumber) set.legacy = { legacy_id_number: c.legacyIdNumber, personal_id: c.personalId };
  if (c.phone) set.phone = { phone: c.phone, personal_id: c.personalId };
  return set;
}

/** Column order used by both bulk paths (prepared INSERT and COPY). */
export const BULK_COLUMNS = {
  citizen: [
    'personal_id', 'version', 'full_name', 'other_names', 'date_of_birth', 'sex', 'place_of_birth', 'birth_registration_place',
    'hometown', 'ethnicity', 'religion', 'nationality', 'blood_group', 'marital_status', 'legacy_id_number', 'relatives',
    'permanent_residence', 'temporary_residence', 'current_residence', 'date_of_death', 'date_declared_missing', 'phone',
    'email', 'created_at', 'updated_at',
  ],
  citizen_history: ['personal_id', 'version', 'recorded_at', 'actor_id', 'source', 'change_kind', 'reason', 'legal_basis', 'changes'],
  personal_id_issued: ['personal_id', 'issued_at', 'status', 'cancelled_at', 'cancel_reason', 'replaced_by'],
  citizen_name_key: ['name_key', 'birth_year', 'personal_id', 'date_of_birth', 'sex', 'birth_province', 'given_key'],
  legacy_id_lookup: ['legacy_id_number', 'personal_id'],
  phone_lookup: ['phone', 'personal_id'],
  id_card: [
    'personal_id', 'seq', 'card_no', 'generation', 'issue_date', 'issuing_authority', 'expiry_date', 'lost_on', 'revoked_on',
    'revocation_reason', 'replaced_on', 'replaced_by', 'replaced_by_seq', 'version', 'created_at', 'updated_at',
  ],
  id_card_history: ['personal_id', 'seq', 'version', 'recorded_at', 'actor_id', 'source', 'change_kind', 'reason', 'changes'],
  household: ['household_id', 'address', 'head_personal_id', 'version', 'created_at', 'updated_at', 'dissolved_at'],
  household_member: ['household_id', 'personal_id', 'relationship', 'joined_on'],
  household_history: ['household_id', 'version', 'recorded_at', 'actor_id', 'source', 'change_kind', 'reason', 'application_id', 'changes'],
  residence_registration: [
    'personal_id', 'seq', 'kind', 'address', 'household_id', 'relationship', 'start_on', 'valid_until', 'ended_on', 'end_reason',
    'application_id', 'details', 'recorded_at',
  ],
  residence_event: ['personal_id', 'revision', 'recorded_at', 'actor_id', 'kind', 'application_id', 'details'],
  stay_notice: ['personal_id', 'seq', 'address', 'host', 'arrival_at', 'departure_on', 'notified_at', 'on_time', 'application_id'],
  // Pending leaves (idx stays null until the sequencer integrates them).
  tlog_leaf_ref: ['subject_key', 'kind', 'ref', 'leaf_id', 'salt', 'digest'],
} as const satisfies { [T in keyof Database]?: readonly (keyof Database[T])[] };

export type BulkTable = keyof typeof BULK_COLUMNS;

/** How many leading columns of BULK_COLUMNS form each table's primary key. */
const KEY_WIDTH: Record<BulkTable, number> = {
  citizen: 1,
  citizen_history: 2,
  personal_id_issued: 1,
  citizen_name_key: 3,
  legacy_id_lookup: 1,
  phone_lookup: 1,
  id_card: 2,
  id_card_history: 3,
  household: 1,
  household_member: 2,
  household_history: 2,
  residence_registration: 2,
  residence_event: 2,
  stay_notice: 2,
  tlog_leaf_ref: 3,
};

/**
 * Rows of a batch grouped by table, in BULK_COLUMNS order: the citizens' and their residence
 * register's, and a pending leaf for each row of a committed table (`at`: the load's instant, which
 * orders the leaves for the sequencer).
 */
export function tableRowsOf(sets: CitizenRowSet[], residence: ResidenceRowSet | undefined, at: string): Record<BulkTable, unknown[][]> {
  const out: Record<BulkTable, unknown[][]> = {
    citizen: [],
    citizen_history: [],
    personal_id_issued: [],
    citizen_name_key: [],
    legacy_id_lookup: [],
    phone_lookup: [],
    id_card: [],
    id_card_history: [],
    household: [],
    household_member: [],
    household_history: [],
    residence_registration: [],
    residence_event: [],
    stay_notice: [],
    tlog_leaf_ref: [],
  };
  const pick = <T extends BulkTable>(table: T, row: Record<string, unknown>) => {
    out[table].push(BULK_COLUMNS[table].map((c) => row[c as string]));
    if (table in LEAF_KINDS) {
      const l = leafFor(table, row, at);
      out.tlog_leaf_ref.push([l.subjectKey, l.kind, l.ref, l.leafId, l.salt, l.digest]);
    }
  };
  for (const s of sets) {
    pick('citizen', s.citizen as unknown as Record<string, unknown>);
    pick('citizen_history', s.history as unknown as Record<string, unknown>);
    pick('personal_id_issued', s.issued as unknown as Record<string, unknown>);
    for (const k of s.nameKeys) pick('citizen_name_key', k as unknown as Record<string, unknown>);
    if (s.legacy) pick('legacy_id_lookup', s.legacy as unknown as Record<string, unknown>);
    if (s.phone) pick('phone_lookup', s.phone as unknown as Record<string, unknown>);
    for (const card of s.cards) pick('id_card', card as unknown as Record<string, unknown>);
    for (const h of s.cardHistory) pick('id_card_history', h as unknown as Record<string, unknown>);
  }
  if (residence) {
    for (const table of RESIDENCE_TABLES) for (const row of residence[table]) pick(table, row as unknown as Record<string, unknown>);
  }
  // Key order: every table is a B-tree on its key, and sorted inserts touch each page once.
  for (const table of Object.keys(out) as BulkTable[]) {
    const width = KEY_WIDTH[table];
    out[table].sort((a, b) => {
      for (let i = 0; i < width; i++) {
        const x = a[i] as string | number;
        const y = b[i] as string | number;
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });
  }
  return out;
}
