/**
 * One SMPP 3.4 session to one SMSC, kept bound as transceiver (decision 0037): connect, bind, keep
 * alive with enquire_link (a link silent past its timeout is taken as lost), a window of outstanding
 * requests matched by sequence number, and after any loss — socket error, close, bind refused, protocol
 * error, a response that never came — reconnect and rebind with exponential backoff and jitter.
 * Nothing escapes: every socket error is caught here and every promise handed out settles.
 */
import net from 'node:net';
import {
  CMD,
  RESP,
  STATUS,
  FrameReader,
  decodeCString,
  decodeShortMessage,
  encodeBind,
  encodePdu,
  encodeShortMessage,
  type Pdu,
  type ShortMessage,
} from './pdu.js';
import type { SmscEndpoint } from './smpp-url.js';

export interface EsmeTimings {
  /** Requests outstanding at once (submit_sm awaiting their responses). */
  window: number;
  /** A response later than this: the request's outcome is unknown and the link is taken as lost. */
  responseTimeoutMs: number;
  /** Idle time after which an enquire_link is sent. */
  enquireLinkMs: number;
  /** Reconnect backoff: base × 2^failures, at most max, with jitter (half fixed, half random). */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_ESME_TIMINGS: EsmeTimings = { window: 10, responseTimeoutMs: 10_000, enquireLinkMs: 30_000, backoffBaseMs: 500, backoffMaxMs: 30_000 };

/** Why a submit did not get a response: `written` says whether the SMSC may have received it. */
export class SubmitFailure extends Error {
  constructor(
    readonly reason: 'not-bound' | 'timeout' | 'connection-lost' | 'closed' | 'encode',
    readonly written: boolean,
  ) {
    super(reason);
  }
}

export interface SubmitResult {
  status: number;
  messageId: string;
}

export interface EsmeEvents {
  /** An incoming deliver_sm (MO message or receipt); its resolved status is what deliver_sm_resp says. */
  onDeliver(sm: ShortMessage, smsc: string): Promise<number>;
  onBound?(smsc: string): void;
  onDown?(smsc: string, reason: string): void;
  onBindFailed?(smsc: string, status: number): void;
  /** One line without personal data. */
  log?(line: string): void;
}

interface Pending {
  resolve(pdu: Pdu): void;
  reject(e: SubmitFailure): void;
  timer: NodeJS.Timeout;
}

export class EsmeSession {
  private socket: net.Socket | undefined;
  private state: 'idle' | 'connecting' | 'binding' | 'bound' | 'closed' = 'idle';
  private sequence = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly slotWaiters: (() => void)[] = [];
  private inflight = 0;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private lastHeard = 0;
  readonly stats = { binds: 0, bindFailures: 0, losses: 0, lastError: undefined as string | undefined, lastErrorAt: undefined as string | undefined };

  constructor(
    readonly endpoint: SmscEndpoint,
    private readonly events: EsmeEvents,
    private readonly timings: EsmeTimings = DEFAULT_ESME_TIMINGS,
    private readonly random: () => number = Math.random,
  ) {}

  get bound(): boolean {
    return this.state === 'bound';
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.connect();
  }

  private log(line: string): void {
    this.events.log?.(`smpp ${this.endpoint.name}: ${line}`);
  }

  private noteError(text: string): void {
    this.stats.lastError = text;
    this.stats.lastErrorAt = new Date().toISOString();
  }

