/**
 * The gateway's links (decision 0037): one ESME session per SMSC, with its pause after a throttling
 * status and its pace under the contracted rate; the link a message goes on; and each link's state
 * written to the store (sms_link) for `dancu sms status` and /metrics.
 */
import type { Clock } from '../../services/clock.js';
import { forgetSmsLinks, saveSmsLinkState, type Store } from '../../services/sms/gateway-records.js';
import type { EsmeSession } from './esme.js';

export interface Link {
  session: EsmeSession;
  pausedUntil: number;
  consecutiveThrottles: number;
  nextSlotAt: number;
  since: string;
}

export interface LinkSettings {
  store: Store;
  gatewayId: string;
  clock: Clock;
  log: (line: string) => void;
  /** Time between two submits on one link (maxPerSecond); 0: unlimited. */
  minSpacingMs: number;
  /** After ESME_RTHROTTLED / ESME_RMSGQFUL the link pauses: base × 2^(consecutive−1), at most max. */
  throttleBaseMs: number;
  throttleMaxMs: number;
}

export class GatewayLinks {
  private readonly links = new Map<string, Link>();
  // One write at a time per link, each reading the state when it runs: a slow "down" write can never
  // land after the "bound" that followed it.
  private readonly writes = new Map<string, Promise<void>>();
  private rr = 0;
  private closed = false;

  constructor(private readonly settings: LinkSettings) {}

  add(session: EsmeSession): void {
    this.links.set(session.endpoint.name, { session, pausedUntil: 0, consecutiveThrottles: 0, nextSlotAt: 0, since: this.settings.clock.now().toISOString() });
  }

  entries(): [string, Link][] {
    return [...this.links.entries()];
  }

  allBound(): boolean {
    return [...this.links.values()].every((l) => l.session.bound);
  }

  /** The link bound or lost: its state since now, written. */
  changed(smsc: string): void {
    this.links.get(smsc)!.since = this.settings.clock.now().toISOString();
    this.persist(smsc);
  }

  persist(smsc: string): void {
    const { store, gatewayId, clock, log } = this.settings;
    const write = async () => {
      const l = this.links.get(smsc);
      if (!l || this.closed) return;
      const s = l.session.stats;
      await saveSmsLinkState(store, {
        smsc,
        gateway: gatewayId,
        state: l.session.bound ? 'bound' : 'down',
        since: l.since,
        binds: s.binds,
        bindFailures: s.bindFailures,
        lastError: s.lastError ?? null,
        lastErrorAt: s.lastErrorAt ?? null,
        updatedAt: clock.now().toISOString(),
      }).catch(() => log(`sms gateway: could not record the link state of ${smsc}`));
    };
    const next = (this.writes.get(smsc) ?? Promise.resolve()).then(write);
    this.writes.set(smsc, next);
  }

  persistAll(): void {
    for (const smsc of this.links.keys()) this.persist(smsc);
  }

  /** A link bound and not paused: the preferred SMSC's if it is, else the next in turn. */
  available(preferred: string | null): Link | undefined {
    const now = Date.now();
    const ok = (l: Link) => l.session.bound && l.pausedUntil <= now;
    if (preferred) {
      const p = this.links.get(preferred);
      if (p && ok(p)) return p;
    }
    const list = [...this.links.values()].filter(ok);
    if (list.length === 0) return undefined;
    return list[this.rr++ % list.length];
  }

  /** Waits for the link's next slot under maxPerSecond. */
  async pace(l: Link): Promise<void> {
    const { minSpacingMs } = this.settings;
    if (!minSpacingMs) return;
    const now = Date.now();
    const at = Math.max(now, l.nextSlotAt);
    l.nextSlotAt = at + minSpacingMs;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }

  accepted(l: Link): void {
    l.consecutiveThrottles = 0;
  }

  /** The SMSC asked to retry later: the link pauses, longer each time in a row; returns the pause (ms). */
  throttled(l: Link): number {
    const { throttleBaseMs, throttleMaxMs } = this.settings;
    l.consecutiveThrottles++;
    const pause = Math.min(throttleMaxMs, throttleBaseMs * 2 ** Math.min(l.consecutiveThrottles - 1, 20));
    l.pausedUntil = Math.max(l.pausedUntil, Date.now() + pause);
    return pause;
  }

  start(): void {
    for (const [smsc, l] of this.links) {
      this.persist(smsc);
      l.session.start();
    }
  }

  /** No state is written from now on (writes queued before this find it and skip). */
  stopWriting(): void {
    this.closed = true;
  }

  async closeSessions(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.session.close()));
  }

  /** After the last write, this gateway's rows go (a stopped gateway is not a link). */
  async forget(): Promise<void> {
    await Promise.all(this.writes.values());
    await forgetSmsLinks(this.settings.store, this.settings.gatewayId).catch(() => undefined);
  }
}
