/**
 * SMPP 3.4 PDUs our ESME sends and receives (decision 0037): the header, the bodies of bind_transceiver,
 * submit_sm, deliver_sm and their responses, TLVs, and a frame reader over a TCP byte stream. Bytes in,
 * bytes out — short_message stays raw octets (the encoding is ours, src/domain/sms/encoding.ts).
 */

export const CMD = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_transmitter: 0x00000002,
  submit_sm: 0x00000004,
  deliver_sm: 0x00000005,
  unbind: 0x00000006,
  bind_transceiver: 0x00000009,
  enquire_link: 0x00000015,
} as const;

export const RESP = 0x80000000;

/** command_status values we act on (SMPP 3.4 §5.1.3). */
export const STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDLEN: 0x02,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RALYBND: 0x05,
  ESME_RSYSERR: 0x08,
  ESME_RINVDSTADR: 0x0b,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RMSGQFUL: 0x14,
  ESME_RTHROTTLED: 0x58,
  ESME_RX_T_APPN: 0x64,
  ESME_RUNKNOWNERR: 0xff,
} as const;

/** Statuses that mean "not now": back off and submit again later. */
export const RETRY_LATER: ReadonlySet<number> = new Set([STATUS.ESME_RTHROTTLED, STATUS.ESME_RMSGQFUL, STATUS.ESME_RSYSERR, STATUS.ESME_RX_T_APPN]);

export const TLV = {
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  user_message_reference: 0x0204,
  receipted_message_id: 0x001e,
  message_state: 0x0427,
  message_payload: 0x0424,
} as const;

