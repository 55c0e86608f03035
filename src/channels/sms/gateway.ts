/**
 * The SMS gateway in a server process (issue 14; decision 0037): one ESME session per SMSC of
 * DANCU_SMPP_URL, a sender that claims due outbox rows under a lease and submits them, receipts that
 * update them, and incoming messages stored (before deliver_sm_resp) and handed to the handler
 * registered with onIncomingSms — then, periodically, the stored ones still unanswered.
 */
import { randomBytes } from 'node:crypto';
import { splitSms } from '../../domain/sms/encoding.js';
import type { Store } from '../../store/connect.js';
import {
  applyReceipt,
  claimDueMessages,
  expireOverdue,
  lockOutboxMessage,
  markExpired,
  markFailed,
  markSubmitted,
  recordSubmittedPart,
  rescheduleMessage,
  settleMessage,
  submittedParts,
  type OutboxRow,
} from '../../store/repositories/sms-outbox.js';
import { deleteSmsLinks, saveSmsLink } from '../../store/repositories/sms-links.js';
import { systemClock, type Clock } from '../../services/clock.js';
import { claimUnansweredSms, receiveSmsPart, type IncomingSms } from '../../services/sms/inbox.js';
import { onSmsEnqueued } from '../../services/sms/outbox.js';
import { EsmeSession, SubmitFailure, DEFAULT_ESME_TIMINGS, type EsmeTimings, type SmscEndpoint } from './esme.js';
import { FINAL_STATES, RETRY_LATER, STATUS, TLV, parseDeliveryReceipt, readTlvInt, type ShortMessage } from './pdu.js';
import { decodeBody, parseUserData } from '../../domain/sms/encoding.js';

export type IncomingSmsHandler = (message: IncomingSms) => void | Promise<void>;

export interface GatewayOptions {
  store: Store;
  endpoints: SmscEndpoint[];
  clock?: Clock;
  /** The number messages are sent from (source_addr). */
  sourceAddress?: string;
  handler?: IncomingSmsHandler;
  /** How often the sender looks for due messages when nothing wakes it (ms). */
  pollMs?: number;
  /** Messages claimed per pass. */
  batch?: number;
  /** How long a claim holds: a process that dies holding it leaves the rows to others after this. */
  leaseMs?: number;
  /** Retry backoff of a message: base × 2^(attempts−1), at most max, with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** After ESME_RTHROTTLED / ESME_RMSGQFUL the link pauses: base × 2^(consecutive−1), at most max. */
  throttleBaseMs?: number;
  throttleMaxMs?: number;
  /** Submits per second per SMSC (the operator's contracted rate); 0: unlimited. */
  maxPerSecond?: number;
  /** Unanswered messages handed again after this long (ms). */
  rehandAfterMs?: number;
  dedupWindowMs?: number;
  timings?: Partial<EsmeTimings>;
  random?: () => number;
  /** Lines without personal data (numbers, texts) — default: stderr. */
  log?: (line: string) => void;
}

/** What the process's gateway has done since it started (the store holds the totals). */
export interface GatewayCounters {
  sent: number;
  delivered: number;
  failed: number;
  throttled: number;
  uncertain: number;
  received: number;
}

