/**
 * A test SMSC on the `smpp` package's server side — a real SMPP peer over TCP, not a mock of our
 * client — for the tests, the demo and the bench (decision 0037). It routes between binds:
 *
 * - the dancu ESME (bind_transceiver with the configured system_id and password) submits to a number →
 *   a "handset" bind serving that number gets it as deliver_sm (queued until one binds, or accepted at
 *   once with `acceptUnrouted`); once the handset answers, the ESME gets a delivery receipt
 *   (esm_class 0x04, `id:… stat:DELIVRD` text and the receipted_message_id / message_state TLVs);
 * - a handset's submit_sm → the ESME as a mobile-originated deliver_sm (source_addr the handset's number,
 *   international), kept and redelivered until a deliver_sm_resp with status 0 comes back.
 *
 * Faults for tests: drop every ESME connection now, or cleanly after N more answered submits (later ones
 * not taken), answer the next N submits ESME_RTHROTTLED, refuse binds, lose the next N deliver_sm_resp of
 * MO messages, or take N submits and lose their responses (the window SMPP cannot close, decision 0037).
 * The handsets' side is test-handset.ts.
 */
import smpp from 'smpp';
import type { AddressInfo } from 'node:net';

export interface TestSmscOptions {
  port?: number;
  host?: string;
  /** The dancu ESME's credentials. */
  systemId: string;
  password: string;
  /** Submits to numbers without a handset bind: receipted as delivered at once (bench) rather than queued. */
  acceptUnrouted?: boolean;
  /** With acceptUnrouted: the receipt is written before the submit_sm_resp (an SMSC out of order). */
  receiptBeforeResponse?: boolean;
}

/** A message the ESME submitted (one part). */
export interface SubmittedPart {
  messageId: string;
  to: string;
  from: string;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  at: number;
}

export interface TestSmsc {
  url: string;
  port: number;
  /** Every submit_sm the ESME got a successful response for, in order. */
  readonly submitted: SubmittedPart[];
  /** submit_sm answered with an error status (throttled), with the time they came. */
  readonly refusedSubmits: { status: number; at: number }[];
  /** Bind attempts of the ESME side and their outcome. */
  readonly bindAttempts: { systemId: string; ok: boolean }[];
  /** Mobile-originated messages acknowledged by the ESME (deliver_sm_resp status 0), counted per delivery. */
  readonly moAcknowledged: number;
  /** ESME sessions bound now. */
  esmeBinds(): number;
  dropConnections(): void;
  dropAfterSubmits(n: number): void;
  throttleNext(n: number, status?: number): void;
  refuseBinds(on: boolean): void;
  loseNextMoResponses(n: number): void;
  /** The next n ESME submits are taken and routed, but their responses are lost (the link drops). */
  loseNextSubmitResponses(n: number): void;
  close(): Promise<void>;
}

type Session = smpp.Session;
type Pdu = smpp.PDU;

/** A number as the SMSC routes by it: digits, without E.164's '+'. */
export const addressDigits = (n: string) => n.replace(/^\+/, '');
const twoDigits = (n: number) => String(n).padStart(2, '0');
const receiptDate = (d: Date) => `${twoDigits(d.getUTCFullYear() % 100)}${twoDigits(d.getUTCMonth() + 1)}${twoDigits(d.getUTCDate())}${twoDigits(d.getUTCHours())}${twoDigits(d.getUTCMinutes())}`;

/** The short_message the package decoded, as the options it encodes again: the same octets go on. */
function messageOptions(pdu: Pdu): Record<string, unknown> {
  const sm = pdu.short_message as { udh?: Buffer[]; message?: string | Buffer } | Buffer | undefined;
  if (Buffer.isBuffer(sm) || sm === undefined) return { short_message: sm ?? Buffer.alloc(0) };
  if (!sm.udh?.length) return { short_message: { message: sm.message ?? '' } };
  // The package hands the header's elements without the header length octet: put it back.
  const elements = Buffer.concat(sm.udh);
  return { short_message: { udh: Buffer.concat([Buffer.of(elements.length), elements]), message: sm.message ?? '' } };
}

interface QueuedMt {
  messageId: string;
  from: string;
  to: string;
  submittedAt: Date;
  options: Record<string, unknown>;
  registeredDelivery: number;
}

interface QueuedMo {
  options: Record<string, unknown>;
  inFlight: boolean;
}

