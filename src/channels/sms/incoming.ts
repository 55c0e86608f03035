/**
 * What an SMSC delivers to the gateway (decision 0037), answered by the deliver_sm_resp status this
 * resolves to: a delivery receipt goes to the receipts; any other part is stored by the inbox before
 * the response goes out (concatenated by UDH or the SAR TLVs, deduplicated), and a message made whole
 * is handed on after the commit.
 */
import { decodeBody, parseUserData } from '../../domain/sms/encoding.js';
import type { Store } from '../../services/sms/gateway-records.js';
import type { Clock } from '../../services/clock.js';
import { receiveSmsPart, type IncomingSms } from '../../services/sms/inbox.js';
import { FINAL_STATES, STATUS, TLV, parseDeliveryReceipt, readTlvInt, type ShortMessage } from './pdu.js';
import type { Receipts } from './receipts.js';

const RECEIPT_MASK = 0x3c;

export interface DeliveryContext {
  store: Store;
  clock: Clock;
  receipts: Receipts;
  /** The gateway's counters this side adds to. */
  counters: { delivered: number; failed: number; received: number };
  dedupWindowMs?: number;
  /** Called with each new whole message once it is stored. */
  hand(message: IncomingSms): void;
}

/** The ESME sessions' onDeliver: a receipt or an incoming part → the deliver_sm_resp status. */
export function deliveryHandler(ctx: DeliveryContext): (sm: ShortMessage, smsc: string) => Promise<number> {
  const { store, clock, counters } = ctx;
  return async (sm, smsc) => {
    const esmClass = sm.esmClass ?? 0;
    if ((esmClass & RECEIPT_MASK) === 0x04) {
      const user = parseUserData(sm.shortMessage, (esmClass & 0x40) !== 0);
      const receipt = parseDeliveryReceipt(decodeBody(sm.dataCoding ?? 0, user.body), sm.tlvs ?? new Map());
      if (!receipt || !FINAL_STATES.has(receipt.stat)) return STATUS.ESME_ROK;
      const state = await ctx.receipts.apply(smsc, receipt.messageId, receipt.stat);
      if (state === 'delivered') counters.delivered++;
      else if (state === 'failed') counters.failed++;
      return STATUS.ESME_ROK;
    }
    const tlvs = sm.tlvs ?? new Map<number, Uint8Array>();
    const sarRef = readTlvInt(tlvs.get(TLV.sar_msg_ref_num));
    const sarTotal = readTlvInt(tlvs.get(TLV.sar_total_segments));
    const sarSeq = readTlvInt(tlvs.get(TLV.sar_segment_seqnum));
    const umr = readTlvInt(tlvs.get(TLV.user_message_reference));
    const message = await receiveSmsPart(
      store,
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
      { clock, ...(ctx.dedupWindowMs !== undefined ? { dedupWindowMs: ctx.dedupWindowMs } : {}) },
    );
    if (message) {
      counters.received++;
      // After the store has committed; deliver_sm_resp goes out as this resolves.
      setImmediate(() => ctx.hand(message));
    }
    return STATUS.ESME_ROK;
  };
}
