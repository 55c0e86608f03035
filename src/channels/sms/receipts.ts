/**
 * Delivery receipts in the gateway (decision 0037): a final receipt marks its part, and the message
 * once every part has one. A receipt can come in the same read as its part's submit_sm_resp — it waits
 * for the part's recording — or ahead of it, naming an SMSC message ID not recorded yet: it is kept a
 * minute and applied when the part is recorded.
 */
import type { Clock } from '../../services/clock.js';
import { applySmsReceipt, recordSmsPart, type OutboxState, type Store } from '../../services/sms/gateway-records.js';

const EARLY_RECEIPT_MS = 60_000;

const keyOf = (smsc: string, smscMessageId: string) => `${smsc}\u0000${smscMessageId}`;

export class Receipts {
  /** Parts being recorded as submitted: receipts wait for them. */
  private readonly recording = new Set<Promise<void>>();
  /** Receipts that came before their part was known (by SMSC and message ID), kept for EARLY_RECEIPT_MS. */
  private readonly early = new Map<string, { stat: string; atMs: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** A final receipt: the message's state when it names a recorded part, else undefined (kept a while for it). */
  async apply(smsc: string, smscMessageId: string, stat: string): Promise<OutboxState | undefined> {
    // A receipt can come in the same read as its submit_sm_resp: let the part's recording finish first.
    await new Promise((r) => setImmediate(r));
    await Promise.all(this.recording);
    const r = await applySmsReceipt(this.store, smsc, smscMessageId, stat, this.clock.now().toISOString());
    // A receipt ahead of its submit_sm_resp names an ID not recorded yet: kept a while for it.
    if (!r) this.early.set(keyOf(smsc, smscMessageId), { stat, atMs: Date.now() });
    return r?.state;
  }

  /** Records a part the SMSC accepted (receipts meanwhile wait), then applies a receipt that came ahead of it. */
  async recordPart(p: { messageId: string; seq: number; smsc: string; smscMessageId: string }): Promise<void> {
    const recorded = recordSmsPart(this.store, { ...p, at: this.clock.now().toISOString() });
    this.recording.add(recorded);
    try {
      await recorded;
    } finally {
      this.recording.delete(recorded);
    }
    const key = keyOf(p.smsc, p.smscMessageId);
    const ahead = this.early.get(key);
    if (ahead) {
      this.early.delete(key);
      await applySmsReceipt(this.store, p.smsc, p.smscMessageId, ahead.stat, this.clock.now().toISOString());
    }
  }

  /** Forgets receipts kept past EARLY_RECEIPT_MS. */
  prune(): void {
    for (const [k, v] of this.early) if (Date.now() - v.atMs > EARLY_RECEIPT_MS) this.early.delete(k);
  }
}
