/**
 * A parent answers a bank's consent request about their 10-year-old in the portal (decision 0044,
 * 2026-06 addition), in a real browser against a real server on each store: the consents page offers
 * the children the parent's record names; the parent chooses the child, approves, and the bank's
 * call is then served; for their 15-year-old the page shows the API's refusal (the child answers
 * alone). axe on the page with the choice; no personal ID in the page's URL. The written requests
 * page lists the request the parent made about the 15-year-old, not an organisation's about the teen
 * (decision 0040: seeing follows answering).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { birthBody } from '../support/http.js';
import { admin, agencyBody, callService, connectIn } from '../support/exchange.js';
import { citizenWithAccount, lastCodeTo, type EidCitizen } from '../support/eid.js';
import { axeViolations, browserMissing, describeViolations, DESKTOP, PHONE, watch, type Portal, startPortal } from './support/browser.js';

const skip = browserMissing();
const PURPOSE = 'KYC-MOTAIKHOAN';

describe('a parent answers consent requests for a child in a browser', { skip }, () => {
  let portal: Portal;
  let parent: EidCitizen;
  let bank: string;
  const kids: Record<'child' | 'teen', string> = { child: '', teen: '' };
  before(async () => {
    portal = await startPortal({ auth: { scryptLogN: 12 }, trustProxy: ['127.0.0.1'] });
    const s = portal.server;
    parent = await citizenWithAccount(s, { fullName: 'Trần Văn Cha', dateOfBirth: '1980-01-01', sex: 'male' });
    // Birth registrations naming the father: the register adds each child to his record too.
    for (const [kid, fullName, dateOfBirth] of [['child', 'Trần Thị Mười', '2016-01-10'], ['teen', 'Trần Văn Mười Lăm', '2011-01-05']] as const) {
      const r = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName, dateOfBirth, relatives: [{ relation: 'father', personalId: parent.personalId, fullName: 'Trần Văn Cha', nationality: 'VN' }] }) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      kids[kid] = r.body.personalId as string;
    }
    await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
    await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
    bank = (await connectIn(s, agencyBody('NHCONG', { type: 'credit_institution', name: 'Ngân hàng Cổng' }), { grants: [{ service: 'lookupCitizen', fields: ['fullName'], purposes: [PURPOSE] }], ratePerMinute: 1000 }, 'active')).token!;
    for (const personalId of Object.values(kids)) {
      const asked = await s.call('POST', '/exchange/consents', { token: bank, purpose: null, body: { personalId, purpose: PURPOSE, data: [{ service: 'lookupCitizen', fields: ['fullName'] }], validDays: 30 } });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
    }
  });
  after(async () => portal?.close());

  async function signIn(page: Page): Promise<void> {
    portal.server.clock.advance(1000);
    await page.goto(portal.url('/citizen/sign-in'));
    await page.getByLabel('Số định danh cá nhân').fill(parent.personalId);
    await page.getByLabel('Mật khẩu').fill(parent.password);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByLabel('Mã xác thực').waitFor();
    await page.getByLabel('Mã xác thực').fill(await lastCodeTo(portal.server, parent.phone));
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Thông tin cá nhân' }).waitFor();
  }

  async function assertAccessible(page: Page, where: string): Promise<void> {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
  }

  it('chooses the 10-year-old, approves the bank\'s request (the bank is then served); the 15-year-old\'s requests are refused with the API\'s reason', async () => {
    const lookup = () => callService(portal.server, bank, 'lookupCitizen', { personalId: kids.child }, { 'x-purpose': PURPOSE });
    assert.equal((await lookup()).body.code, 'SUBJECT_CONSENT_PENDING');
    for (const viewport of [DESKTOP, PHONE]) {
      const ctx = await portal.context(viewport);
      const page = await ctx.newPage();
      const watched = watch(page);
      await signIn(page);
      await page.getByRole('link', { name: 'Đồng ý chia sẻ dữ liệu', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Đồng ý chia sẻ dữ liệu' }).waitFor();
      const choice = page.getByLabel('Yêu cầu về');
      await choice.waitFor();
      await page.getByText('Không có yêu cầu nào.').waitFor();
      assert.deepEqual(await choice.locator('option').allTextContents(), ['Bản thân tôi', 'Trần Thị Mười (con)', 'Trần Văn Mười Lăm (con)']);
      await assertAccessible(page, `consents with the choice at ${viewport.width} px`);

      await choice.selectOption({ label: 'Trần Thị Mười (con)' });
      if (viewport === DESKTOP) {
        await page.getByRole('cell', { name: 'Ngân hàng Cổng', exact: true }).waitFor();
        await page.getByRole('button', { name: 'Đồng ý: Ngân hàng Cổng' }).click();
        await page.getByText('Đã ghi nhận.').waitFor();
        await page.getByText(/^Đã đồng ý \(đến /).waitFor();
      } else {
        await page.getByText(/^Đã đồng ý \(đến /).waitFor();
      }
      await choice.selectOption({ label: 'Trần Văn Mười Lăm (con)' });
      await page.getByText(/Từ đủ 14 tuổi, người được hỏi tự trả lời/).waitFor();
      await assertAccessible(page, `consents refused for the 15-year-old at ${viewport.width} px`);
      for (const id of Object.values(kids)) assert.ok(!page.url().includes(id), 'no personal ID in the page\'s URL');
      assert.deepEqual(watched.problems(), []);
      await ctx.close();
    }
    const served = await lookup();
    assert.equal(served.status, 200, JSON.stringify(served.body));
    assert.equal(served.body.fullName, 'Trần Thị Mười');
    const decided = await portal.server.runtime.store.db.selectFrom('consent_event').select(['kind', 'details']).where('personal_id', '=', kids.child).orderBy('seq').execute();
    assert.deepEqual(decided.map((e) => [e.kind, JSON.parse(e.details).ground]), [['requested', undefined], ['approved', 'minor_child']]);
  });

  it('written requests: the parent sees the one they made about the 15-year-old, not an organisation\'s about the teen (decision 0040, who sees them)', async () => {
    const s = portal.server;
    const scan = { mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n% synthetic\n%%EOF\n').toString('base64') };
    const org = (name: string) => ({ kind: 'organisation', name, stateBody: false });
    for (const [personalId, requester, purpose] of [
      [kids.teen, { kind: 'citizen', personalId: parent.personalId }, 'Hồ sơ nhập học của con'],
      [kids.teen, org('Công ty Hỏi Con'), 'Thẩm định hồ sơ của con'],
      [parent.personalId, org('Công ty Hỏi Cha'), 'Thẩm định hồ sơ vay vốn'],
    ] as const) {
      const r = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: { personalId, channel: 'counter', requester, fields: ['identity'], purpose, scan } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const watched = watch(page);
    await signIn(page);
    await page.getByRole('link', { name: 'Yêu cầu bằng văn bản', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Yêu cầu bằng văn bản' }).waitFor();
    await page.getByRole('cell', { name: 'Hồ sơ nhập học của con', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Công ty Hỏi Cha', exact: true }).waitFor();
    assert.equal(await page.getByText('Công ty Hỏi Con').count(), 0, 'an organisation\'s request about the 15-year-old is the teen\'s to see');
    await assertAccessible(page, 'written requests with one made about a child');
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });
});