export interface SmsGateway {
  readonly id: string;
  onIncomingSms(handler: IncomingSmsHandler): void;
  /** Look for due messages now (also done every pollMs). */
  wake(): void;
  links(): { smsc: string; bound: boolean; binds: number; bindFailures: number; lastError?: string }[];
  readonly counters: GatewayCounters;
  /** Resolves when a bind is up on every SMSC (tests, the demo); rejects after timeoutMs. */
  whenBound(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const RECEIPT_MASK = 0x3c;

/** The submit_sm destination: E.164 as international digits (TON 1, NPI 1). */
function destinationOf(to: string): { destination: string; destTon: number; destNpi: number } {
  return to.startsWith('+') ? { destination: to.slice(1), destTon: 1, destNpi: 1 } : { destination: to, destTon: 0, destNpi: 0 };
}

export function startSmsGateway(options: GatewayOptions): SmsGateway {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const id = `gw-${randomBytes(6).toString('hex')}`;
  const pollMs = options.pollMs ?? 200;
  const batch = options.batch ?? 50;
  const leaseMs = options.leaseMs ?? 60_000;
  const retryBaseMs = options.retryBaseMs ?? 2_000;
  const retryMaxMs = options.retryMaxMs ?? 10 * 60_000;
  const throttleBaseMs = options.throttleBaseMs ?? 1_000;
  const throttleMaxMs = options.throttleMaxMs ?? 60_000;
  const rehandAfterMs = options.rehandAfterMs ?? 15_000;
  const minSpacingMs = options.maxPerSecond ? 1000 / options.maxPerSecond : 0;
  // A claim must be sent well within its lease, or another process would take the rows over while
  // they are still being sent: under a rate limit, claim no more than half a lease's worth.
  const claimSize = minSpacingMs ? Math.max(1, Math.min(batch, Math.floor(leaseMs / 2 / minSpacingMs) * Math.max(1, options.endpoints.length))) : batch;
  const timings: EsmeTimings = { ...DEFAULT_ESME_TIMINGS, ...options.timings };
  const counters: GatewayCounters = { sent: 0, delivered: 0, failed: 0, throttled: 0, uncertain: 0, received: 0 };
  let handler = options.handler;
  let closed = false;

  interface Link {
    session: EsmeSession;
    pausedUntil: number;
    consecutiveThrottles: number;
    nextSlotAt: number;
    since: string;
  }
  const links = new Map<string, Link>();
  /** Parts being recorded as submitted: receipts wait for them. */
  const recording = new Set<Promise<void>>();
  /** Receipts that came before their part was known (by SMSC and message ID), kept for EARLY_RECEIPT_MS. */
  const early = new Map<string, { stat: string; atMs: number }>();
  const EARLY_RECEIPT_MS = 60_000;
  let rr = 0;

  // One write at a time per link, each reading the state when it runs: a slow "down" write can never
  // land after the "bound" that followed it.
  const linkWrites = new Map<string, Promise<void>>();
  const persistLink = (smsc: string) => {
    const write = async () => {
      const l = links.get(smsc);
      if (!l || closed) return;
      const s = l.session.stats;
      await saveSmsLink(options.store.db, {
        smsc,
        gateway: id,
        state: l.session.bound ? 'bound' : 'down',
        since: l.since,
        binds: s.binds,
        bindFailures: s.bindFailures,
        lastError: s.lastError ?? null,
        lastErrorAt: s.lastErrorAt ?? null,
        updatedAt: clock.now().toISOString(),
      }).catch(() => log(`sms gateway: could not record the link state of ${smsc}`));
    };
    const next = (linkWrites.get(smsc) ?? Promise.resolve()).then(write);
    linkWrites.set(smsc, next);
  };

  const hand = (message: IncomingSms) => {
    const h = handler;
    if (!h) return;
    Promise.resolve()
      .then(() => h(message))
      .catch(() => log('sms gateway: the incoming-message handler failed (the message stays unanswered and is handed again)'));
  };

  const onDeliver = async (sm: ShortMessage, smsc: string): Promise<number> => {
    const esmClass = sm.esmClass ?? 0;
    if ((esmClass & RECEIPT_MASK) === 0x04) {
      const user = parseUserData(sm.shortMessage, (esmClass & 0x40) !== 0);
      const receipt = parseDeliveryReceipt(decodeBody(sm.dataCoding ?? 0, user.body), sm.tlvs ?? new Map());
      if (!receipt || !FINAL_STATES.has(receipt.stat)) return STATUS.ESME_ROK;
      // A receipt can come in the same read as its submit_sm_resp: let the part's recording finish first.
      await new Promise((r) => setImmediate(r));
      await Promise.all(recording);
      const r = await options.store.transaction((tx) => applyReceipt(tx, smsc, receipt.messageId, receipt.stat, clock.now().toISOString()));
      if (r?.state === 'delivered') counters.delivered++;
      else if (r?.state === 'failed') counters.failed++;
      // A receipt ahead of its submit_sm_resp names an ID not recorded yet: kept a while for it.
      if (!r) early.set(`${smsc}\u0000${receipt.messageId}`, { stat: receipt.stat, atMs: Date.now() });
      return STATUS.ESME_ROK;
    }
    const tlvs = sm.tlvs ?? new Map<number, Uint8Array>();
    const sarRef = readTlvInt(tlvs.get(TLV.sar_msg_ref_num));
    const sarTotal = readTlvInt(tlvs.get(TLV.sar_total_segments));
    const sarSeq = readTlvInt(tlvs.get(TLV.sar_segment_seqnum));
    const umr = readTlvInt(tlvs.get(TLV.user_message_reference));
    const message = await receiveSmsPart(
      options.store,
      {
        smsc,
        source: sm.source,
        sourceTon: sm.sourceTon ?? 0,
        destination: sm.destination,
        esmClass,
        dataCoding: sm.dataCoding ?? 0,
        shortMessage: sm.shortMessage,
        ...(sarRef !== undefined && sarTotal !== undefined && sarSeq !== undefined ? { sar: { ref: sarRef, total: sarTotal, seq: sarSeq } } : {}),
        ...(umr !== undefined ? { userMessageReference: umr } : {}),
      },
      { clock, ...(options.dedupWindowMs !== undefined ? { dedupWindowMs: options.dedupWindowMs } : {}) },
    );
    if (message) {
      counters.received++;
      // After the store has committed; deliver_sm_resp goes out as this resolves.
      setImmediate(() => hand(message));
    }
    return STATUS.ESME_ROK;
  };

  for (const endpoint of options.endpoints) {
    const session = new EsmeSession(
      endpoint,
      {
        onDeliver,
        onBound: (smsc) => {
          const l = links.get(smsc)!;
          l.since = clock.now().toISOString();
          persistLink(smsc);
          wake();
        },
        onDown: (smsc) => {
          const l = links.get(smsc)!;
          l.since = clock.now().toISOString();
          persistLink(smsc);
        },
        onBindFailed: (smsc, status) => log(`smpp ${smsc}: bind refused (status 0x${status.toString(16)}), retrying with backoff`),
        log,
      },
      timings,
      random,
    );
    links.set(endpoint.name, { session, pausedUntil: 0, consecutiveThrottles: 0, nextSlotAt: 0, since: clock.now().toISOString() });
  }

  const available = (preferred: string | null): Link | undefined => {
    const now = Date.now();
    const ok = (l: Link) => l.session.bound && l.pausedUntil <= now;
    if (preferred) {
      const p = links.get(preferred);
      if (p && ok(p)) return p;
    }
    const list = [...links.values()].filter(ok);
    if (list.length === 0) return undefined;
    return list[rr++ % list.length];
  };

  /** Waits for the link's next slot under maxPerSecond. */
  const pace = async (l: Link) => {
    if (!minSpacingMs) return;
    const now = Date.now();
    const at = Math.max(now, l.nextSlotAt);
    l.nextSlotAt = at + minSpacingMs;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };

  const retryDelay = (attempts: number) => {
    const exp = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
    return exp / 2 + (random() * exp) / 2;
  };
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  const sendOne = async (m: OutboxRow): Promise<void> => {
    const nowIso = clock.now().toISOString();
    if (m.expiresAt && m.expiresAt <= nowIso) {
      await markExpired(options.store.db, m.messageId, id, nowIso);
      return;
    }
    const link = available(m.smsc);
    if (!link) {
      await rescheduleMessage(options.store.db, m.messageId, id, later(retryDelay(1)), 'no SMSC bound');
      return;
    }
    const smsc = link.session.endpoint.name;
    let seg;
    try {
      seg = splitSms(m.text, m.alphabet, m.concatRef);
    } catch {
      await markFailed(options.store.db, m.messageId, id, 'text cannot be encoded', nowIso);
      counters.failed++;
      return;
    }
    const done = m.attempts > 1 ? new Set((await submittedParts(options.store.db, m.messageId)).map((p) => p.seq)) : new Set<number>();
    const dest = destinationOf(m.to);
    for (let i = 0; i < seg.parts.length; i++) {
      const seq = i + 1;
      if (done.has(seq)) continue;
      await pace(link);
      let result;
      try {
        result = await link.session.submit({
          source: options.sourceAddress ?? '8088',
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
        await rescheduleMessage(options.store.db, m.messageId, id, later(retryDelay(m.attempts)), e instanceof SubmitFailure ? `submit ${e.reason}` : 'submit failed', { uncertain: written });
        return;
      }
      if (result.status === STATUS.ESME_ROK) {
        link.consecutiveThrottles = 0;
        const recorded = recordSubmittedPart(options.store.db, { messageId: m.messageId, seq, smsc, smscMessageId: result.messageId, at: clock.now().toISOString() });
        recording.add(recorded);
        try {
          await recorded;
        } finally {
          recording.delete(recorded);
        }
        const ahead = early.get(`${smsc}\u0000${result.messageId}`);
        if (ahead) {
          early.delete(`${smsc}\u0000${result.messageId}`);
          await options.store.transaction((tx) => applyReceipt(tx, smsc, result.messageId, ahead.stat, clock.now().toISOString()));
        }
        continue;
      }
      if (RETRY_LATER.has(result.status)) {
        link.consecutiveThrottles++;
        const pause = Math.min(throttleMaxMs, throttleBaseMs * 2 ** Math.min(link.consecutiveThrottles - 1, 20));
        link.pausedUntil = Math.max(link.pausedUntil, Date.now() + pause);
        counters.throttled++;
        await rescheduleMessage(options.store.db, m.messageId, id, later(pause), `SMSC status 0x${result.status.toString(16)} (retry later)`, { throttled: true });
        return;
      }
      await markFailed(options.store.db, m.messageId, id, `SMSC refused (status 0x${result.status.toString(16)})`, clock.now().toISOString());
      counters.failed++;
      return;
    }
    // Receipts may have come before this: in one transaction with the row locked, the message may
    // be settled as delivered at once.
    const outcome = await options.store.transaction(async (tx) => {
      await lockOutboxMessage(tx, m.messageId);
      if (!(await markSubmitted(tx, m.messageId, id, smsc, clock.now().toISOString()))) return undefined;
      return (await settleMessage(tx, m.messageId, clock.now().toISOString()))?.state ?? 'submitted';
    });
    if (outcome) {
      counters.sent++;
      if (outcome === 'delivered') counters.delivered++;
      else if (outcome === 'failed') counters.failed++;
    } else log(`sms gateway: lost the lease of a message before recording it submitted (${m.messageId})`);
  };

  let passing = false;
  let again = false;
  const pass = async () => {
    if (closed) return;
    if (passing) {
      again = true;
      return;
    }
    passing = true;
    try {
      do {
        again = false;
        const now = clock.now();
        await expireOverdue(options.store.db, now.toISOString());
        if (!available(null)) break;
        const claimed = await options.store.transaction((tx) => claimDueMessages(tx, id, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), claimSize));
        if (claimed.length === 0) break;
        await Promise.all(claimed.map((m) => sendOne(m).catch(() => log(`sms gateway: sending ${m.messageId} failed; it is retried after its lease`))));
        if (claimed.length === claimSize) again = true;
      } while (again && !closed);
    } catch {
      log('sms gateway: the sender pass failed (store unavailable?); retrying');
    } finally {
      passing = false;
    }
  };
  const wake = () => {
    if (!closed) void pass();
  };

  const rehand = async () => {
    if (!handler || closed) return;
    try {
      const messages = await claimUnansweredSms(options.store, { clock, retryAfterMs: rehandAfterMs, limit: 100 });
      for (const m of messages) hand(m);
    } catch {
      log('sms gateway: could not read unanswered messages; retrying');
    }
  };

  const unsubscribe = onSmsEnqueued(wake);
  const pollTimer = setInterval(wake, pollMs);
  const rehandTimer = setInterval(() => void rehand(), Math.max(250, Math.min(rehandAfterMs, 5_000)));
  const linkTimer = setInterval(() => {
    for (const smsc of links.keys()) persistLink(smsc);
    for (const [k, v] of early) if (Date.now() - v.atMs > EARLY_RECEIPT_MS) early.delete(k);
  }, 10_000);
  for (const t of [pollTimer, rehandTimer, linkTimer]) t.unref();
  for (const [smsc, l] of links) {
    persistLink(smsc);
    l.session.start();
  }
  void rehand();

  return {
    id,
    counters,
    onIncomingSms(h) {
      handler = h;
      void rehand();
    },
    wake,
    links: () =>
      [...links.entries()].map(([smsc, l]) => ({
        smsc,
        bound: l.session.bound,
        binds: l.session.stats.binds,
        bindFailures: l.session.stats.bindFailures,
        ...(l.session.stats.lastError ? { lastError: l.session.stats.lastError } : {}),
      })),
    async whenBound(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while ([...links.values()].some((l) => !l.session.bound)) {
        if (Date.now() > until) throw new Error('the SMS gateway did not bind in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      closed = true;
      unsubscribe();
      for (const t of [pollTimer, rehandTimer, linkTimer]) clearInterval(t);
      await Promise.all([...links.values()].map((l) => l.session.close()));
      while (passing) await new Promise((r) => setTimeout(r, 10));
      await Promise.all(linkWrites.values());
      await deleteSmsLinks(options.store.db, id).catch(() => undefined);
    },
  };
}
