/**
 * Pending leaves of the transparency log (decision 0027): every committed row of a kind listed in
 * LEAF_KINDS gets, in the same transaction, a `tlog_leaf_ref` row keyed like it — the row's key, its
 * table, the rest of its key — holding a random salt and the digest of the row's columns. The
 * sequencer later gives each pending leaf its index in the tree. Nothing can be committed without
 * its leaf, and a hot path still touches one key.
 *
 * LEAF_KINDS is the one list of what is committed and how a row is named and digested: writers use
 * it here, and the audit verifier reads the tables back through it.
 */
import { CompiledQuery } from 'kysely';
import { formatLeafData, newSalt, rowDigest, type LeafData } from '../../transparency/leaf.js';
import type { Db } from '../schema.js';
import { isSqlite } from '../dialect.js';
import { preparedWrite } from '../fast-read.js';
import { setInsert } from '../set-insert.js';
import { timeOrderedIds } from '../time-ordered-ids.js';

export interface LeafKind {
  /** The table the rows live in (the kind's name is the table's name). */
  table: string;
  /** The column whose value keys the row (a personal ID, household ID, connection ID, …). */
  keyColumn: string;
  /** The rest of the row's primary key, joined with '/' into the leaf's ref. */
  refColumns: readonly string[];
  /** Every column the digest covers, in this order (the whole row). */
  columns: readonly string[];
}

