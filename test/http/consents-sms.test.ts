/**
 * Consent requests (decision 0044) and the citizen's SMS: the notice to the number the subscriber
 * register links to the person (the agency's name and the code, nothing about the person), and the
 * answers DONGY / TUCHOI <code> texted back. The world is test/support/consents.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../support/http.js';
import { smsTexter } from '../support/sms-texting.js';
import { consentCalls, consentWorld } from '../support/consents.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';

let s: TestServer;
let bank: string;
let bank2: string;
let people: string[];
let citizens: string[];
const { asCitizen, ask } = consentCalls(() => ({ s, citizens }));

before(async () => {
  ({ s, bank, bank2, people, citizens } = await consentWorld());
});
after(async () => s?.close());

describe('the citizen is told by SMS', () => {
  test('a registered number gets the agency\'s name and the code, nothing about the person', async () => {
    await registerAgency(s.runtime.ctx, { code: 'TELDY', name: 'Nhà mạng thử', type: 'telecom_operator', stateBudgetFunded: false, focalPoints: [{ fullName: 'Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@teldy.example' }] });
    const p = people[5]!;
    await submitSubscriberLink(s.runtime.ctx, 'TELDY', { recordId: 'DY-1', action: 'link', number: '0981234567', personalId: p, confirmedAt: '2026-01-10' });
    const c = await ask(bank, p, { purpose: '1.004222' });
    assert.equal(c.status, 201);
    const code = (await asCitizen(5, 'GET', `/me/consents/${c.body.consentId}`)).body.code as string;
    const sms = await s.runtime.store.db.selectFrom('sms_outbox').select(['body', 'kind']).where('to_number', '=', '+84981234567').execute();
    assert.equal(sms.length, 1);
    assert.equal(sms[0]!.kind, 'notice');
    assert.ok(sms[0]!.body.includes('Ngan hang Dong Y'), sms[0]!.body);
    assert.ok(sms[0]!.body.includes(code));
    assert.ok(!sms[0]!.body.includes(p));
    assert.ok(!sms[0]!.body.includes('Phương') && !sms[0]!.body.includes('Phuong'));
  });
});

describe('answering by SMS', () => {
  const text = smsTexter(() => s, 100);

  test('DONGY / TUCHOI <code> from the registered number decide; another number, a wrong code, a second answer do not', async () => {
    // people[5] has +84981234567 (linked in the SMS notice test above).
    const p = people[5]!;
    const a = await ask(bank2, p).then((r) => r.body);
    const b = await ask(bank2, p, { purpose: '1.004222' }).then((r) => r.body);
    assert.equal(a.state, 'pending', JSON.stringify(a));
    const codeOf = async (id: string) => (await asCitizen(5, 'GET', `/me/consents/${id}`)).body.code as string;
    const [codeA, codeB] = [await codeOf(a.consentId), await codeOf(b.consentId)];

    const approved = await text('+84981234567', `Dong y ${codeA.toLowerCase().slice(0, 4)}-${codeA.slice(4)}`);
    assert.equal(approved.outcome, 'answered');
    assert.equal(approved.reply, 'Ban da dong y yeu cau cua Van phong cong chung Khac. Rut lai: tren tai khoan dinh danh dien tu.');
    const shown = await asCitizen(5, 'GET', `/me/consents/${a.consentId}`);
    assert.equal(shown.body.state, 'approved');
    assert.deepEqual(shown.body.history.map((h: { kind: string; channel: string }) => `${h.kind}/${h.channel}`), ['requested/exchange', 'approved/sms']);

    assert.match((await text('+84981234567', `TUCHOI ${codeA}`)).reply ?? '', /khong con cho tra loi/);
    assert.equal((await asCitizen(5, 'GET', `/me/consents/${a.consentId}`)).body.state, 'approved');
    // Another number: the code is not found for its owner (nobody here).
    assert.equal((await text('+84987654321', `TUCHOI ${codeB}`)).outcome, 'not-found');
    assert.equal((await text('+84981234567', 'TUCHOI 22222222')).outcome, 'not-found');
    assert.equal((await asCitizen(5, 'GET', `/me/consents/${b.consentId}`)).body.state, 'pending');
    const refused = await text('+84981234567', `tu choi ${codeB}`);
    assert.match(refused.reply ?? '', /Ban da tu choi/);
    assert.equal((await asCitizen(5, 'GET', `/me/consents/${b.consentId}`)).body.state, 'refused');
  });
});
