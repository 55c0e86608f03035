/**
 * The SMS gateway in a server process (issue 14; decision 0037): one ESME session per SMSC of
 * DANCU_SMPP_URL, a sender that claims due outbox rows under a lease and submits them, receipts that
 * update them, and incoming messages stored (before deliver_sm_resp) and handed to the handler
 * registered with onIncomingSms — then, periodically, the stored ones still unanswered.
 *
 * This file wires the parts and holds the defaults: links.ts (the sessions, their pause and pace,
 * their state for status), sender.ts (the outbox passes), receipts.ts, incoming.ts (deliver_sm).
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../../services/sms/gateway-records.js';
import { systemClock, type Clock } from '../../services/clock.js';
import { claimUnansweredSms, type IncomingSms } from '../../services/sms/inbox.js';
import { onSmsEnqueued } from '../../services/sms/outbox.js';
import { EsmeSession, DEFAULT_ESME_TIMINGS, type EsmeTimings } from './esme.js';
import { deliveryHandler } from './incoming.js';
import { GatewayLinks } from './links.js';
import { Receipts } from './receipts.js';
import { OutboxSender, type SendCounters } from './sender.js';
import type { SmscEndpoint } from './smpp-url.js';

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
export interface GatewayCounters extends SendCounters {
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

export function startSmsGateway(options: GatewayOptions): SmsGateway {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const id = `gw-${randomBytes(6).toString('hex')}`;
  const pollMs = options.pollMs ?? 200;
  const rehandAfterMs = options.rehandAfterMs ?? 15_000;
  const minSpacingMs = options.maxPerSecond ? 1000 / options.maxPerSecond : 0;
  const timings: EsmeTimings = { ...DEFAULT_ESME_TIMINGS, ...options.timings };
  const counters: GatewayCounters = { sent: 0, delivered: 0, failed: 0, throttled: 0, uncertain: 0, received: 0 };
  let handler = options.handler;
  let closed = false;

  const links = new GatewayLinks({
    store: options.store,
    gatewayId: id,
    clock,
    log,
    minSpacingMs,
    throttleBaseMs: options.throttleBaseMs ?? 1_000,
    throttleMaxMs: options.throttleMaxMs ?? 60_000,
  });
  const receipts = new Receipts(options.store, clock);

  const hand = (message: IncomingSms) => {
    const h = handler;
    if (!h) return;
    Promise.resolve()
      .then(() => h(message))
      .catch(() => log('sms gateway: the incoming-message handler failed (the message stays unanswered and is handed again)'));
  };

  const onDeliver = deliveryHandler({
    store: options.store,
    clock,
    receipts,
    counters,
    ...(options.dedupWindowMs !== undefined ? { dedupWindowMs: options.dedupWindowMs } : {}),
    hand,
  });

  for (const endpoint of options.endpoints) {
    const session = new EsmeSession(
      endpoint,
      {
        onDeliver,
        onBound: (smsc) => {
          links.changed(smsc);
          wake();
        },
        onDown: (smsc) => links.changed(smsc),
        onBindFailed: (smsc, status) => log(`smpp ${smsc}: bind refused (status 0x${status.toString(16)}), retrying with backoff`),
        log,
      },
      timings,
      random,
    );
    links.add(session);
  }

  const sender = new OutboxSender({
    store: options.store,
    gatewayId: id,
    clock,
    random,
    log,
    links,
    receipts,
    counters,
    ...(options.sourceAddress !== undefined ? { sourceAddress: options.sourceAddress } : {}),
    batch: options.batch ?? 50,
    leaseMs: options.leaseMs ?? 60_000,
    retryBaseMs: options.retryBaseMs ?? 2_000,
    retryMaxMs: options.retryMaxMs ?? 10 * 60_000,
    minSpacingMs,
    smscs: options.endpoints.length,
  });
  const wake = () => {
    if (!closed) void sender.pass();
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
    links.persistAll();
    receipts.prune();
  }, 10_000);
  for (const t of [pollTimer, rehandTimer, linkTimer]) t.unref();
  links.start();
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
      links.entries().map(([smsc, l]) => ({
        smsc,
        bound: l.session.bound,
        binds: l.session.stats.binds,
        bindFailures: l.session.stats.bindFailures,
        ...(l.session.stats.lastError ? { lastError: l.session.stats.lastError } : {}),
      })),
    async whenBound(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (!links.allBound()) {
        if (Date.now() > until) throw new Error('the SMS gateway did not bind in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      closed = true;
      sender.stop();
      links.stopWriting();
      unsubscribe();
      for (const t of [pollTimer, rehandTimer, linkTimer]) clearInterval(t);
      await links.closeSessions();
      await sender.idle();
      await links.forget();
    },
  };
}
