/**
 * The citizens' SMS service end to end through the real SMPP path (issue 14 items 4 and 7): handsets
 * bound to the test SMSC (a real SMPP peer on the `smpp` package's server side) text the service;
 * the gateway stores each message and hands it to the handler, which answers from the registry,
 * records the citizen's own use and queues the reply; the reply comes back to the handset
 * reassembled from its parts. Nothing is mocked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { birthBody, startTestServer, type TestServer } from '../../support/http.js';
import { asCitizen } from '../../support/usage.js';
import { seedPopulation } from '../../../src/services/seed.js';
import { registerAgency } from '../../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../../src/services/subscribers/index.js';
import { createPrincipal } from '../../../src/services/principals.js';
import { startTestSmsc, type TestSmsc } from '../../../src/channels/sms/test-smsc.js';
import { connectHandset, type Handset } from '../../../src/channels/sms/test-handset.js';
import { startSmsGateway, type SmsGateway } from '../../../src/channels/sms/gateway.js';
import { parseSmppUrls } from '../../../src/channels/sms/smpp-url.js';
import { answerSms, createCitizenSms, OWN_REQUEST_PURPOSE, type CitizenSms } from '../../../src/services/sms/citizen-sms.js';
import { receiveSmsPart } from '../../../src/services/sms/inbox.js';
import { findOutboxByKey } from '../../../src/store/repositories/sms-outbox.js';
import { getCitizen } from '../../../src/services/citizens/read.js';
import { getCardStatus } from '../../../src/services/cards/lifecycle.js';
import { getHouseholdOf } from '../../../src/services/residence/queries.js';
import { helpText } from '../../../src/domain/sms/help.js';
import { NOT_FOUND_REPLY, RATE_LIMITED_REPLY } from '../../../src/domain/sms/replies.js';
import { dateVi } from '../../../src/domain/dates/partial-date.js';
import { withoutDiacritics } from '../../../src/domain/text/normalize.js';

const FAST = { pollMs: 20, retryBaseMs: 50, retryMaxMs: 200, throttleBaseMs: 100, throttleMaxMs: 400, rehandAfterMs: 300, timings: { backoffBaseMs: 50, backoffMaxMs: 200, responseTimeoutMs: 2000 } };
const OPERATOR = { code: 'SMSTEL', name: 'Nhà mạng thử nghiệm', type: 'telecom_operator' as const, stateBudgetFunded: false, focalPoints: [{ fullName: 'Trần Văn Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@smstel.example' }] };

let s: TestServer;
let smsc: TestSmsc;
let gateway: SmsGateway;
let service: CitizenSms;
let people: string[];
const handsets: Handset[] = [];
let nextRecord = 0;

const num = (i: number) => `+8497${String(i).padStart(7, '0')}`;
async function link(number: string, personalId: string): Promise<void> {
  await submitSubscriberLink(s.runtime.ctx, OPERATOR.code, { recordId: `R-${++nextRecord}`, action: 'link', number, personalId, confirmedAt: '2026-05-01T09:00:00+07:00' });
}
async function handset(number: string): Promise<Handset> {
  const h = await connectHandset(smsc.url, number);
  handsets.push(h);
  return h;
}
/** Texts the service and waits for the one reply. */
async function ask(h: Handset, text: string): Promise<{ text: string; parts: number; from: string }> {
  await h.send(text);
  return h.nextMessage(10_000);
}

