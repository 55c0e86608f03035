/** Issued certificates (keyed by holder and number, with a number lookup) and the public signing keys. */
import type { CertificateTable, Db } from '../schema.js';
import { commitRows } from './transparency-leaves.js';

export interface StoredCertificate {
  personalId: string;
  number: string;
  kind: string;
  issuedAt: string;
  issuedBy: string;
  content: unknown;
  statement: string;
  keyId: string;
  revokedAt?: string;
}

export async function insertCertificate(db: Db, c: StoredCertificate): Promise<void> {
  await db.insertInto('certificate_lookup').values({ number: c.number, personal_id: c.personalId }).execute();
  const row: CertificateTable = {
    personal_id: c.personalId,
    number: c.number,
    kind: c.kind,
    issued_at: c.issuedAt,
    issued_by: c.issuedBy,
    content: JSON.stringify(c.content),
    statement: c.statement,
    key_id: c.keyId,
    revoked_at: null,
  };
  await db.insertInto('certificate').values(row).execute();
  // Every certificate issued, residence confirmations (CT07) among them, is a leaf of the log.
  await commitRows(db, 'certificate', [row], c.issuedAt);
}

export async function findCertificate(db: Db, number: string): Promise<StoredCertificate | undefined> {
  const lookup = await db.selectFrom('certificate_lookup').select('personal_id').where('number', '=', number).executeTakeFirst();
  if (!lookup) return undefined;
  const r = await db
    .selectFrom('certificate')
    .selectAll()
    .where('personal_id', '=', lookup.personal_id)
    .where('number', '=', number)
    .executeTakeFirst();
  return r ? certificateOf(r) : undefined;
}

function certificateOf(r: CertificateTable): StoredCertificate {
  return {
    personalId: r.personal_id,
    number: r.number,
    kind: r.kind,
    issuedAt: r.issued_at,
    issuedBy: r.issued_by,
    content: JSON.parse(r.content) as unknown,
    statement: r.statement,
    keyId: r.key_id,
    ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
  };
}

/** A holder's certificates of the given kinds under any of their numbers, newest first (the primary key starts with the holder). */
export async function listCertificatesOf(db: Db, numbers: readonly string[], kinds: readonly string[]): Promise<StoredCertificate[]> {
  if (kinds.length === 0 || numbers.length === 0) return [];
  const rows = await db
    .selectFrom('certificate')
    .selectAll()
    .where('personal_id', 'in', [...numbers])
    .where('kind', 'in', [...kinds])
    .orderBy('issued_at', 'desc')
    .orderBy('number', 'desc')
    .execute();
  return rows.map(certificateOf);
}

export interface PublicSigningKey {
  kid: string;
  publicKeyPem: string;
  createdAt: string;
  retiredAt?: string;
}

export async function listSigningKeys(db: Db): Promise<PublicSigningKey[]> {
  const rows = await db.selectFrom('signing_key').selectAll().orderBy('created_at').orderBy('kid').execute();
  return rows.map((r) => ({ kid: r.kid, publicKeyPem: r.public_key_pem, createdAt: r.created_at, ...(r.retired_at ? { retiredAt: r.retired_at } : {}) }));
}

/** Records a public key; idempotent for a key already published. */
export async function publishSigningKey(db: Db, key: PublicSigningKey): Promise<void> {
  await db
    .insertInto('signing_key')
    .values({ kid: key.kid, public_key_pem: key.publicKeyPem, created_at: key.createdAt, retired_at: null })
    .onConflict((oc) => oc.column('kid').doNothing())
    .execute();
}

export async function retireSigningKeys(db: Db, exceptKid: string, at: string): Promise<void> {
  await db.updateTable('signing_key').set({ retired_at: at }).where('kid', '!=', exceptKid).where('retired_at', 'is', null).execute();
}