/** message_state values (SMPP 3.4 §5.3.2.35). */
export const MESSAGE_STATE: Record<number, string> = { 1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD' };

/** No real PDU comes near this; a longer length is a broken or hostile peer. */
export const MAX_PDU_LENGTH = 64 * 1024;

export interface Pdu {
  commandId: number;
  status: number;
  sequence: number;
  body: Buffer;
}

export class PduError extends Error {}

export function encodePdu(commandId: number, status: number, sequence: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(16 + body.length);
  out.writeUInt32BE(16 + body.length, 0);
  out.writeUInt32BE(commandId >>> 0, 4);
  out.writeUInt32BE(status >>> 0, 8);
  out.writeUInt32BE(sequence >>> 0, 12);
  body.copy(out, 16);
  return out;
}

/** Splits a byte stream into PDUs; throws PduError on a length no PDU can have. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Pdu[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const pdus: Pdu[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (length < 16 || length > MAX_PDU_LENGTH) throw new PduError('bad command_length');
      if (this.buffered.length < length) break;
      const frame = this.buffered.subarray(0, length);
      pdus.push({ commandId: frame.readUInt32BE(4), status: frame.readUInt32BE(8), sequence: frame.readUInt32BE(12), body: Buffer.from(frame.subarray(16)) });
      this.buffered = this.buffered.subarray(length);
    }
    return pdus;
  }
}

/** Builds a body field by field. */
class Writer {
  private chunks: Buffer[] = [];
  cstring(s: string, max = 65): this {
    const b = Buffer.from(s, 'latin1');
    if (b.length >= max) throw new PduError('field too long');
    this.chunks.push(b, Buffer.of(0));
    return this;
  }
  u8(n: number): this {
    this.chunks.push(Buffer.of(n & 0xff));
    return this;
  }
  bytes(b: Uint8Array): this {
    this.chunks.push(Buffer.from(b));
    return this;
  }
  tlv(tag: number, value: Uint8Array): this {
    const h = Buffer.alloc(4);
    h.writeUInt16BE(tag, 0);
    h.writeUInt16BE(value.length, 2);
    this.chunks.push(h, Buffer.from(value));
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Reads a body field by field; a short body reads as PduError. */
class Reader {
  at = 0;
  constructor(private readonly b: Buffer) {}
  cstring(): string {
    const end = this.b.indexOf(0, this.at);
    if (end < 0) throw new PduError('unterminated C-Octet String');
    const s = this.b.toString('latin1', this.at, end);
    this.at = end + 1;
    return s;
  }
  u8(): number {
    if (this.at >= this.b.length) throw new PduError('short body');
    return this.b[this.at++]!;
  }
  bytes(n: number): Buffer {
    if (this.at + n > this.b.length) throw new PduError('short body');
    const out = Buffer.from(this.b.subarray(this.at, this.at + n));
    this.at += n;
    return out;
  }
  tlvs(): Map<number, Buffer> {
    const m = new Map<number, Buffer>();
    while (this.at + 4 <= this.b.length) {
      const tag = this.b.readUInt16BE(this.at);
      const len = this.b.readUInt16BE(this.at + 2);
      this.at += 4;
      m.set(tag, this.bytes(len));
    }
    return m;
  }
}

export interface BindBody {
  systemId: string;
  password: string;
  systemType: string;
  addressRange: string;
}

export function encodeBind(b: BindBody): Buffer {
  return new Writer().cstring(b.systemId, 16).cstring(b.password, 9).cstring(b.systemType, 13).u8(0x34).u8(0).u8(0).cstring(b.addressRange, 41).done();
}

export function decodeBind(body: Buffer): BindBody {
  const r = new Reader(body);
  const systemId = r.cstring();
  const password = r.cstring();
  const systemType = r.cstring();
  r.u8();
  r.u8();
  r.u8();
  return { systemId, password, systemType, addressRange: r.cstring() };
}

/** The body of submit_sm and deliver_sm (same layout, SMPP 3.4 §4.4.1 and §4.6.1). */
export interface ShortMessage {
  serviceType?: string;
  sourceTon?: number;
  sourceNpi?: number;
  source: string;
  destTon?: number;
  destNpi?: number;
  destination: string;
  esmClass?: number;
  registeredDelivery?: number;
  dataCoding?: number;
  shortMessage: Uint8Array;
  tlvs?: Map<number, Uint8Array>;
}

export function encodeShortMessage(m: ShortMessage): Buffer {
  if (m.shortMessage.length > 254) throw new PduError('short_message longer than 254 octets');
  const w = new Writer()
    .cstring(m.serviceType ?? '', 6)
    .u8(m.sourceTon ?? 0)
    .u8(m.sourceNpi ?? 0)
    .cstring(m.source, 21)
    .u8(m.destTon ?? 0)
    .u8(m.destNpi ?? 0)
    .cstring(m.destination, 21)
    .u8(m.esmClass ?? 0)
    .u8(0) // protocol_id
    .u8(0) // priority_flag
    .cstring('', 17) // schedule_delivery_time: now
    .cstring('', 17) // validity_period: the SMSC's default
    .u8(m.registeredDelivery ?? 0)
    .u8(0) // replace_if_present_flag
    .u8(m.dataCoding ?? 0)
    .u8(0) // sm_default_msg_id
    .u8(m.shortMessage.length)
    .bytes(m.shortMessage);
  for (const [tag, value] of m.tlvs ?? []) w.tlv(tag, value);
  return w.done();
}

export function decodeShortMessage(body: Buffer): Required<ShortMessage> {
  const r = new Reader(body);
  const serviceType = r.cstring();
  const sourceTon = r.u8();
  const sourceNpi = r.u8();
  const source = r.cstring();
  const destTon = r.u8();
  const destNpi = r.u8();
  const destination = r.cstring();
  const esmClass = r.u8();
  r.u8();
  r.u8();
  r.cstring();
  r.cstring();
  const registeredDelivery = r.u8();
  r.u8();
  const dataCoding = r.u8();
  r.u8();
  const smLength = r.u8();
  const shortMessage = r.bytes(smLength);
  const tlvs = r.tlvs();
  return { serviceType, sourceTon, sourceNpi, source, destTon, destNpi, destination, esmClass, registeredDelivery, dataCoding, shortMessage, tlvs };
}

/** A response body that is one C-Octet String (bind_*_resp system_id, submit_sm_resp message_id). */
export function encodeCString(s: string): Buffer {
  return new Writer().cstring(s, 66).done();
}

export function decodeCString(body: Buffer): string {
  return body.length === 0 ? '' : new Reader(body).cstring();
}

export const tlvU8 = (n: number) => Uint8Array.of(n & 0xff);
export const tlvU16 = (n: number) => Uint8Array.of((n >> 8) & 0xff, n & 0xff);
export const tlvCString = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.of(0)]);
export const readTlvInt = (b: Uint8Array | undefined): number | undefined => (b === undefined || b.length === 0 ? undefined : b.reduce((n, x) => n * 256 + x, 0));
export const readTlvCString = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('latin1').replace(/\0.*$/s, ''));

/** A delivery receipt read from its text (SMPP 3.4 Appendix B) and its TLVs; TLVs win when both are present. */
export interface DeliveryReceipt {
  messageId: string;
  stat: string;
  err?: string;
}

export function parseDeliveryReceipt(text: string, tlvs: Map<number, Uint8Array>): DeliveryReceipt | undefined {
  const id = readTlvCString(tlvs.get(TLV.receipted_message_id)) ?? /(?:^|\s)id:(\S+)/i.exec(text)?.[1];
  const stateCode = readTlvInt(tlvs.get(TLV.message_state));
  const stat = (stateCode !== undefined ? MESSAGE_STATE[stateCode] : undefined) ?? /(?:^|\s)stat:(\S+)/i.exec(text)?.[1]?.toUpperCase();
  if (!id || !stat) return undefined;
  const err = /(?:^|\s)err:(\S+)/i.exec(text)?.[1];
  return err ? { messageId: id, stat, err } : { messageId: id, stat };
}

/** Final receipt states: the message will not change any more. */
export const FINAL_STATES: ReadonlySet<string> = new Set(['DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'REJECTD', 'UNKNOWN']);