before(async () => {
  s = await startTestServer('2026-06-01T03:00:00.000Z');
  await seedPopulation(s.runtime.store, s.runtime.catalogue.categories, s.clock, { seed: 7, count: 300 });
  people = (await s.runtime.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').execute()).map((r) => r.personal_id);
  await registerAgency(s.runtime.ctx, OPERATOR);
  smsc = await startTestSmsc({ systemId: 'dancu', password: 'secret' });
  service = createCitizenSms(s.runtime.ctx, s.runtime.catalogue, { perNumberPerMinute: 0 });
  gateway = startSmsGateway({ store: s.runtime.store, endpoints: parseSmppUrls(smsc.url), handler: (m) => service.handle(m), log: () => undefined, ...FAST });
  await gateway.whenBound(5000);
});
after(async () => {
  for (const h of handsets) await h.close();
  await gateway?.close();
  await smsc?.close();
  await s?.close();
});

describe('a registered number', () => {
  test('gets each command answered with its own data, reassembled from its parts', async () => {
    const me = people[0]!;
    await link(num(1), me);
    const h = await handset(num(1));
    const { citizen } = await getCitizen(s.runtime.ctx, me);

    const id = await ask(h, 'cn');
    assert.equal(id.text, `Họ tên: ${citizen.fullName}\nNgày sinh: ${dateVi(citizen.dateOfBirth)}\nSố định danh: ${me}\nCMND cũ: ${citizen.legacyIdNumber ?? 'không có'}`);
    assert.ok(id.parts >= 2, `UCS-2, ${id.parts} parts`);

    const ct = await ask(h, 'Cư trú');
    const lines = ct.text.split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^Thường trú: /);
    assert.match(lines[1]!, /^Tạm trú: /);
    assert.match(lines[2]!, /^Nơi ở hiện tại: /);
    assert.equal((await ask(h, 'CT TH')).text, lines[0]);
    assert.equal((await ask(h, 'tam tru')).text, lines[1]);
    assert.equal((await ask(h, 'CT HT')).text, lines[2]);

    const household = await getHouseholdOf(s.runtime.ctx, s.runtime.catalogue, { personalId: me }).catch(() => undefined);
    const hk = await ask(h, 'HỘ KHẨU');
    if (household) {
      const head = household.members.find((m) => m.relationship === 'head');
      assert.ok(hk.text.startsWith(`Hộ: ${household.place.today.text}\nChủ hộ: ${head?.fullName ?? 'chưa có'}`), hk.text);
    } else assert.equal(hk.text, 'Bạn chưa thuộc hộ gia đình nào (chưa đăng ký thường trú).');

    const cards = await getCardStatus(s.runtime.ctx, me);
    const card = cards.current ?? cards.cards.at(-1);
    const the = await ask(h, 'THE');
    if (card) assert.ok(the.text.includes(` số ${card.cardNo}, cấp ${dateVi(card.issueDate)}`), the.text);
    else assert.equal(the.text, 'Chưa có thẻ căn cước.');

    assert.equal((await ask(h, 'HD')).text, helpText());
    assert.equal((await ask(h, 'what is this')).text, helpText(), 'unknown syntax: the help');

    const kd = await ask(h, 'CN KD');
    assert.equal(kd.text, withoutDiacritics(id.text));
    assert.equal(smsc.submitted.filter((p) => p.to === num(1).slice(1)).at(-1)?.dataCoding, 0, 'GSM-7');

    const nk = await ask(h, 'nhật ký');
    assert.ok(nk.text.startsWith('Sử dụng dữ liệu gần nhất:\n'), nk.text);
    assert.ok(nk.text.includes('Công dân: Yêu cầu của chính công dân: Tự tra cứu thông tin cá nhân qua SMS'), nk.text);
  });

  test('the answered requests are the citizen\'s own accesses in /me/usage, with no agency and no fee', async () => {
    const me = people[0]!;
    const { token } = await createPrincipal(s.runtime.store, s.clock, 'Công dân thử', 'citizen', undefined, { personalId: me });
    const r = await asCitizen(s, token, 'GET', '/me/usage?limit=100');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const sms = r.body.items.filter((i: any) => i.action.startsWith('sms:'));
    assert.deepEqual(sms.map((i: any) => i.action).sort(), ['sms:card', 'sms:current', 'sms:household', 'sms:identity', 'sms:identity', 'sms:permanent', 'sms:residence', 'sms:temporary', 'sms:usage'].sort());
    const identity = sms.find((i: any) => i.action === 'sms:identity');
    assert.equal(identity.kind, 'citizen');
    assert.equal(identity.purpose, OWN_REQUEST_PURPOSE);
    assert.equal(identity.outcome, 'served');
    assert.equal(identity.agencyCode, undefined);
    assert.deepEqual(identity.fields, ['fullName', 'dateOfBirth', 'personalId', 'legacyIdNumber']);
    assert.equal(identity.description, 'Yêu cầu của chính công dân: Tự tra cứu thông tin cá nhân qua SMS');
    // Never charged and no agency's: statements count primary rows of an agency with their fee.
    const rows = await s.runtime.store.db.selectFrom('access_entry').select(['agency_code', 'fee_vnd', 'channel', 'principal_id', 'caller_kind']).where('channel', '=', 'sms').execute();
    assert.ok(rows.length >= 9);
    assert.ok(rows.every((row) => row.agency_code === null && Number(row.fee_vnd) === 0 && row.caller_kind === 'principal'));
    // The help and the unknown text released nothing: not recorded.
    assert.equal(sms.filter((i: any) => i.action === 'sms:help').length, 0);
  });
});