/** Committed tables. Writers of other kinds add themselves here (see the audit verifier). */
export const LEAF_KINDS: Record<string, LeafKind> = {
  access_entry: {
    table: 'access_entry',
    keyColumn: 'subject_key',
    refColumns: ['entry_id'],
    columns: [
      'subject_key', 'entry_id', 'at', 'caller_kind', 'principal_id', 'role', 'unit', 'agency_code', 'connection_id', 'officer_id', 'channel',
      'action', 'purpose', 'fields', 'outcome', 'error_code', 'http_status', 'request_id', 'source_ip', 'latency_ms', 'fee_vnd',
      'catalogue_year', 'test_stage', 'primary_row', 'subject_count', 'personal_ids',
    ],
  },
  principal_event: {
    table: 'principal_event',
    keyColumn: 'principal_id',
    refColumns: ['seq'],
    columns: ['principal_id', 'seq', 'at', 'actor_id', 'kind', 'details'],
  },
  // Change records (decision 0028). Each is written once and never updated; a re-issue of a personal
  // ID moves rows to the new number with new leaves (see moveCitizen for how the old leaves read).
  citizen_history: {
    table: 'citizen_history',
    keyColumn: 'personal_id',
    refColumns: ['version'],
    columns: ['personal_id', 'version', 'recorded_at', 'actor_id', 'source', 'change_kind', 'reason', 'legal_basis', 'changes'],
  },
  household_history: {
    table: 'household_history',
    keyColumn: 'household_id',
    refColumns: ['version'],
    columns: ['household_id', 'version', 'recorded_at', 'actor_id', 'source', 'change_kind', 'reason', 'application_id', 'changes'],
  },
  residence_event: {
    table: 'residence_event',
    keyColumn: 'personal_id',
    refColumns: ['revision'],
    columns: ['personal_id', 'revision', 'recorded_at', 'actor_id', 'kind', 'application_id', 'details'],
  },
  stay_notice: {
    table: 'stay_notice',
    keyColumn: 'personal_id',
    refColumns: ['seq'],
    columns: ['personal_id', 'seq', 'address', 'host', 'arrival_at', 'departure_on', 'notified_at', 'on_time', 'application_id'],
  },
  id_card_history: {
    table: 'id_card_history',
    keyColumn: 'personal_id',
    refColumns: ['seq', 'version'],
    columns: ['personal_id', 'seq', 'version', 'recorded_at', 'actor_id', 'source', 'change_kind', 'reason', 'changes'],
  },
  // Issued certificates, residence confirmations (CT07) among them. revoked_at is committed as null:
  // a revocation must be recorded as a new row of its own, never by updating this one.
  certificate: {
    table: 'certificate',
    keyColumn: 'personal_id',
    refColumns: ['number'],
    columns: ['personal_id', 'number', 'kind', 'issued_at', 'issued_by', 'content', 'statement', 'key_id', 'revoked_at'],
  },
  connection_event: {
    table: 'connection_event',
    keyColumn: 'connection_id',
    refColumns: ['seq'],
    columns: ['connection_id', 'seq', 'at', 'actor_id', 'kind', 'from_state', 'to_state', 'reason', 'details'],
  },
  // Committed when published (a draft still changes; a published version never does); keyed by its year.
  catalogue_version: {
    table: 'catalogue_version',
    keyColumn: 'year',
    refColumns: ['year'],
    columns: ['year', 'status', 'services', 'published_at', 'updated_at'],
  },
  // What citizens see (decision 0032): visibility decisions and grievances, each written once.
  visibility_default: {
    table: 'visibility_default',
    keyColumn: 'requester',
    refColumns: ['seq'],
    columns: ['requester', 'seq', 'kind', 'delay_days', 'decision_ref', 'decided_by', 'decided_at'],
  },
  visibility_hold: {
    table: 'visibility_hold',
    keyColumn: 'personal_id',
    refColumns: ['hold_id'],
    columns: ['personal_id', 'hold_id', 'requester', 'period_from', 'period_to', 'kind', 'until', 'decision_ref', 'decided_by', 'decided_at'],
  },
  visibility_release: {
    table: 'visibility_release',
    keyColumn: 'personal_id',
    refColumns: ['release_id'],
    columns: ['personal_id', 'release_id', 'hold_id', 'released_at', 'released_by', 'decision_ref'],
  },
  grievance: {
    table: 'grievance',
    keyColumn: 'personal_id',
    refColumns: ['grievance_id'],
    columns: ['personal_id', 'grievance_id', 'entry_id', 'opened_at', 'opened_by', 'text'],
  },
  grievance_event: {
    table: 'grievance_event',
    keyColumn: 'personal_id',
    refColumns: ['grievance_id', 'seq'],
    columns: ['personal_id', 'grievance_id', 'seq', 'at', 'actor_id', 'kind', 'text'],
  },
  // Written requests (decision 0040): every step — received, consent, decision — written once.
  written_request_event: {
    table: 'written_request_event',
    keyColumn: 'personal_id',
    refColumns: ['request_id', 'seq'],
    columns: ['personal_id', 'request_id', 'seq', 'at', 'actor_id', 'kind', 'channel', 'details'],
  },
  // Consent to agencies outside the state (decision 0044): every decision on a request, written once,
  // and each served call a consent allowed (the citizen sees which consent was used).
  consent_event: {
    table: 'consent_event',
    keyColumn: 'personal_id',
    refColumns: ['consent_id', 'seq'],
    columns: ['personal_id', 'consent_id', 'seq', 'at', 'actor_id', 'kind', 'channel', 'details'],
  },
  consent_use: {
    table: 'consent_use',
    keyColumn: 'personal_id',
    refColumns: ['consent_id', 'entry_id'],
    columns: ['personal_id', 'consent_id', 'entry_id', 'at', 'action', 'fields'],
  },
  // The subscriber register (decision 0039): every link made or ended by an operator, written once.
  subscriber_link_event: {
    table: 'subscriber_link_event',
    keyColumn: 'personal_id',
    refColumns: ['link_id', 'kind'],
    columns: ['personal_id', 'link_id', 'kind', 'recorded_at', 'number', 'operator_code', 'record_id', 'at', 'reason'],
  },
};

/** The leaf's ref: the rest of the row's key, as text. */
export function refOf(kind: LeafKind, row: Readonly<Record<string, unknown>>): string {
  return kind.refColumns.map((c) => String(row[c])).join('/');
}

export interface PendingLeaf extends LeafData {
  leafId: string;
}

/** Time-ordered (by the row's instant), unique across processes: the instant, this process, a counter. */
export const newLeafId = timeOrderedIds(12);

