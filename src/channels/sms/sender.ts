/**
 * The gateway's sender (decision 0037): passes that claim due outbox rows under a lease and submit
 * them part by part — on a retry only the parts not accepted yet —, each accepted part recorded before
 * the next. A throttling status pauses the link and requeues the message; a submit without a response
 * requeues it with backoff (counted uncertain when it was written); any other refusal fails it; past
 * its expiry a message is never sent.
 */
import { splitSms } from '../../domain/sms/encoding.js';
import type { Clock } from '../../services/clock.js';
import {
  claimDueSms,
  expireOverdueSms,
  markSmsExpired,
  markSmsFailed,
  recordSmsSubmitted,
  rescheduleSms,
  submittedSmsParts,
  type OutboxRow,
  type Store,
} from '../../services/sms/gateway-records.js';
import { SubmitFailure } from './esme.js';
import type { GatewayLinks } from './links.js';
import { RETRY_LATER, STATUS } from './pdu.js';
import type { Receipts } from './receipts.js';

/** What the sender counts (the gateway's counters). */
export interface SendCounters {
  sent: number;
  delivered: number;
  failed: number;
  throttled: number;
  uncertain: number;
}

export interface SenderSettings {
  store: Store;
  gatewayId: string;
  clock: Clock;
  random: () => number;
  log: (line: string) => void;
  links: GatewayLinks;
  receipts: Receipts;
  counters: SendCounters;
  /** The number messages are sent from (source_addr). */
  sourceAddress?: string;
  /** Messages claimed per pass. */
  batch: number;
  leaseMs: number;
  /** Retry backoff of a message: base × 2^(attempts−1), at most max, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Time between two submits on one link (maxPerSecond); 0: unlimited. */
  minSpacingMs: number;
  /** How many SMSCs the gateway sends through. */
  smscs: number;
}

/** The submit_sm destination: E.164 as international digits (TON 1, NPI 1). */
function destinationOf(to: string): { destination: string; destTon: number; destNpi: number } {
  return to.startsWith('+') ? { destination: to.slice(1), destTon: 1, destNpi: 1 } : { destination: to, destTon: 0, destNpi: 0 };
}

export class OutboxSender {
  private readonly claimSize: number;
  private passing = false;
  private again = false;
  private closed = false;

  constructor(private readonly s: SenderSettings) {
    // A claim must be sent well within its lease, or another process would take the rows over while
    // they are still being sent: under a rate limit, claim no more than half a lease's worth.
    this.claimSize = s.minSpacingMs ? Math.max(1, Math.min(s.batch, Math.floor(s.leaseMs / 2 / s.minSpacingMs) * Math.max(1, s.smscs))) : s.batch;
  }

  private retryDelay(attempts: number): number {
    const exp = Math.min(this.s.retryMaxMs, this.s.retryBaseMs * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
    return exp / 2 + (this.s.random() * exp) / 2;
  }

  private later(ms: number): string {
    return new Date(this.s.clock.now().getTime() + ms).toISOString();
  }

  private async sendOne(m: OutboxRow): Promise<void> {
    const { store, gatewayId: id, clock, links, counters } = this.s;
    const nowIso = clock.now().toISOString();
    if (m.expiresAt && m.expiresAt <= nowIso) {
      await markSmsExpired(store, m.messageId, id, nowIso);
      return;
    }
    const link = links.available(m.smsc);
    if (!link) {
      await rescheduleSms(store, m.messageId, id, this.later(this.retryDelay(1)), 'no SMSC bound');
      return;
    }
    const smsc = link.session.endpoint.name;
    let seg;
    try {
      seg = splitSms(m.text, m.alphabet, m.concatRef);
    } catch {
      await markSmsFailed(store, m.messageId, id, 'text cannot be encoded', nowIso);
      counters.failed++;
      return;
    }
    const done = m.attempts > 1 ? new Set((await submittedSmsParts(store, m.messageId)).map((p) => p.seq)) : new Set<number>();
    const dest = destinationOf(m.to);
    for (let i = 0; i < seg.parts.length; i++) {
      const seq = i + 1;
      if (done.has(seq)) continue;
      await links.pace(link);
      let result;
      try {
        result = await link.session.submit({
          source: this.s.sourceAddress ?? '8088',
          sourceTon: 0,
          sourceNpi: 0,
          ...dest,
          esmClass: seg.udhi ? 0x40 : 0,
          registeredDelivery: 1,
          dataCoding: seg.dataCoding,
          shortMessage: seg.parts[i]!,
        });
      } catch (e) {
        const written = e instanceof SubmitFailure && e.written;
        if (written) counters.uncertain++;
        // The part's outcome is unknown when it was written: it is sent again (decision 0037).
        await rescheduleSms(store, m.messageId, id, this.later(this.retryDelay(m.attempts)), e instanceof SubmitFailure ? `submit ${e.reason}` : 'submit failed', { uncertain: written });
        return;
      }
      if (result.status === STATUS.ESME_ROK) {
        links.accepted(link);
        await this.s.receipts.recordPart({ messageId: m.messageId, seq, smsc, smscMessageId: result.messageId });
        continue;
      }
      if (RETRY_LATER.has(result.status)) {
        const pause = links.throttled(link);
        counters.throttled++;
        await rescheduleSms(store, m.messageId, id, this.later(pause), `SMSC status 0x${result.status.toString(16)} (retry later)`, { throttled: true });
        return;
      }
      await markSmsFailed(store, m.messageId, id, `SMSC refused (status 0x${result.status.toString(16)})`, clock.now().toISOString());
      counters.failed++;
      return;
    }
    // Receipts may have come before this: in one transaction with the row locked, the message may
    // be settled as delivered at once.
    const outcome = await recordSmsSubmitted(store, clock, m.messageId, id, smsc);
    if (outcome) {
      counters.sent++;
      if (outcome === 'delivered') counters.delivered++;
      else if (outcome === 'failed') counters.failed++;
    } else this.s.log(`sms gateway: lost the lease of a message before recording it submitted (${m.messageId})`);
  }

  /** Claims and sends due messages until none is left or no link can take them; one pass at a time. */
  async pass(): Promise<void> {
    if (this.closed) return;
    if (this.passing) {
      this.again = true;
      return;
    }
    const { store, gatewayId: id, clock, links, log, leaseMs } = this.s;
    this.passing = true;
    try {
      do {
        this.again = false;
        const now = clock.now();
        await expireOverdueSms(store, now.toISOString());
        if (!links.available(null)) break;
        const claimed = await claimDueSms(store, id, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), this.claimSize);
        if (claimed.length === 0) break;
        await Promise.all(claimed.map((m) => this.sendOne(m).catch(() => log(`sms gateway: sending ${m.messageId} failed; it is retried after its lease`))));
        if (claimed.length === this.claimSize) this.again = true;
      } while (this.again && !this.closed);
    } catch {
      log('sms gateway: the sender pass failed (store unavailable?); retrying');
    } finally {
      this.passing = false;
    }
  }

  /** No pass starts after this; the one running ends at its next turn. */
  stop(): void {
    this.closed = true;
  }

  async idle(): Promise<void> {
    while (this.passing) await new Promise((r) => setTimeout(r, 10));
  }
}