export async function startTestSmsc(options: TestSmscOptions): Promise<TestSmsc> {
  const esmes = new Set<Session>();
  /** ESME sessions being dropped: nothing more is taken from or sent to them. */
  const draining = new WeakSet<Session>();
  const handsets = new Map<string, Session>();
  const mtQueue = new Map<string, QueuedMt[]>(); // by handset number
  const moQueue: QueuedMo[] = [];
  const pendingReceipts: Record<string, unknown>[] = [];
  const unansweredReceipts = new Map<Session, Set<Record<string, unknown>>>();
  /** MO messages written to an ESME session and not answered yet. */
  const moInFlight = new Map<Session, Set<QueuedMo>>();
  const submitted: SubmittedPart[] = [];
  const refusedSubmits: { status: number; at: number }[] = [];
  const bindAttempts: { systemId: string; ok: boolean }[] = [];
  let nextId = 1;
  // Message IDs unique across SMSC instances (a restarted test SMSC does not count from 1 again).
  const instance = Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
  let dropAfter: number | undefined;
  let throttle = { n: 0, status: smpp.ESME_RTHROTTLED };
  let refuse = false;
  let loseMo = 0;
  let loseSubmitResponses = 0;
  let moAcknowledged = 0;
  let rr = 0;

  const anyEsme = (): Session | undefined => {
    const list = [...esmes].filter((s) => !draining.has(s));
    if (list.length === 0) return undefined;
    return list[rr++ % list.length];
  };

  const sendReceipt = (receipt: Record<string, unknown>) => {
    const s = anyEsme();
    if (!s) {
      pendingReceipts.push(receipt);
      return;
    }
    // Unanswered when the link goes: kept and delivered again on the next bind, as SMSCs do.
    const waiting = unansweredReceipts.get(s) ?? unansweredReceipts.set(s, new Set()).get(s)!;
    waiting.add(receipt);
    s.deliver_sm(receipt, (resp) => {
      waiting.delete(receipt);
      if (resp.command_status !== 0) setTimeout(() => sendReceipt(receipt), 200).unref();
    });
  };

  const receiptFor = (m: QueuedMt, stat: string): Record<string, unknown> => {
    const done = new Date();
    const text = `id:${m.messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${receiptDate(m.submittedAt)} done date:${receiptDate(done)} stat:${stat} err:000 text:`;
    return {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: addressDigits(m.to),
      destination_addr: m.from,
      esm_class: 0x04,
      data_coding: 1,
      short_message: Buffer.from(text, 'latin1'),
      receipted_message_id: m.messageId,
      message_state: stat === 'DELIVRD' ? 2 : 5,
    };
  };

  const deliverToHandset = (number: string) => {
    const h = handsets.get(number);
    const queue = mtQueue.get(number);
    if (!h || !queue) return;
    while (queue.length > 0) {
      const m = queue.shift()!;
      h.deliver_sm({ source_addr: m.from, destination_addr: number, ...m.options }, (resp) => {
        if (resp.command_status === 0) {
          if (m.registeredDelivery & 1) sendReceipt(receiptFor(m, 'DELIVRD'));
        } else {
          // Refused by the handset (it was still binding, say): queued again and offered again soon,
          // not only at its next bind or the next message to it.
          (mtQueue.get(number) ?? mtQueue.set(number, []).get(number)!).push(m);
          setTimeout(() => deliverToHandset(number), 100).unref();
        }
      });
    }
  };

  const pumpMo = () => {
    for (const mo of moQueue) {
      if (mo.inFlight) continue;
      const s = anyEsme();
      if (!s) return;
      mo.inFlight = true;
      // Put back by the session's one 'close' listener if unanswered (a listener per message leaked:
      // MaxListenersExceededWarning with many messages in flight on one ESME link).
      const flying = moInFlight.get(s) ?? moInFlight.set(s, new Set()).get(s)!;
      flying.add(mo);
      s.deliver_sm(mo.options, (resp) => {
        flying.delete(mo);
        if (loseMo > 0) {
          // As if the response were lost on the way: the SMSC never learns, drops the link, redelivers.
          loseMo--;
          mo.inFlight = false;
          s.destroy();
          return;
        }
        mo.inFlight = false;
        if (resp.command_status === 0) {
          moAcknowledged++;
          moQueue.splice(moQueue.indexOf(mo), 1);
        } else setTimeout(pumpMo, 200).unref();
      });
    }
  };

  const onEsmeBound = (session: Session) => {
    esmes.add(session);
    for (const r of pendingReceipts.splice(0)) sendReceipt(r);
    pumpMo();
  };

  /** Takes an ESME's submit: recorded, then to the handset (or queued for it); returns the message ID. */
  const routeMt = (pdu: Pdu, _from: Session): string => {
    const messageId = `${instance}${(nextId++).toString(16).padStart(6, '0')}`;
    const to = addressDigits(String(pdu.destination_addr));
    const m: QueuedMt = {
      messageId,
      from: String(pdu.source_addr ?? ''),
      to,
      submittedAt: new Date(),
      registeredDelivery: Number(pdu.registered_delivery ?? 0),
      options: { esm_class: Number(pdu.esm_class ?? 0) & 0x40, data_coding: pdu.data_coding, ...messageOptions(pdu) },
    };
    submitted.push({ messageId, to, from: m.from, dataCoding: Number(pdu.data_coding), esmClass: Number(pdu.esm_class), registeredDelivery: m.registeredDelivery, at: Date.now() });
    if (handsets.has(to)) {
      (mtQueue.get(to) ?? mtQueue.set(to, []).get(to)!).push(m);
      deliverToHandset(to);
    } else if (options.acceptUnrouted) {
      // After the submit_sm_resp (written when this returns), as an SMSC does — or before it (a test).
      if (m.registeredDelivery & 1) {
        if (options.receiptBeforeResponse) sendReceipt(receiptFor(m, 'DELIVRD'));
        else setImmediate(() => sendReceipt(receiptFor(m, 'DELIVRD')));
      }
    } else (mtQueue.get(to) ?? mtQueue.set(to, []).get(to)!).push(m);
    return messageId;
  };

  const server = smpp.createServer({}, (session: Session) => {
    let role: 'none' | 'esme' | 'handset' = 'none';
    let number = '';
    session.on('error', () => {
      // A peer that vanished: its 'close' cleans up.
    });
    session.socket.on('close', () => {
      esmes.delete(session);
      draining.delete(session);
      pendingReceipts.push(...(unansweredReceipts.get(session) ?? []));
      unansweredReceipts.delete(session);
      for (const mo of moInFlight.get(session) ?? []) mo.inFlight = false;
      moInFlight.delete(session);
      if (role === 'handset' && handsets.get(number) === session) handsets.delete(number);
    });
    session.on('bind_transceiver', (pdu: Pdu) => {
      if (pdu.system_type === 'handset') {
        role = 'handset';
        number = addressDigits(String(pdu.address_range ?? ''));
        handsets.set(number, session);
        session.send(pdu.response({ system_id: 'test-smsc' }));
        deliverToHandset(number);
        return;
      }
      const ok = !refuse && pdu.system_id === options.systemId && pdu.password === options.password;
      bindAttempts.push({ systemId: String(pdu.system_id), ok });
      if (!ok) {
        session.send(pdu.response({ command_status: refuse ? smpp.ESME_RBINDFAIL : smpp.ESME_RINVPASWD }));
        return;
      }
      role = 'esme';
      session.send(pdu.response({ system_id: 'test-smsc' }));
      onEsmeBound(session);
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: Pdu) => {
      if (role === 'none') {
        session.send(pdu.response({ command_status: 0x04 }));
        return;
      }
      if (role === 'handset') {
        const messageId = `mo${nextId++}`;
        session.send(pdu.response({ message_id: messageId }));
        moQueue.push({
          inFlight: false,
          options: {
            source_addr_ton: 1,
            source_addr_npi: 1,
            source_addr: number,
            destination_addr: pdu.destination_addr,
            esm_class: Number(pdu.esm_class ?? 0) & 0x40,
            data_coding: pdu.data_coding,
            user_message_reference: Number(pdu.user_message_reference ?? nextId % 256),
            ...messageOptions(pdu),
          },
        });
        pumpMo();
        return;
      }
      // From the ESME.
      if (draining.has(session)) return; // past the drop point: not taken, never answered
      if (loseSubmitResponses > 0) {
        // Taken and routed, but the response is "lost": the link drops before it goes out.
        loseSubmitResponses--;
        draining.add(session);
        routeMt(pdu, session);
        session.destroy();
        return;
      }
      if (throttle.n > 0) {
        throttle.n--;
        refusedSubmits.push({ status: throttle.status, at: Date.now() });
        session.send(pdu.response({ command_status: throttle.status }));
        return;
      }
      const messageId = routeMt(pdu, session);
      session.send(pdu.response({ message_id: messageId }));
      if (dropAfter !== undefined && --dropAfter === 0) {
        dropAfter = undefined;
        // The responses written so far go out (end flushes them); what comes after is not taken.
        for (const s of esmes) {
          draining.add(s);
          s.socket.end();
        }
      }
    });
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `smpp://${encodeURIComponent(options.systemId)}:${encodeURIComponent(options.password)}@${host}:${port}`,
    port,
    submitted,
    refusedSubmits,
    bindAttempts,
    get moAcknowledged() {
      return moAcknowledged;
    },
    esmeBinds: () => esmes.size,
    dropConnections: () => {
      for (const s of esmes) s.destroy();
    },
    dropAfterSubmits: (n) => {
      dropAfter = n;
    },
    throttleNext: (n, status = smpp.ESME_RTHROTTLED) => {
      throttle = { n, status };
    },
    refuseBinds: (on) => {
      refuse = on;
    },
    loseNextMoResponses: (n) => {
      loseMo = n;
    },
    loseNextSubmitResponses: (n) => {
      loseSubmitResponses = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of [...server.sessions]) s.destroy();
      }),
  };
}
