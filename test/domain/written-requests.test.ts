/** The written-request rules (decision 0040): consent, lifecycle, deadlines, scans, numbers, letters. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CHANNEL_VI, DECIDED_STATUSES, OPEN_STATUSES, REFUSAL_BODY, REPLY_BODY, SUBJECT_REFUSED_REASON, cleanFields, cleanReasons, consentRequired, decisionDeadline, DECISION_PERIOD_DAYS, FIELD_GROUP_VI, FIELD_GROUPS, initialStatus,
  FIRST_RECEIPT_DAY, nextStatus, RECEIPT_CLOCK_SKEW_MS, receiptAt, refusalLines, replyLines, REQUEST_ID_PATTERN, requestIdFor, requestLines, requesterLine, SCAN_MAX_BYTES, scanProblem, sniffScan,
  type RequestAction, type Requester, type RequestStatus,
} from '../../src/domain/written-requests/rules.js';
import { addWorkingDays, isWorkingDay, localDay, receiptOf, workingDaysBetween } from '../../src/domain/residence/working-days.js';
import { vietnamCalendar } from '../../src/domain/residence/holidays.js';

const calendar = vietnamCalendar(2024, 2030);
const ORG: Requester = { kind: 'organisation', name: 'Công ty A', stateBody: false };
const STATE: Requester = { kind: 'organisation', name: 'Tòa án', stateBody: true };
const SELF: Requester = { kind: 'citizen', personalId: '001080000001', ground: 'self' };

describe('consent and the lifecycle', () => {
  test('only an organisation outside Art. 8(1) waits for consent', () => {
    assert.equal(consentRequired(ORG), true);
    assert.equal(consentRequired(STATE), false);
    assert.equal(consentRequired(SELF), false);
    assert.equal(consentRequired({ kind: 'citizen', personalId: '001080000001', ground: 'minor_child' }), false);
    assert.equal(initialStatus(ORG), 'awaiting_consent');
    assert.equal(initialStatus(STATE), 'open');
    assert.equal(initialStatus(SELF), 'open');
    assert.deepEqual(OPEN_STATUSES, ['awaiting_consent', 'open']);
    assert.deepEqual(DECIDED_STATUSES, ['provided', 'refused']);
  });

  test('every transition, exhaustively', () => {
    const expected: Record<RequestStatus, Record<RequestAction, string>> = {
      awaiting_consent: { consent_given: 'open', consent_refused: 'refused', provide: 'WRITTEN_REQUEST_AWAITING_CONSENT', refuse: 'refused' },
      open: { consent_given: 'CONSENT_NOT_PENDING', consent_refused: 'CONSENT_NOT_PENDING', provide: 'provided', refuse: 'refused' },
      provided: { consent_given: 'WRITTEN_REQUEST_ALREADY_DECIDED', consent_refused: 'WRITTEN_REQUEST_ALREADY_DECIDED', provide: 'WRITTEN_REQUEST_ALREADY_DECIDED', refuse: 'WRITTEN_REQUEST_ALREADY_DECIDED' },
      refused: { consent_given: 'WRITTEN_REQUEST_ALREADY_DECIDED', consent_refused: 'WRITTEN_REQUEST_ALREADY_DECIDED', provide: 'WRITTEN_REQUEST_ALREADY_DECIDED', refuse: 'WRITTEN_REQUEST_ALREADY_DECIDED' },
    };
    for (const [status, row] of Object.entries(expected)) {
      for (const [action, want] of Object.entries(row)) {
        const t = nextStatus(status as RequestStatus, action as RequestAction);
        assert.deepEqual(t, want === want.toLowerCase() ? { ok: true, status: want } : { ok: false, code: want }, `${status} + ${action}`);
      }
    }
  });

  test('property: whatever the steps, a request is decided at most once and never leaves a decided state', () => {
    const action = fc.constantFrom<RequestAction>('consent_given', 'consent_refused', 'provide', 'refuse');
    fc.assert(
      fc.property(fc.constantFrom(ORG, STATE, SELF), fc.array(action, { maxLength: 12 }), (requester, actions) => {
        let status = initialStatus(requester);
        let decisions = 0;
        let provided = false;
        let consented = requester !== ORG;
        for (const a of actions) {
          const t = nextStatus(status, a);
          if (!t.ok) continue;
          if (a === 'consent_given') consented = true;
          if (t.status === 'provided' || t.status === 'refused') decisions++;
          if (t.status === 'provided') provided = true;
          status = t.status;
        }
        assert.ok(decisions <= 1);
        // Nothing is provided without consent when the requester needs it.
        if (provided) assert.ok(consented);
      }),
    );
  });
});

describe('the decision deadline', () => {
  test('3 working days from the working day of receipt', () => {
    assert.equal(DECISION_PERIOD_DAYS, 3);
    // Friday before Tết 2026 (16–20 February off): Monday 23, Tuesday 24, Wednesday 25.
    assert.deepEqual(decisionDeadline('2026-02-13T03:00:00Z', calendar), { receivedOn: '2026-02-13', deadline: { day: '2026-02-25', by: 'end_of_day' } });
    // Sunday: counts from Monday.
    assert.deepEqual(decisionDeadline('2026-05-31T03:00:00Z', calendar), { receivedOn: '2026-06-01', deadline: { day: '2026-06-04', by: 'end_of_day' } });
  });

  test('property: the deadline is the third working day after the day of receipt, and a working day', () => {
    const instant = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    fc.assert(
      fc.property(instant, (at) => {
        const { receivedOn, deadline } = decisionDeadline(at, calendar);
        assert.equal(receivedOn, receiptOf(at, calendar).day);
        assert.ok(receivedOn >= localDay(at));
        assert.equal(deadline.by, 'end_of_day');
        assert.equal(deadline.day, addWorkingDays(receivedOn, 3, calendar));
        assert.ok(isWorkingDay(deadline.day, calendar));
        assert.equal(workingDaysBetween(receivedOn, deadline.day, calendar), 3);
      }),
    );
  });
});

describe('field groups and reasons', () => {
  test('groups come back once each in the registry order; unknown or repeated groups are refused', () => {
    assert.deepEqual(cleanFields(['usage', 'identity']), ['identity', 'usage']);
    assert.deepEqual(cleanFields([...FIELD_GROUPS].reverse()), [...FIELD_GROUPS]);
    assert.equal(cleanFields([]), undefined);
    assert.equal(cleanFields(['identity', 'identity']), undefined);
    assert.equal(cleanFields(['identity', 'medical']), undefined);
    assert.equal(cleanFields(['medical']), undefined);
  });

  test('property: any set of known groups is kept whole and ordered', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...FIELD_GROUPS], { minLength: 1 }), (asked) => {
        assert.deepEqual(cleanFields(asked), FIELD_GROUPS.filter((g) => asked.includes(g)));
      }),
    );
  });

  test('reasons are trimmed, blanks dropped; none left is none', () => {
    assert.deepEqual(cleanReasons(['  a ', '', ' ', 'b']), ['a', 'b']);
    assert.equal(cleanReasons([]), undefined);
    assert.equal(cleanReasons([' ', '\t']), undefined);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 6 }), (items) => {
        const out = cleanReasons(items);
        const kept = items.map((i) => i.trim()).filter((i) => i !== '');
        assert.deepEqual(out, kept.length > 0 ? kept : undefined);
      }),
    );
  });
});

describe('scanned letters', () => {
  const PDF = Buffer.from('%PDF-1.7\n');
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]);
  const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]);

  test('signatures', () => {
    assert.equal(sniffScan(PDF), 'application/pdf');
    assert.equal(sniffScan(PNG), 'image/png');
    assert.equal(sniffScan(JPEG), 'image/jpeg');
    assert.equal(sniffScan(Buffer.from('%PDF-')), 'application/pdf'); // the signature alone
    assert.equal(sniffScan(Buffer.from('%PDF')), undefined); // too short for "%PDF-"
    assert.equal(sniffScan(Buffer.from('%PDX-1')), undefined);
    assert.equal(sniffScan(PNG.subarray(0, 7)), undefined);
    assert.equal(sniffScan(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b])), undefined);
    assert.equal(sniffScan(Buffer.from([0xff, 0xd8])), undefined);
    assert.equal(sniffScan(Buffer.from([0xff, 0xd8, 0xfe])), undefined);
    assert.equal(sniffScan(Buffer.alloc(0)), undefined);
  });

  test('problems, in order: type, empty, size, content', () => {
    assert.equal(scanProblem('text/plain', PDF, 100), 'SCAN_TYPE_UNSUPPORTED');
    assert.equal(scanProblem('application/pdf', Buffer.alloc(0), 100), 'SCAN_EMPTY');
    assert.equal(scanProblem('application/pdf', PDF, PDF.length), undefined);
    assert.equal(scanProblem('application/pdf', PDF, PDF.length - 1), 'SCAN_TOO_LARGE');
    assert.equal(scanProblem('image/png', PDF, 100), 'SCAN_TYPE_MISMATCH');
    assert.equal(scanProblem('image/jpeg', JPEG, 100), undefined);
    assert.equal(scanProblem('image/png', PNG, 100), undefined);
    assert.equal(SCAN_MAX_BYTES, 10 * 1024 * 1024);
  });

  test('property: random bytes pass only under the type their first bytes name', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), fc.constantFrom('application/pdf', 'image/jpeg', 'image/png'), (bytes, declared) => {
        const p = scanProblem(declared, bytes, 100);
        if (bytes.length === 0) assert.equal(p, 'SCAN_EMPTY');
        else assert.equal(p === undefined, sniffScan(bytes) === declared);
      }),
    );
  });
});

describe('numbers and letters', () => {
  test('request numbers: YCTT, the year, 10 Crockford characters', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 10, maxLength: 10 }), fc.integer({ min: 2000, max: 2999 }), (digits, year) => {
        let i = 0;
        const id = requestIdFor(year, () => digits[i++]!);
        assert.match(id, new RegExp(REQUEST_ID_PATTERN));
        assert.ok(id.startsWith(`YCTT-${year}-`));
        assert.equal(i, 10);
      }),
    );
    assert.equal(requestIdFor(2026, () => 0), 'YCTT-2026-0000000000');
    for (const bad of ['YCTT-2026-000000000I', 'YCTT-2026-000000000', 'yctt-2026-0000000000', 'YCTT-26-0000000000', 'XYCTT-2026-0000000000', 'YCTT-2026-00000000000']) {
      assert.doesNotMatch(bad, new RegExp(REQUEST_ID_PATTERN), bad);
    }
    assert.equal(requestIdFor(2026, () => 31), 'YCTT-2026-ZZZZZZZZZZ');
  });

  test('the requester as printed', () => {
    assert.equal(requesterLine(ORG), 'Công ty A');
    assert.equal(requesterLine({ ...ORG, registrationNumber: '0101', address: 'Hà Nội' }), 'Công ty A, số đăng ký 0101, địa chỉ Hà Nội');
    assert.equal(requesterLine({ ...ORG, address: 'Hà Nội' }), 'Công ty A, địa chỉ Hà Nội');
    assert.equal(requesterLine(SELF, 'Trần Văn A'), 'Trần Văn A (số định danh cá nhân 001080000001)');
    assert.equal(requesterLine(SELF), 'Công dân (số định danh cá nhân 001080000001)');
    assert.equal(requesterLine({ ...SELF, ground: 'minor_child' }, 'B'), 'B (số định danh cá nhân 001080000001), cha/mẹ của người chưa thành niên');
    assert.equal(requesterLine({ ...SELF, ground: 'legal_representative' }, 'B'), 'B (số định danh cá nhân 001080000001), người đại diện theo pháp luật');
  });

  test('letter lines: the request, then the reasons or the data by group', () => {
    const head = requestLines({ requestId: 'YCTT-2026-0000000000', receivedOn: '2026-02-05', channel: 'post', requester: 'Công ty A', purpose: 'Tuyển dụng' });
    assert.deepEqual(head, [
      { label: 'Số phiếu yêu cầu', value: 'YCTT-2026-0000000000' },
      { label: 'Ngày tiếp nhận', value: `05/02/2026 (${CHANNEL_VI.post})` },
      { label: 'Người yêu cầu', value: 'Công ty A' },
      { label: 'Mục đích, lý do', value: 'Tuyển dụng' },
    ]);
    assert.deepEqual(CHANNEL_VI, { counter: 'Nộp trực tiếp', post: 'Qua đường bưu chính' });
    assert.deepEqual(FIELD_GROUP_VI, {
      identity: 'Thông tin nhân thân',
      residence: 'Thông tin về cư trú',
      household: 'Thông tin về hộ gia đình',
      card: 'Thông tin về thẻ căn cước',
      usage: 'Lịch sử khai thác thông tin',
    });
    assert.match(SUBJECT_REFUSED_REASON, /^Chủ thể thông tin không đồng ý .*Nghị định 70\/2024\/NĐ-CP, Điều 10 khoản 2/);
    assert.match(REPLY_BODY, /Luật Căn cước, Điều 10 khoản 5 điểm c/);
    assert.match(REFUSAL_BODY, /từ chối cung cấp thông tin/);
    assert.deepEqual(refusalLines(head, ['x', 'y']).slice(4), [{ label: 'Lý do từ chối 1', value: 'x' }, { label: 'Lý do từ chối 2', value: 'y' }]);
    const line = { label: 'Họ, chữ đệm và tên', value: 'Trần Văn A' };
    assert.deepEqual(replyLines(head, [{ group: 'identity', lines: [line] }, { group: 'card', lines: [] }]).slice(4), [
      { label: FIELD_GROUP_VI.identity, value: '1 mục' },
      line,
      { label: FIELD_GROUP_VI.card, value: 'Không có thông tin' },
    ]);
    assert.deepEqual(replyLines(head, []), head);
    assert.notEqual(replyLines(head, []), head); // a new list: the header is not changed in place
  });
});

describe('the receipt instant an officer states', () => {
  const NOW = '2026-06-01T03:00:00.000Z';
  const at = (ms: number) => new Date(ms).toISOString();
  test('none stated: now', () => {
    assert.deepEqual(receiptAt(undefined, NOW), { ok: true, at: NOW });
  });
  test('a real instant, with its offset, normalised to UTC', () => {
    assert.deepEqual(receiptAt('2026-05-29T16:30:00+07:00', NOW), { ok: true, at: '2026-05-29T09:30:00.000Z' });
    assert.deepEqual(receiptAt('2026-05-29T09:30:00Z', NOW), { ok: true, at: '2026-05-29T09:30:00.000Z' });
  });
  test('not an instant: a leap second, 31 February, 24:00, text, no offset → RECEIVED_AT_INVALID', () => {
    for (const bad of ['2016-12-31T23:59:60Z', '2026-02-31T03:00:00Z', '2026-05-01T24:00:00Z', '1 June 2026', '2026-05-01T03:00:00', '']) {
      assert.deepEqual(receiptAt(bad, NOW), { ok: false, code: 'RECEIVED_AT_INVALID' }, bad);
    }
  });
  test('before 1 July 2024 in Vietnam (the Law took effect) → RECEIVED_BEFORE_LAW; from its first instant on, accepted', () => {
    assert.equal(FIRST_RECEIPT_DAY, '2024-07-01');
    const first = Date.parse('2024-07-01T00:00:00+07:00');
    assert.deepEqual(receiptAt(at(first), NOW), { ok: true, at: '2024-06-30T17:00:00.000Z' });
    assert.deepEqual(receiptAt(at(first - 1), NOW), { ok: false, code: 'RECEIVED_BEFORE_LAW' });
    for (const old of ['0001-01-01T00:00:00Z', '1900-01-01T00:00:00Z', '2024-06-30T16:59:59Z']) assert.deepEqual(receiptAt(old, NOW), { ok: false, code: 'RECEIVED_BEFORE_LAW' }, old);
  });
  test('ahead of now: within the clock skew taken as now, beyond it DATE_IN_FUTURE', () => {
    assert.equal(RECEIPT_CLOCK_SKEW_MS, 300_000);
    const now = Date.parse(NOW);
    assert.deepEqual(receiptAt(at(now), NOW), { ok: true, at: NOW });
    assert.deepEqual(receiptAt(at(now + 1), NOW), { ok: true, at: NOW });
    assert.deepEqual(receiptAt(at(now + RECEIPT_CLOCK_SKEW_MS), NOW), { ok: true, at: NOW });
    assert.deepEqual(receiptAt(at(now + RECEIPT_CLOCK_SKEW_MS + 1), NOW), { ok: false, code: 'DATE_IN_FUTURE' });
    assert.deepEqual(receiptAt(at(now - 1), NOW), { ok: true, at: at(now - 1) });
  });
  test('property: any instant from the Law to now is accepted as itself, and its deadline can be computed', () => {
    const from = Date.parse('2024-06-30T17:00:00.000Z');
    const to = Date.parse(NOW);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (ms) => {
        const r = receiptAt(at(ms), NOW);
        assert.deepEqual(r, { ok: true, at: at(ms) });
        if (r.ok) assert.ok(decisionDeadline(r.at, calendar).deadline.day > r.at.slice(0, 10));
      }),
    );
  });
});
