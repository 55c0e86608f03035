/**
 * The transparency log's integrated tree (issue 13; decision 0029): its tiles, every checkpoint it
 * signed, the witnesses' cosignatures, and the one state row the sequencer locks.
 *
 * Hashes are stored as bytes (SQLite blob, PostgreSQL bytea): a full tile is 8,192 bytes and is read
 * whole to serve it or prove from it, so bytes avoid a third more storage and a decode on each read;
 * both drivers take and give bytes as they are. Roots and notes are text, as they are published.
 */
import { sql, type Kysely } from 'kysely';
import { isSqlite, keyOrdered } from '../dialect.js';

// The empty tree's root, SHA-256 of the empty string (RFC 6962 §2.1), base64.
const EMPTY_ROOT_B64 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = isSqlite(db) ? 'blob' : 'bytea';
  // One row (id 1): the integrated size and root, and the origin the log was first signed under.
  // The sequencer locks it, so that one process at a time integrates.
  await db.schema
    .createTable('tlog_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('origin', 'text')
    .addColumn('updated_at', 'text')
    .execute();
  await sql`insert into tlog_state (id, size, root, origin, updated_at) values (1, 0, ${EMPTY_ROOT_B64}, null, null)`.execute(db);

  // C2SP tlog-tiles: the tile at (level, index) holds `width` hashes (1–256); a partial tile is
  // overwritten in place as it grows (its first hashes never change), a full one never again.
  await keyOrdered(
    db,
    db.schema
      .createTable('tlog_tile')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('tile_index', 'bigint', (c) => c.notNull())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('hashes', sql.raw(bytes), (c) => c.notNull())
      .addPrimaryKeyConstraint('tlog_tile_pk', ['level', 'tile_index']),
  ).execute();

  // Every checkpoint signed, by size (each signed size is larger than the one before).
  await keyOrdered(
    db,
    db.schema
      .createTable('tlog_checkpoint')
      .addColumn('size', 'bigint', (c) => c.notNull().primaryKey())
      .addColumn('root', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('signed_at', 'text', (c) => c.notNull()),
  ).execute();

  // Witnesses' cosignature lines, one row per checkpoint and witness (its key name).
  await keyOrdered(
    db,
    db.schema
      .createTable('tlog_cosignature')
      .addColumn('checkpoint_size', 'bigint', (c) => c.notNull())
      .addColumn('witness', 'text', (c) => c.notNull())
      .addColumn('lines', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('tlog_cosignature_pk', ['checkpoint_size', 'witness']),
  ).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['tlog_cosignature', 'tlog_checkpoint', 'tlog_tile', 'tlog_state']) await db.schema.dropTable(t).execute();
}
