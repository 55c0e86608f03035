/** Each gateway's links to its SMSCs (migration 0017): written by the gateway, read by status and /metrics. */
import type { Db } from '../schema.js';

export interface SmsLink {
  smsc: string;
  gateway: string;
  state: 'bound' | 'down';
  since: string;
  binds: number;
  bindFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  updatedAt: string;
}

export async function saveSmsLink(db: Db, l: SmsLink): Promise<void> {
  const values = {
    smsc: l.smsc,
    gateway: l.gateway,
    state: l.state,
    since: l.since,
    binds: l.binds,
    bind_failures: l.bindFailures,
    last_error: l.lastError,
    last_error_at: l.lastErrorAt,
    updated_at: l.updatedAt,
  };
  await db
    .insertInto('sms_link')
    .values(values)
    .onConflict((oc) => oc.columns(['smsc', 'gateway']).doUpdateSet({ state: l.state, since: l.since, binds: l.binds, bind_failures: l.bindFailures, last_error: l.lastError, last_error_at: l.lastErrorAt, updated_at: l.updatedAt }))
    .execute();
}

/** Links refreshed since `freshSince` (older rows are gateways that stopped). */
export async function listSmsLinks(db: Db, freshSince: string): Promise<SmsLink[]> {
  const rows = await db.selectFrom('sms_link').selectAll().where('updated_at', '>=', freshSince).orderBy('smsc').orderBy('gateway').execute();
  return rows.map((r) => ({
    smsc: r.smsc,
    gateway: r.gateway,
    state: r.state as 'bound' | 'down',
    since: r.since,
    binds: Number(r.binds),
    bindFailures: Number(r.bind_failures),
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    updatedAt: r.updated_at,
  }));
}

/** A stopped gateway's rows go (a clean stop; a crashed one's go stale). */
export async function deleteSmsLinks(db: Db, gateway: string): Promise<void> {
  await db.deleteFrom('sms_link').where('gateway', '=', gateway).execute();
}
