/**
 * Who made each written request and whom it is about, in the portal (decision 0040, its 2026-12-06
 * lines), in a real browser against a real server on each store: a father asked in writing for his
 * 15-year-old's data. The teen's page shows that request as made by the father, by the name the
 * teen's record gives him, and about "you"; the father's page shows it as made by "you" and about
 * the teen, by the name his record gives the teen — in Vietnamese and in English. axe on each page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { citizenWithAccount, lastCodeTo, type EidCitizen } from '../support/eid.js';
import { axeViolations, browserMissing, describeViolations, DESKTOP, PHONE, watch, type Portal, startPortal } from './support/browser.js';

const skip = browserMissing();
const SCAN = { mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n% synthetic\n%%EOF\n').toString('base64') };
const BY_FATHER = 'Hồ sơ nhập học của con';
const BY_COMPANY = 'Thẩm định hồ sơ của con';

describe('a written request a father made about his teen, on each one\'s page', { skip }, () => {
  let portal: Portal;
  let father: EidCitizen;
  let teen: EidCitizen;
  before(async () => {
    portal = await startPortal({ auth: { scryptLogN: 12 }, trustProxy: ['127.0.0.1'] });
    const s = portal.server;
    father = await citizenWithAccount(s, { fullName: 'Trần Văn Cha', dateOfBirth: '1980-01-01', sex: 'male' });
    // The birth registration naming the father adds the teen to his record too.
    teen = await citizenWithAccount(s, { fullName: 'Trần Văn Mười Lăm', dateOfBirth: '2011-01-05', sex: 'male', relatives: [{ relation: 'father', personalId: father.personalId, fullName: 'Trần Văn Cha', nationality: 'VN' }] });
    for (const [requester, purpose] of [
      [{ kind: 'citizen', personalId: father.personalId }, BY_FATHER],
      [{ kind: 'organisation', name: 'Công ty Hỏi Con', stateBody: false }, BY_COMPANY],
    ] as const) {
      const r = await s.call('POST', '/written-requests', { token: s.tokens.officer, body: { personalId: teen.personalId, channel: 'counter', requester, fields: ['identity'], purpose, scan: SCAN } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  });
  after(async () => portal?.close());

  async function openRequests(page: Page, who: EidCitizen): Promise<void> {
    portal.server.clock.advance(1000);
    await page.goto(portal.url('/citizen/sign-in'));
    await page.getByLabel('Số định danh cá nhân').fill(who.personalId);
    await page.getByLabel('Mật khẩu').fill(who.password);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByLabel('Mã xác thực').waitFor();
    await page.getByLabel('Mã xác thực').fill(await lastCodeTo(portal.server, who.phone));
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Thông tin cá nhân' }).waitFor();
    await page.getByRole('link', { name: 'Yêu cầu bằng văn bản', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Yêu cầu bằng văn bản' }).waitFor();
    await page.getByText(BY_FATHER, { exact: true }).waitFor();
  }

  /** The requester and "about" cells of the row with this purpose, by their headers. */
  async function whoAndAbout(page: Page, purpose: string, headers: [string, string]): Promise<[string, string]> {
    const names = (await page.getByRole('columnheader').allTextContents()).map((h) => h.trim());
    const cells = await page.getByRole('row').filter({ hasText: purpose }).getByRole('cell').allTextContents();
    return [cells[names.indexOf(headers[0])]!.trim(), cells[names.indexOf(headers[1])]!.trim()];
  }

  async function assertAccessible(page: Page, where: string): Promise<void> {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
  }

  it('the teen\'s page: made by the father (by name), about "you"; the company\'s too, to answer', async () => {
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const watched = watch(page);
    await openRequests(page, teen);
    assert.deepEqual(await whoAndAbout(page, BY_FATHER, ['Người yêu cầu', 'Về ai']), ['Trần Văn Cha', 'Chính bạn']);
    assert.deepEqual(await whoAndAbout(page, BY_COMPANY, ['Người yêu cầu', 'Về ai']), ['Công ty Hỏi Con', 'Chính bạn']);
    await page.getByRole('button', { name: 'Đồng ý: Công ty Hỏi Con', exact: true }).waitFor();
    await assertAccessible(page, 'the teen\'s written requests');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Written requests' }).waitFor();
    assert.deepEqual(await whoAndAbout(page, BY_FATHER, ['Requester', 'About']), ['Trần Văn Cha', 'You']);
    await assertAccessible(page, 'the teen\'s written requests in English');
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('the father\'s page: made by "you", about the teen (by name); not the company\'s request about the teen', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const ctx = await portal.context(viewport);
      const page = await ctx.newPage();
      const watched = watch(page);
      await openRequests(page, father);
      assert.deepEqual(await whoAndAbout(page, BY_FATHER, ['Người yêu cầu', 'Về ai']), ['Chính bạn', 'Trần Văn Mười Lăm']);
      assert.equal(await page.getByText(BY_COMPANY).count(), 0, 'the company\'s request about the 15-year-old is the teen\'s to see');
      await assertAccessible(page, `the father's written requests at ${viewport.width} px`);
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Written requests' }).waitFor();
      assert.deepEqual(await whoAndAbout(page, BY_FATHER, ['Requester', 'About']), ['You', 'Trần Văn Mười Lăm']);
      await assertAccessible(page, `the father's written requests in English at ${viewport.width} px`);
      assert.deepEqual(watched.problems(), []);
      await ctx.close();
    }
  });
});
