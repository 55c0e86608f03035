/**
 * ID cards with their history. Like citizens, every write takes the change record and writes the
 * history row in the same call. A card is addressed by (personal_id, seq): successive CCCD / căn
 * cước cards share one number.
 */
import type { Card } from '../../domain/cards/card.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import { diffRecords, type ChangeRecord, type Changes } from '../../domain/citizen/history.js';
import type { Db, IdCardHistoryTable, IdCardTable } from '../schema.js';
import { commitRows } from './transparency-leaves.js';

export type CardChangeKind = 'issueCard' | 'replaceCard' | 'reportCardLost' | 'revokeCard' | 'seed';
/** Who changed a card, when, from where and why (the card counterpart of ChangeRecord). */
export type CardChange = Omit<ChangeRecord, 'kind'> & { kind: CardChangeKind };

export interface StoredCard extends Card {
  seq: number;
  version: number;
  replacedBySeq?: number;
  createdAt: string;
  updatedAt: string;
}

export interface CardHistoryEntry {
  personalId: string;
  seq: number;
  version: number;
  recordedAt: string;
  actorId: string;
  source: string;
  kind: string;
  reason?: string;
  changes: Changes;
}

export function cardToRow(c: StoredCard): IdCardTable {
  return {
    personal_id: c.personalId,
    seq: c.seq,
    card_no: c.cardNo,
    generation: c.generation,
    issue_date: c.issueDate,
    issuing_authority: c.issuingAuthority,
    expiry_date: c.expiryDate,
    lost_on: c.lostOn ?? null,
    revoked_on: c.revokedOn ?? null,
    revocation_reason: c.revocationReason ?? null,
    replaced_on: c.replacedOn ?? null,
    replaced_by: c.replacedBy ?? null,
    replaced_by_seq: c.replacedBySeq ?? null,
    version: c.version,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

function fromRow(r: IdCardTable): StoredCard {
  const c: StoredCard = {
    personalId: r.personal_id,
    seq: Number(r.seq),
    cardNo: r.card_no,
    generation: r.generation as Card['generation'],
    issueDate: r.issue_date,
    issuingAuthority: r.issuing_authority,
    expiryDate: r.expiry_date,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.lost_on) c.lostOn = r.lost_on;
  if (r.revoked_on) c.revokedOn = r.revoked_on;
  if (r.revocation_reason) c.revocationReason = r.revocation_reason;
  if (r.replaced_on) c.replacedOn = r.replaced_on;
  if (r.replaced_by) c.replacedBy = r.replaced_by;
  if (r.replaced_by_seq !== null) c.replacedBySeq = Number(r.replaced_by_seq);
  return c;
}

/** Every card of a person, oldest first. */
export async function listCards(db: Db, personalId: string): Promise<StoredCard[]> {
  const rows = await db.selectFrom('id_card').selectAll().where('personal_id', '=', personalId).orderBy('seq').execute();
  return rows.map(fromRow);
}

async function writeHistory(db: Db, before: StoredCard | undefined, after: StoredCard, change: CardChange) {
  const row: IdCardHistoryTable = {
    personal_id: after.personalId,
    seq: after.seq,
    version: after.version,
    recorded_at: change.at,
    actor_id: change.actorId,
    source: change.source,
    change_kind: change.kind,
    reason: change.reason ?? change.legalBasis ?? null,
    changes: JSON.stringify(before ? diffRecords(before, after) : {}),
  };
  await db.insertInto('id_card_history').values(row).execute();
  await commitRows(db, 'id_card_history', [row], change.at);
}

export async function insertCard(db: Db, card: StoredCard, change: CardChange): Promise<void> {
  await db.insertInto('id_card').values(cardToRow(card)).execute();
  await writeHistory(db, undefined, card, change);
}

/** Replaces `before` by `after` (after.version = before.version + 1) unless someone changed it meanwhile. */
export async function updateCard(db: Db, before: StoredCard, after: StoredCard, change: CardChange): Promise<void> {
  const { personal_id: _p, seq: _s, created_at: _c, ...set } = cardToRow(after);
  const r = await db
    .updateTable('id_card')
    .set(set)
    .where('personal_id', '=', before.personalId)
    .where('seq', '=', before.seq)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new RegistryError('VERSION_MISMATCH');
  await writeHistory(db, before, after, change);
}

export async function listCardHistory(db: Db, personalId: string): Promise<CardHistoryEntry[]> {
  const rows = await db
    .selectFrom('id_card_history')
    .selectAll()
    .where('personal_id', '=', personalId)
    .orderBy('seq')
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    personalId: r.personal_id,
    seq: Number(r.seq),
    version: Number(r.version),
    recordedAt: r.recorded_at,
    actorId: r.actor_id,
    source: r.source,
    kind: r.change_kind,
    ...(r.reason ? { reason: r.reason } : {}),
    changes: JSON.parse(r.changes) as Changes,
  }));
}
