/**
 * Written requests for citizens' data (issue 14 item 5; decision 0040), over HTTP on the store under
 * test: when a request is due — 3 working days on the residence calendar from its receipt, with the
 * clock injected — and the officers' work lists by deadline (open, due today, overdue, awaiting
 * consent) with their counts. The course of a request is written-requests-decisions.test.ts, who may
 * do what and bad input written-requests-access.test.ts; shared helpers test/support/written-requests.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { family, type Family } from '../support/usage.js';
import { body, ORG, STATE_BODY, writtenRequestCalls } from '../support/written-requests.js';

let s: TestServer;
let f: Family;
const { record, rowCounts } = writtenRequestCalls(() => s);

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z'); // Monday 10:00 in Vietnam
  f = await family(s);
});
after(async () => s.close());

describe('deadlines: 3 working days on the residence calendar', () => {
  const cases: [string, string, string, string][] = [
    // [what, receivedAt (instant), received on, due on]
    ['a Friday before the Tết holidays (16–20 Feb 2026)', '2026-02-13T03:00:00.000Z', '2026-02-13', '2026-02-25'],
    ['a Saturday morning before Tết counts that Saturday', '2026-02-14T02:00:00.000Z', '2026-02-14', '2026-02-25'],
    ['a Saturday afternoon counts from the next working day', '2026-02-14T08:00:00.000Z', '2026-02-23', '2026-02-26'],
    ['a Friday before National Day (2–3 Sep 2026)', '2026-08-28T09:30:00.000Z', '2026-08-28', '2026-09-04'],
    ['late on Sunday evening (local) counts on Monday', '2026-05-31T15:00:00.000Z', '2026-06-01', '2026-06-04'],
    ['a Wednesday before 30 April – 1 May', '2026-04-29T02:00:00.000Z', '2026-04-29', '2026-05-06'],
  ];
  for (const [what, receivedAt, receivedOn, dueOn] of cases) {
    test(what, async () => {
      // Recorded the next day: the receipt, not the recording, starts the period.
      s.clock.set(new Date(Date.parse(receivedAt) + 86_400_000).toISOString());
      const r = await record(body(f.stranger, { channel: 'post', receivedAt })).finally(() => s.clock.set('2026-06-01T03:00:00.000Z'));
      assert.equal(r.receivedOn, receivedOn);
      assert.deepEqual({ day: r.deadline.day, by: r.deadline.by }, { day: dueOn, by: 'end_of_day' });
      assert.equal(r.status, 'open');
    });
  }

  test('a receipt in the future is refused and writes nothing', async () => {
    const before = await rowCounts();
    const r = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: body(f.stranger, { receivedAt: '2026-06-02T03:00:00.000Z' }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'DATE_IN_FUTURE');
    assert.deepEqual(await rowCounts(), before);
  });
});

describe('work lists', () => {
  test('open, due today, overdue and awaiting consent, ordered by deadline, paged; counts agree', async () => {
    const day = (iso: string) => s.clock.set(iso);
    try {
      // A fresh subject keeps this test's requests apart from the others'.
      day('2026-07-06T03:00:00.000Z'); // Monday
      const a = await record(body(f.ward, { requester: STATE_BODY })); // due Thu 9 July
      day('2026-07-07T03:00:00.000Z');
      const b = await record(body(f.ward, { requester: STATE_BODY })); // due Fri 10 July
      const c = await record(body(f.ward, { requester: ORG })); // awaiting consent
      day('2026-07-10T03:00:00.000Z'); // Friday: a overdue, b due today
      const list = async (view: string, more = '') => (await s.call('GET', `/written-requests?view=${view}&personalId=${f.ward}${more}`, { token: s.tokens.officer })).body;
      assert.deepEqual((await list('overdue')).items.map((i: { requestId: string }) => i.requestId), [a.requestId]);
      assert.deepEqual((await list('due_today')).items.map((i: { requestId: string }) => i.requestId), [b.requestId]);
      assert.deepEqual((await list('awaiting_consent')).items.map((i: { requestId: string }) => i.requestId), [c.requestId]);
      const open = await list('open');
      assert.deepEqual(open.items.map((i: { requestId: string }) => i.requestId), [c.requestId, a.requestId, b.requestId]);
      assert.deepEqual(open.items.map((i: { deadline?: { status: string } }) => i.deadline?.status), [undefined, 'overdue', 'due_today']);
      // Pages of one.
      const seen: string[] = [];
      let cursor = '';
      for (;;) {
        const page = await list('open', `&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...page.items.map((i: { requestId: string }) => i.requestId));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, [c.requestId, a.requestId, b.requestId]);
      const counts = (await s.call('GET', '/written-requests/counts', { token: s.tokens.officer })).body;
      const everything = (await s.call('GET', '/written-requests?view=all&limit=200', { token: s.tokens.officer })).body.items as { status: string; deadline?: { day: string } }[];
      const today = '2026-07-10';
      assert.deepEqual(counts, {
        awaitingConsent: everything.filter((i) => i.status === 'awaiting_consent').length,
        open: everything.filter((i) => i.status === 'open').length,
        dueToday: everything.filter((i) => i.status === 'open' && i.deadline?.day === today).length,
        overdue: everything.filter((i) => i.status === 'open' && i.deadline!.day < today).length,
        provided: everything.filter((i) => i.status === 'provided').length,
        refused: everything.filter((i) => i.status === 'refused').length,
      });
      assert.ok(counts.overdue >= 1 && counts.dueToday >= 1 && counts.awaitingConsent >= 1);
    } finally {
      day('2026-06-01T03:00:00.000Z');
    }
  });
});
