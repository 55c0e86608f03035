/**
 * Written requests in the HTTP tests (decision 0040; test/http/written-requests-*.test.ts): synthetic
 * scans, requesters, a request's body, and the officer's calls on the server under test.
 */
import assert from 'node:assert/strict';
import { TEST_PURPOSE, type TestServer } from './http.js';

// Synthetic scans: a minimal PDF header and a PNG signature are what the check reads.
export const PDF = Buffer.from('%PDF-1.4\n% scanned letter (synthetic)\n%%EOF\n');
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
export const scanOf = (bytes: Buffer, mediaType = 'application/pdf') => ({ mediaType, contentBase64: bytes.toString('base64') });
export const ORG = { kind: 'organisation', name: 'Công ty TNHH Thử Nghiệm', stateBody: false, registrationNumber: '0101234567', address: 'Số 1 phố Thử, Hà Nội' } as const;
export const STATE_BODY = { kind: 'organisation', name: 'Tòa án nhân dân khu vực 1', stateBody: true } as const;

/** A request received at the counter from the person themself, for their identity, with a PDF scan. */
export function body(personalId: string, more: Record<string, unknown> = {}) {
  return { personalId, channel: 'counter', requester: { kind: 'citizen', personalId }, fields: ['identity'], purpose: 'Làm thủ tục vay vốn', scan: scanOf(PDF), ...more };
}

/** The officer's calls; `server` is read at each call (set in before()). */
export function writtenRequestCalls(server: () => TestServer) {
  async function record(b: unknown, expect = 201) {
    const r = await server().call('POST', '/written-requests', { token: server().tokens.officer, body: b });
    assert.equal(r.status, expect, JSON.stringify(r.body));
    return r.body;
  }

  async function decide(requestId: string, b: unknown, token = server().tokens.officer) {
    return server().call('POST', `/written-requests/${requestId}/decision`, { token, body: b });
  }

  async function download(path: string, token = server().tokens.officer, purpose = TEST_PURPOSE) {
    const res = await fetch(`${server().baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-purpose': encodeURIComponent(purpose) } });
    return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  async function rowCounts() {
    const db = server().runtime.store.db;
    const n = async (t: 'written_request' | 'written_request_event' | 'written_request_scan') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { requests: await n('written_request'), events: await n('written_request_event'), scans: await n('written_request_scan') };
  }

  return { record, decide, download, rowCounts };
}