  private connect(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const socket = net.connect({ host: this.endpoint.host, port: this.endpoint.port });
    this.socket = socket;
    socket.setNoDelay(true);
    const reader = new FrameReader();
    socket.on('connect', this.contained(socket, 'bind', () => {
      if (this.socket !== socket) return;
      this.state = 'binding';
      this.lastHeard = Date.now();
      let bind: Buffer;
      try {
        bind = encodeBind({ systemId: this.endpoint.systemId, password: this.endpoint.password, systemType: this.endpoint.systemType, addressRange: '' });
      } catch (e) {
        // Credentials the PDU cannot carry (parseSmppUrl refuses them; an endpoint built otherwise may not):
        // a failed bind, retried with backoff — never an exception out of this callback (it would end the process).
        const why = `bind not sent (${e instanceof Error ? e.message : 'encode error'})`;
        this.stats.bindFailures++;
        this.noteError(why);
        this.events.onBindFailed?.(this.endpoint.name, STATUS.ESME_RBINDFAIL);
        this.lost(socket, why);
        return;
      }
      this.request(CMD.bind_transceiver, bind)
        .then((resp) => {
          if (this.socket !== socket) return;
          if (resp.status !== STATUS.ESME_ROK) {
            this.stats.bindFailures++;
            this.noteError(`bind refused (status 0x${resp.status.toString(16)})`);
            this.events.onBindFailed?.(this.endpoint.name, resp.status);
            this.lost(socket, `bind refused (status 0x${resp.status.toString(16)})`);
            return;
          }
          this.state = 'bound';
          this.failures = 0;
          this.stats.binds++;
          this.log('bound as transceiver');
          this.keepAlive(socket);
          this.events.onBound?.(this.endpoint.name);
          this.releaseSlots();
        })
        .catch((e: unknown) => {
          // A SubmitFailure: the loss has been handled where it happened. Anything else is ours: the link goes.
          if (!(e instanceof SubmitFailure)) this.contained(socket, 'bind', () => this.lost(socket, 'bind failed (internal error)'))();
        });
    }));
    socket.on('data', this.contained(socket, 'receive', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.lastHeard = Date.now();
      let pdus: Pdu[];
      try {
        pdus = reader.push(chunk);
      } catch {
        this.lost(socket, 'protocol error (bad command_length)');
        return;
      }
      for (const pdu of pdus) this.receive(socket, pdu);
    }));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // The 'close' that follows does the rest; the code names the failure without any data.
      this.noteError(`socket ${e.code ?? 'error'}`);
    });
    socket.on('close', this.contained(socket, 'close', () => this.lost(socket, this.stats.lastError && this.state === 'connecting' ? this.stats.lastError : 'connection closed')));
  }

  /**
   * A socket callback that cannot throw: an exception in it (a bug, a PDU we cannot encode) would be
   * an uncaught exception that ends the whole server process. It is counted as a failed bind (while
   * binding) or a lost link instead, and the session reconnects with backoff.
   */
  private contained<A extends unknown[]>(socket: net.Socket, what: string, fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        fn(...args);
      } catch (e) {
        const why = `${what} failed (${e instanceof Error ? e.name : 'error'})`;
        try {
          if (this.state === 'binding' || this.state === 'connecting') this.stats.bindFailures++;
          this.noteError(why);
          this.log(why);
          this.lost(socket, why);
        } catch {
          // Nothing more can be done here; the socket is dropped so the next connect starts clean.
          socket.destroy();
        }
      }
    };
  }

  private keepAlive(socket: net.Socket): void {
    clearInterval(this.keepAliveTimer);
    const tick = Math.max(50, Math.min(this.timings.enquireLinkMs, 1000));
    this.keepAliveTimer = setInterval(this.contained(socket, 'enquire_link', () => {
      if (this.socket !== socket || this.state !== 'bound') return;
      if (Date.now() - this.lastHeard < this.timings.enquireLinkMs) return;
      this.lastHeard = Date.now();
      // An unanswered enquire_link times out in request(), which takes the link down.
      this.request(CMD.enquire_link).catch(() => undefined);
    }), tick);
    this.keepAliveTimer.unref();
  }

  private receive(socket: net.Socket, pdu: Pdu): void {
    if (pdu.commandId & RESP) {
      const p = this.pending.get(pdu.sequence);
      if (!p) return;
      this.pending.delete(pdu.sequence);
      clearTimeout(p.timer);
      p.resolve(pdu);
      return;
    }
    switch (pdu.commandId) {
      case CMD.enquire_link:
        this.write(socket, encodePdu(CMD.enquire_link | RESP, 0, pdu.sequence));
        return;
      case CMD.unbind:
        this.write(socket, encodePdu(CMD.unbind | RESP, 0, pdu.sequence));
        this.lost(socket, 'unbound by the SMSC');
        return;
      case CMD.deliver_sm: {
        if (this.state !== 'bound') {
          this.write(socket, encodePdu(CMD.deliver_sm | RESP, STATUS.ESME_RINVBNDSTS, pdu.sequence, Buffer.of(0)));
          return;
        }
        let sm: ShortMessage;
        try {
          sm = decodeShortMessage(pdu.body);
        } catch {
          this.write(socket, encodePdu(CMD.deliver_sm | RESP, STATUS.ESME_RINVMSGLEN, pdu.sequence, Buffer.of(0)));
          return;
        }
        // deliver_sm_resp only once the handler has stored the message (a failure asks the SMSC to retry).
        this.events
          .onDeliver(sm, this.endpoint.name)
          .catch(() => STATUS.ESME_RX_T_APPN)
          .then(this.contained(socket, 'deliver_sm_resp', (status: number) => void this.write(socket, encodePdu(CMD.deliver_sm | RESP, status, pdu.sequence, Buffer.of(0)))));
        return;
      }
      default:
        this.write(socket, encodePdu(CMD.generic_nack, STATUS.ESME_RINVCMDID, pdu.sequence));
    }
  }

  private write(socket: net.Socket, bytes: Buffer): boolean {
    if (this.socket !== socket || socket.destroyed || !socket.writable) return false;
    socket.write(bytes);
    return true;
  }

  private nextSequence(): number {
    this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    return this.sequence;
  }

  /** Sends a request and waits for its response; a timeout takes the link down (its state is unknown). */
  private request(commandId: number, body?: Buffer): Promise<Pdu> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new SubmitFailure('not-bound', false));
    const sequence = this.nextSequence();
    return new Promise<Pdu>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(sequence)) return;
        reject(new SubmitFailure('timeout', true));
        this.noteError('response timeout');
        this.lost(socket, 'response timeout');
      }, this.timings.responseTimeoutMs);
      this.pending.set(sequence, { resolve, reject, timer });
      if (!this.write(socket, encodePdu(commandId, 0, sequence, body))) {
        clearTimeout(timer);
        this.pending.delete(sequence);
        reject(new SubmitFailure('connection-lost', false));
      }
    });
  }

  private releaseSlots(): void {
    while (this.inflight < this.timings.window && this.slotWaiters.length > 0) {
      this.inflight++;
      this.slotWaiters.shift()!();
    }
  }

  /**
   * submit_sm within the window. Resolves with the SMSC's status and message_id; rejects with
   * SubmitFailure — `written` false: certainly not sent; true: the SMSC may have it (decision 0037).
   */
  async submit(sm: ShortMessage): Promise<SubmitResult> {
    if (this.state !== 'bound') throw new SubmitFailure('not-bound', false);
    let body: Buffer;
    try {
      body = encodeShortMessage(sm);
    } catch {
      throw new SubmitFailure('encode', false);
    }
    if (this.inflight >= this.timings.window) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    } else this.inflight++;
    try {
      if (this.state !== 'bound') throw new SubmitFailure('not-bound', false);
      const resp = await this.request(CMD.submit_sm, body);
      if (resp.commandId === CMD.generic_nack) return { status: resp.status || STATUS.ESME_RUNKNOWNERR, messageId: '' };
      return { status: resp.status, messageId: resp.status === STATUS.ESME_ROK ? decodeCString(resp.body) : '' };
    } finally {
      this.inflight--;
      this.releaseSlots();
    }
  }

  /** The link is gone: fail what waits, schedule a reconnect (unless closed). */
  private lost(socket: net.Socket, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    const wasBound = this.state === 'bound';
    clearInterval(this.keepAliveTimer);
    socket.destroy();
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(seq);
      p.reject(new SubmitFailure('connection-lost', true));
    }
    // Waiters for a window slot were never written: they fail as not sent.
    for (const w of this.slotWaiters.splice(0)) {
      this.inflight++;
      w();
    }
    if (this.state === 'closed') return;
    this.state = 'idle';
    this.stats.losses++;
    if (wasBound) this.noteError(reason);
    this.log(`${wasBound ? 'link lost' : 'not bound'}: ${reason}`);
    this.events.onDown?.(this.endpoint.name, reason);
    const exp = Math.min(this.timings.backoffMaxMs, this.timings.backoffBaseMs * 2 ** Math.min(this.failures, 20));
    this.failures++;
    const delay = exp / 2 + (this.random() * exp) / 2;
    this.scheduleConnect(delay);
  }

  private scheduleConnect(delay: number): void {
    this.reconnectTimer = setTimeout(() => {
      try {
        this.connect();
      } catch (e) {
        // net.connect refusing its options synchronously: one more failure, retried at the longest backoff.
        this.stats.bindFailures++;
        this.noteError(`connect failed (${e instanceof Error ? e.name : 'error'})`);
        this.state = 'idle';
        this.scheduleConnect(this.timings.backoffMaxMs);
      }
    }, delay);
  }

  /** unbind (briefly waited for), then close; no reconnect after this. */
  async close(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    if (socket && this.state === 'bound') {
      await Promise.race([this.request(CMD.unbind).catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
    }
    this.state = 'closed';
    clearInterval(this.keepAliveTimer);
    if (socket) this.lost(socket, 'closed');
    for (const w of this.slotWaiters.splice(0)) w();
  }
}
