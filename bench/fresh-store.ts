/**
 * A fresh store beside the bench's own (an SQLite file under .bench/ or a PostgreSQL database named
 * for this process), for a part of the bench that must not share the seeded store; dropped afterwards.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export async function freshStore(kind: string, root: string, pgAdmin: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const file = join(root, '.bench', `${name}.sqlite`);
    const drop = async () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    };
    await drop();
    return { url: `sqlite:${file}`, drop };
  }
  const db = `dancu_bench_${name}_${process.pid}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: pgAdmin });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`drop database if exists ${db} with (force)`);
  await admin(`create database ${db}`);
  const u = new URL(pgAdmin);
  u.pathname = `/${db}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${db} with (force)`) };
}