describe('a number linked to a personal ID since re-issued', () => {
  test('is answered with the person under their current number, the use recorded under it; the person sees the number as theirs', async () => {
    const born = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Ngô Thị Đổi Số', dateOfBirth: '1988-09-09', sex: 'female' }) });
    assert.equal(born.status, 201, JSON.stringify(born.body));
    const old = born.body.personalId as string;
    await link(num(12), old);
    const reissued = await s.call('POST', `/citizens/${old}/personal-id-cancellation`, { token: s.tokens.officer, headers: { 'x-purpose': 'reissue' }, body: { reason: 'BIRTH_YEAR_CORRECTED', corrections: { dateOfBirth: '1989-09-09' } } });
    assert.equal(reissued.status, 201, JSON.stringify(reissued.body));
    const current = reissued.body.citizen.personalId as string;

    const h = await handset(num(12));
    const id = await ask(h, 'CN');
    assert.ok(id.text.startsWith(`Họ tên: Ngô Thị Đổi Số\nNgày sinh: 09/09/1989\nSố định danh: ${current}\n`), id.text);
    const entries = await s.runtime.store.db.selectFrom('access_entry').select(['subject_key', 'principal_id']).where('channel', '=', 'sms').where('subject_key', 'in', [old, current]).execute();
    assert.deepEqual(entries, [{ subject_key: current, principal_id: current }]);

    const { token } = await createPrincipal(s.runtime.store, s.clock, 'Đổi số', 'citizen', undefined, { personalId: current });
    const numbers = await asCitizen(s, token, 'GET', '/me/subscriber-numbers');
    assert.equal(numbers.status, 200, JSON.stringify(numbers.body));
    assert.deepEqual(numbers.body.numbers.map((n: { number: string; current: boolean }) => [n.number, n.current]), [[num(12), true]]);
  });
});

describe('a number that is not registered to a living citizen', () => {
  test('never linked: exactly the sentence, whatever it asks', async () => {
    const h = await handset(num(2));
    for (const text of ['CN', 'HD', 'xyz']) assert.equal((await ask(h, text)).text, NOT_FOUND_REPLY);
    assert.equal((await ask(h, 'CN KD')).text, 'So dien thoai hoac cong dan khong ton tai');
  });

  test('a link ended (the number went to a new owner, then was ended) gets it too', async () => {
    await link(num(3), people[1]!);
    const h = await handset(num(3));
    assert.ok((await ask(h, 'CN')).text.includes(people[1]!));
    await submitSubscriberLink(s.runtime.ctx, OPERATOR.code, { recordId: `R-${++nextRecord}`, action: 'end', number: num(3), personalId: people[1]!, endedAt: '2026-05-20T09:00:00+07:00' });
    assert.equal((await ask(h, 'CN')).text, NOT_FOUND_REPLY);
  });
});

describe('replies go only to the number that asked', () => {
  test('every reply in the outbox is addressed to the sender of its request, and every handset got only its own', async () => {
    await link(num(4), people[2]!);
    await link(num(5), people[3]!);
    const [a, b] = [await handset(num(4)), await handset(num(5))];
    const [ra, rb] = await Promise.all([ask(a, 'CN'), ask(b, 'CN')]);
    assert.ok(ra.text.includes(people[2]!) && !ra.text.includes(people[3]!));
    assert.ok(rb.text.includes(people[3]!) && !rb.text.includes(people[2]!));
    const inbox = await s.runtime.store.db.selectFrom('sms_inbox').selectAll().execute();
    assert.ok(inbox.length > 10);
    let replies = 0;
    for (const m of inbox) {
      const reply = await findOutboxByKey(s.runtime.store.db, `sms-reply:${m.message_id}`);
      if (!reply) continue;
      replies++;
      assert.equal(reply.to, m.from_number);
    }
    assert.ok(replies > 10);
    for (const h of handsets) for (const got of h.received) assert.equal(got.from, '8088');
  });
});

