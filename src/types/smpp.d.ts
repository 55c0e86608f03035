/**
 * The parts of the `smpp` package (farhadi/node-smpp 0.5.1, no types of its own) that dancu uses: its
 * server side for the test SMSC and its client session for the test handsets (decision 0037).
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {

    /** A decoded PDU: header fields plus the command's parameters and TLVs by name. */
    interface PDU {
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      [field: string]: unknown;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
    }

    interface Session extends EventEmitter {
      socket: Socket;
      send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
      bind_transceiver(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
      submit_sm(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
      deliver_sm(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
      enquire_link(options?: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
      unbind(options?: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    }

    interface Server extends NetServer {
      sessions: Session[];
    }

    function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
    function connect(options: { url?: string; host?: string; port?: number; auto_enquire_link_period?: number }, listener?: () => void): Session;

    const PDU: {
      new (command: string, options?: Record<string, unknown>): PDU;
    };

    const ESME_ROK: number;
    const ESME_RINVPASWD: number;
    const ESME_RBINDFAIL: number;
    const ESME_RTHROTTLED: number;
    const ESME_RINVDSTADR: number;
    const ESME_RX_T_APPN: number;
  }
  export = smpp;
}