/** The pending leaf of a row about to be written (or just written) in this transaction. */
export function leafFor(kindName: string, committed: object, at: string): PendingLeaf {
  const kind = LEAF_KINDS[kindName];
  if (!kind) throw new TypeError(`not a committed kind: ${kindName}`);
  const row = committed as Readonly<Record<string, unknown>>;
  const subjectKey = String(row[kind.keyColumn]);
  return { kind: kindName, subjectKey, ref: refOf(kind, row), salt: newSalt(), digest: rowDigest(kind.columns, row), leafId: newLeafId(at) };
}

const insertLeafRow = preparedWrite(6, (db, subjectKey: string, kind: string, ref: string, leafId: string, salt: string, digest: string) =>
  db.insertInto('tlog_leaf_ref').values({ subject_key: subjectKey, kind, ref, leaf_id: leafId, salt, digest, idx: null }),
);

/** SQLite: many leaves in a few statements (the PostgreSQL text below writes any number in one). */
const insertLeafSet = setInsert('tlog_leaf_ref', ['subject_key', 'kind', 'ref', 'leaf_id', 'salt', 'digest'], Array(6).fill('text'));

/** PostgreSQL: any number of leaves in one statement of one text (each column a bound array, unnested). */
const INSERT_LEAVES_PG = CompiledQuery.raw(
  'insert into tlog_leaf_ref (subject_key, kind, ref, leaf_id, salt, digest) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])',
);

/** Leaves per statement on PostgreSQL (a bound array's size is not limited; the statement's memory is). */
const PG_LEAVES_PER_STATEMENT = 10_000;

/** Writes pending leaves (the caller's transaction is the rows'). */
export async function insertLeaves(db: Db, leaves: readonly PendingLeaf[]): Promise<void> {
  if (leaves.length === 0) return;
  if (isSqlite(db)) {
    // One leaf: its prepared row insert; more (a batch): a few multi-row statements (store/set-insert.ts).
    if (leaves.length === 1) await insertLeafRow.run(db, leaves[0]!.subjectKey, leaves[0]!.kind, leaves[0]!.ref, leaves[0]!.leafId, leaves[0]!.salt, leaves[0]!.digest);
    else await insertLeafSet(db, leaves.map((l) => [l.subjectKey, l.kind, l.ref, l.leafId, l.salt, l.digest]));
    return;
  }
  for (let i = 0; i < leaves.length; i += PG_LEAVES_PER_STATEMENT) {
    const part = leaves.length <= PG_LEAVES_PER_STATEMENT ? leaves : leaves.slice(i, i + PG_LEAVES_PER_STATEMENT);
    await db.executeQuery({
      ...INSERT_LEAVES_PG,
      parameters: [part.map((l) => l.subjectKey), part.map((l) => l.kind), part.map((l) => l.ref), part.map((l) => l.leafId), part.map((l) => l.salt), part.map((l) => l.digest)],
    });
  }
}

/** Commits rows of a kind: computes and writes their leaves in the caller's transaction. */
export async function commitRows(db: Db, kindName: string, rows: readonly object[], at: string): Promise<void> {
  await insertLeaves(db, rows.map((r) => leafFor(kindName, r, at)));
}

/** The leaf data bytes (what the tree's leaf hash is computed over). */
export function leafBytes(l: LeafData): Buffer {
  return formatLeafData(l);
}

export interface StoredLeafRef extends LeafData {
  leafId: string;
  idx: number | null;
}

/** The leaf of one row, if it has one. */
export async function findLeafRef(db: Db, kind: string, subjectKey: string, ref: string): Promise<StoredLeafRef | undefined> {
  const r = await db.selectFrom('tlog_leaf_ref').selectAll().where('subject_key', '=', subjectKey).where('kind', '=', kind).where('ref', '=', ref).executeTakeFirst();
  return r ? { kind: r.kind, subjectKey: r.subject_key, ref: r.ref, salt: r.salt, digest: r.digest, leafId: r.leaf_id, idx: r.idx === null ? null : Number(r.idx) } : undefined;
}