describe('fairness and limits', () => {
  test('a flood from one number does not delay another number\'s answer', async (t) => {
    // Messages reach the service in the SMSC's order; fairness is in answering them, so it is judged
    // where the answers are made — the order of the replies queued in the outbox (time-ordered IDs),
    // not the handsets' receipt, which the outbox's own sending order decides. A run shows it only
    // when the flood still waits for answers as the quiet number's message is handed over: on a fast
    // machine a small flood may be answered as quickly as it arrives, so the flood grows until one does.
    await link(num(7), people[5]!);
    const quiet = await handset(num(7));
    const real = service;
    const db = s.runtime.store.db;
    const repliesTo = async (number: string, before?: string) => {
      let q = db.selectFrom('sms_outbox').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'sms-reply').where('to_number', '=', number);
      if (before !== undefined) q = q.where('message_id', '<', before);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    let shown = false;
    for (const [round, FLOOD] of [30, 120, 400].entries()) {
      const floodNumber = num(60 + round);
      await link(floodNumber, people[4]!);
      const flood = await handset(floodNumber);
      let floodHanded = 0;
      let atQuiet: Promise<{ handed: number; backlog: number }> | undefined;
      service = {
        handle: (m) => {
          if (m.from.endsWith(floodNumber.slice(-7))) floodHanded++;
          else if (m.from.endsWith(num(7).slice(-7)) && !atQuiet) {
            const handed = floodHanded;
            atQuiet = repliesTo(floodNumber).then((n) => ({ handed, backlog: handed - n }));
          }
          real.handle(m);
        },
        idle: () => real.idle(),
        get pending() {
          return real.pending;
        },
      };
      try {
        const sending = Promise.all(Array.from({ length: FLOOD }, () => flood.send('CN')));
        await new Promise((r) => setTimeout(r, 30));
        const answer = await ask(quiet, 'CN');
        await sending;
        for (let i = flood.received.length; i < FLOOD; i++) await flood.nextMessage(30_000).catch((e: Error) => assert.fail(`${e.message}: ${flood.received.length} of ${FLOOD} flood replies`));
        assert.ok(answer.text.includes(people[5]!));
        const { handed, backlog } = await atQuiet!;
        if (backlog < 3) continue; // the flood was answered as fast as it came: nothing to show yet
        const quietReply = await db.selectFrom('sms_outbox').select('message_id').where('to_number', '=', num(7)).where('kind', '=', 'sms-reply').orderBy('message_id', 'desc').executeTakeFirstOrThrow();
        const floodFirst = await repliesTo(floodNumber, quietReply.message_id);
        assert.ok(floodFirst < handed, `the quiet number's reply was queued after ${floodFirst} flood replies, of the ${handed} flood messages handed before it (${backlog} then waiting)`);
        shown = true;
        break;
      } finally {
        service = real;
      }
    }
    // Where the answers keep up with the messages' arrival (SQLite on a quiet machine), the quiet
    // number waits only behind the SMSC's own order, which no queue of ours can change: said, not failed.
    if (!shown) t.diagnostic('the flood was answered as fast as it arrived in every round: fairness not exercised end to end here (fair-queue.test.ts covers the queue)');
  });

  test('past the per-number rate: one short "too many" reply, then nothing', async () => {
    const limited = createCitizenSms(s.runtime.ctx, s.runtime.catalogue, { perNumberPerMinute: 3 });
    const prev = service;
    service = limited;
    try {
      await link(num(8), people[6]!);
      const h = await handset(num(8));
      for (let i = 0; i < 6; i++) await h.send('CN');
      const got = [];
      for (let i = 0; i < 4; i++) got.push((await h.nextMessage(10_000)).text);
      // Replies of different lengths may overtake one another on the way; what came is what counts.
      assert.equal(got.filter((t) => t.includes(people[6]!)).length, 3, got.join(' | '));
      assert.equal(got.filter((t) => t === RATE_LIMITED_REPLY).length, 1);
      await limited.idle();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(h.received.length, 4, 'the 6th is not answered');
    } finally {
      service = prev;
    }
  });
});

describe('answered once', () => {
  test('a message the SMSC delivers twice (its deliver_sm_resp lost) is answered once', async () => {
    await link(num(9), people[7]!);
    const h = await handset(num(9));
    smsc.loseNextMoResponses(1);
    const r = await ask(h, 'CN');
    assert.ok(r.text.includes(people[7]!));
    await new Promise((res) => setTimeout(res, 800));
    assert.equal(h.received.length, 1);
  });

  test('a stored message handled twice (a restart, a second handler) gets one reply and one record', async () => {
    await link(num(10), people[8]!);
    const stored = await receiveSmsPart(s.runtime.ctx.store, { smsc: 'test', source: num(10).slice(1), sourceTon: 1, destination: '8088', esmClass: 0, dataCoding: 0, shortMessage: Buffer.from('CN'), userMessageReference: 77 });
    assert.ok(stored);
    const first = await answerSms(s.runtime.ctx, s.runtime.catalogue, stored);
    const second = await answerSms(s.runtime.ctx, s.runtime.catalogue, stored);
    assert.deepEqual([first, second], ['answered', 'already-answered']);
    const entries = await s.runtime.store.db.selectFrom('access_entry').select('entry_id').where('subject_key', '=', people[8]!).where('channel', '=', 'sms').execute();
    assert.equal(entries.length, 1);
    const reply = await findOutboxByKey(s.runtime.store.db, `sms-reply:${stored.id}`);
    assert.equal(reply?.to, num(10));
  });
});
