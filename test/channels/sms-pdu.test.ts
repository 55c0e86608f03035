/** Our SMPP PDUs: framing over any chunking, bodies round-trip, receipts read from text and TLVs, URLs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CMD,
  FrameReader,
  PduError,
  TLV,
  decodeBind,
  decodeCString,
  decodeShortMessage,
  encodeBind,
  encodeCString,
  encodePdu,
  encodeShortMessage,
  parseDeliveryReceipt,
  tlvCString,
  tlvU8,
} from '../../src/channels/sms/pdu.js';
import { parseSmppUrl, parseSmppUrls } from '../../src/channels/sms/smpp-url.js';
import { senderOf } from '../../src/services/sms/inbox.js';

const cstr = (max: number) => fc.string({ maxLength: max - 1 }).filter((s) => !s.includes('\0') && Buffer.byteLength(s, 'latin1') === s.length && [...s].every((c) => c.charCodeAt(0) < 256));

describe('SMPP PDUs', () => {
  it('frames: any split of a stream of PDUs gives the same PDUs back (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 0x7fffffff }), fc.uint8Array({ maxLength: 300 })), { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 40 }), (pdus, cuts) => {
        const stream = Buffer.concat(pdus.map(([seq, body], i) => encodePdu(CMD.submit_sm, i, seq, Buffer.from(body))));
        const reader = new FrameReader();
        const out = [];
        let at = 0;
        for (const c of cuts) {
          out.push(...reader.push(stream.subarray(at, Math.min(stream.length, at + c))));
          at = Math.min(stream.length, at + c);
        }
        out.push(...reader.push(stream.subarray(at)));
        assert.deepEqual(out.map((p) => [p.commandId, p.status, p.sequence, [...p.body]]), pdus.map(([seq, body], i) => [CMD.submit_sm, i, seq, [...body]]));
      }),
    );
  });

  it('frames: a command_length under 16 or over 64 KiB is a protocol error', () => {
    const bad = Buffer.alloc(16);
    bad.writeUInt32BE(8, 0);
    assert.throws(() => new FrameReader().push(bad), PduError);
    bad.writeUInt32BE(70_000, 0);
    assert.throws(() => new FrameReader().push(bad), PduError);
  });

  it('bind bodies round-trip; over-long fields are refused', () => {
    fc.assert(fc.property(cstr(16), cstr(9), cstr(13), cstr(41), (systemId, password, systemType, addressRange) => {
      assert.deepEqual(decodeBind(encodeBind({ systemId, password, systemType, addressRange })), { systemId, password, systemType, addressRange });
    }));
    assert.throws(() => encodeBind({ systemId: 'x'.repeat(16), password: '', systemType: '', addressRange: '' }), PduError);
    assert.throws(() => encodeBind({ systemId: '', password: '123456789', systemType: '', addressRange: '' }), PduError);
  });

  it('submit_sm / deliver_sm bodies round-trip with raw octets and TLVs (property)', () => {
    fc.assert(
      fc.property(cstr(21), cstr(21), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 254 }), fc.uint8Array({ maxLength: 20 }), (source, destination, esmClass, dataCoding, sm, tlv) => {
        const tlvs = new Map<number, Uint8Array>([[TLV.user_message_reference, tlv]]);
        const d = decodeShortMessage(encodeShortMessage({ source, destination, esmClass, dataCoding, registeredDelivery: 1, sourceTon: 1, sourceNpi: 1, destTon: 2, destNpi: 3, shortMessage: sm, tlvs }));
        assert.deepEqual(
          [d.source, d.destination, d.esmClass, d.dataCoding, d.registeredDelivery, d.sourceTon, d.sourceNpi, d.destTon, d.destNpi, [...d.shortMessage], [...d.tlvs.get(TLV.user_message_reference)!]],
          [source, destination, esmClass, dataCoding, 1, 1, 1, 2, 3, [...sm], [...tlv]],
        );
      }),
    );
    assert.throws(() => encodeShortMessage({ source: '', destination: '', shortMessage: new Uint8Array(255) }), PduError);
  });

  it('a truncated or garbage body is a PduError, never anything else (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
      try {
        decodeShortMessage(Buffer.from(b));
      } catch (e) {
        assert.ok(e instanceof PduError);
      }
      try {
        decodeBind(Buffer.from(b));
      } catch (e) {
        assert.ok(e instanceof PduError);
      }
    }));
  });

  it('C-Octet strings', () => {
    assert.equal(decodeCString(encodeCString('abc123')), 'abc123');
    assert.equal(decodeCString(Buffer.alloc(0)), '');
  });
});

describe('delivery receipts', () => {
  const text = 'id:0a1b2c sub:001 dlvrd:001 submit date:2606010800 done date:2606010801 stat:DELIVRD err:000 text:Ho ten';
  it('from the text (SMPP 3.4 Appendix B)', () => {
    assert.deepEqual(parseDeliveryReceipt(text, new Map()), { messageId: '0a1b2c', stat: 'DELIVRD', err: '000' });
    assert.deepEqual(parseDeliveryReceipt('id:77 stat:undeliv', new Map()), { messageId: '77', stat: 'UNDELIV' });
  });
  it('the TLVs win over the text', () => {
    const tlvs = new Map<number, Uint8Array>([[TLV.receipted_message_id, tlvCString('ffee')], [TLV.message_state, tlvU8(5)]]);
    assert.deepEqual(parseDeliveryReceipt(text, tlvs), { messageId: 'ffee', stat: 'UNDELIV', err: '000' });
  });
  it('without an ID or a state: not a receipt', () => {
    assert.equal(parseDeliveryReceipt('stat:DELIVRD', new Map()), undefined);
    assert.equal(parseDeliveryReceipt('id:5 sub:001', new Map()), undefined);
  });
  it('never throws on any text (property)', () => {
    fc.assert(fc.property(fc.string(), (t) => void parseDeliveryReceipt(t, new Map())));
  });
});

describe('DANCU_SMPP_URL and senders', () => {
  it('parses smpp:// URLs, several comma-separated; the name carries no password', () => {
    assert.deepEqual(parseSmppUrl('smpp://dancu:s%40cret@smsc.example.vn:2776?system_type=VMA'), { name: 'smsc.example.vn:2776', host: 'smsc.example.vn', port: 2776, systemId: 'dancu', password: 's@cret', systemType: 'VMA' });
    assert.equal(parseSmppUrl('smpp://dancu:x@10.0.0.1').port, 2775);
    assert.deepEqual(parseSmppUrls(' smpp://a:b@h1:1 , smpp://c:d@h2:2 ,').map((e) => e.name), ['h1:1', 'h2:2']);
    assert.deepEqual(parseSmppUrls(undefined), []);
    for (const bad of ['http://a:b@h:1', 'smpp://h:1', 'not a url']) assert.throws(() => parseSmppUrl(bad), /DANCU_SMPP_URL/);
  });
  it('the sender: E.164 for a Vietnamese mobile number by TON, else as given', () => {
    assert.equal(senderOf('84912345678', 1), '+84912345678');
    assert.equal(senderOf('912345678', 2), '+84912345678');
    assert.equal(senderOf('0912345678', 0), '+84912345678');
    assert.equal(senderOf('VIETTEL', 5), 'VIETTEL');
    assert.equal(senderOf('12345', 1), '12345');
  });
});
