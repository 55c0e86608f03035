/**
 * A handset for the test SMSC (test-smsc.ts; decision 0037): a bind serving one number, which texts
 * the service as a phone would (split into parts, a fresh message reference each time) and reassembles
 * what it receives by the concatenation header — through the `smpp` package's codec, independent of
 * ours. For the tests, the demo's `dancu sms simulate|receive` and the bench.
 */
import smpp from 'smpp';
import { splitSms, chooseAlphabet, type SmsAlphabet } from '../../domain/sms/encoding.js';
import { addressDigits } from './test-smsc.js';

type Session = smpp.Session;
type Pdu = smpp.PDU;

export interface HandsetMessage {
  from: string;
  text: string;
  parts: number;
}

export interface Handset {
  number: string;
  /** Sends a text to the service number (split into parts as a phone would). */
  send(text: string, options?: { to?: string; alphabet?: SmsAlphabet }): Promise<void>;
  /** The next whole message (parts reassembled) received; rejects after timeoutMs. */
  nextMessage(timeoutMs?: number): Promise<HandsetMessage>;
  /** Every whole message received so far. */
  readonly received: HandsetMessage[];
  /** Binds again (to the same SMSC, or another URL), keeping what was received and half received. */
  reconnect(url?: string): Promise<void>;
  close(): Promise<void>;
}

/** The number dancu's SMS service answers on, unless told otherwise. */
export const DEFAULT_SERVICE_NUMBER = '8088';

/** A handset bound to the test SMSC serving one number (E.164 or digits). */
export async function connectHandset(url: string, number: string, options: { serviceNumber?: string } = {}): Promise<Handset> {
  const own = addressDigits(number);
  const received: HandsetMessage[] = [];
  const unread: HandsetMessage[] = [];
  const waiting: ((m: HandsetMessage) => void)[] = [];
  const partial = new Map<string, { total: number; parts: Map<number, string> }>();
  let umr = 0;
  let ref = Math.floor(Math.random() * 256);
  const take = (m: HandsetMessage) => {
    received.push(m);
    const w = waiting.shift();
    if (w) w(m);
    else unread.push(m);
  };
  const onDeliver = (session: Session, pdu: Pdu) => {
    session.send(pdu.response());
    const sm = pdu.short_message as { udh?: Buffer[]; message?: string | Buffer };
    const text = typeof sm?.message === 'string' ? sm.message : Buffer.isBuffer(sm?.message) ? sm.message.toString('latin1') : '';
    const concat = sm?.udh?.find((u) => (u[0] === 0x00 && u[1] === 3) || (u[0] === 0x08 && u[1] === 4));
    if (!concat) {
      take({ from: String(pdu.source_addr), text, parts: 1 });
      return;
    }
    const wide = concat[0] === 0x08;
    const r = wide ? concat.readUInt16BE(2) : concat[2]!;
    const total = wide ? concat[4]! : concat[3]!;
    const seq = wide ? concat[5]! : concat[4]!;
    const key = `${pdu.source_addr}:${r}:${total}`;
    const entry = partial.get(key) ?? { total, parts: new Map<number, string>() };
    partial.set(key, entry);
    entry.parts.set(seq, text);
    if (entry.parts.size === total) {
      partial.delete(key);
      const joined = [...entry.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t).join('');
      take({ from: String(pdu.source_addr), text: joined, parts: total });
    }
  };
  /** Binds (again) to an SMSC serving this number; what was half received stays (as on a phone). */
  const bind = async (to: string): Promise<Session> => {
    const u = new URL(to);
    const s = smpp.connect({ host: u.hostname, port: Number(u.port) });
    s.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.on('connect', () => {
        s.bind_transceiver({ system_id: 'handset', password: '', system_type: 'handset', address_range: own }, (pdu) => {
          if (pdu.command_status === 0) resolve();
          else reject(new Error(`handset bind refused: ${pdu.command_status}`));
        });
      });
    });
    s.on('deliver_sm', (pdu: Pdu) => onDeliver(s, pdu));
    return s;
  };
  let session = await bind(url);
  return {
    number: own,
    received,
    async send(text, opts = {}) {
      ref = (ref + 1) % 256;
      const seg = splitSms(text, chooseAlphabet(text, opts.alphabet ?? 'gsm7'), ref);
      umr = (umr + 1) % 256;
      for (const part of seg.parts) {
        await new Promise<void>((resolve, reject) => {
          const sent = session.submit_sm(
            {
              source_addr_ton: 1,
              source_addr_npi: 1,
              source_addr: own,
              destination_addr: opts.to ?? options.serviceNumber ?? DEFAULT_SERVICE_NUMBER,
              esm_class: seg.udhi ? 0x40 : 0,
              data_coding: seg.dataCoding,
              user_message_reference: umr,
              short_message: Buffer.from(part),
            },
            (resp) => (resp.command_status === 0 ? resolve() : reject(new Error(`submit refused: ${resp.command_status}`))),
          );
          if (!sent) reject(new Error('handset not connected'));
        });
      }
    },
    nextMessage(timeoutMs = 5000) {
      const first = unread.shift();
      if (first) return Promise.resolve(first);
      return new Promise<HandsetMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(got), 1);
          reject(new Error(`no message for the handset within ${timeoutMs} ms`));
        }, timeoutMs);
        const got = (m: HandsetMessage) => {
          clearTimeout(timer);
          resolve(m);
        };
        waiting.push(got);
      });
    },
    async reconnect(to = url) {
      if (!session.socket.destroyed) session.destroy();
      session = await bind(to);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (session.socket.destroyed) resolve();
        else session.destroy(() => resolve());
      }),
  };
}
