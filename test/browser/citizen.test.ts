/**
 * The citizen's pages in a real browser (Debian's Chromium) against a real server on each store
 * (issue 16 items 3 and 9): a citizen signs in with the personal ID, the password and the code read
 * from the SMS outbox as the test SMSC would deliver it; sees their record; downloads a usage
 * receipt (a tlog-proof for that entry) and flags the entry; asks for a CT07 and downloads its PDF
 * (a PDF carrying their name); shows the card's QR; locks the account and is signed out and
 * refused, unlocks it with a code and signs in again. axe-core on every citizen page at 360 px and on the desktop; README screenshots.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { approve, HANG_BAC, OWNED, submit } from '../support/residence.js';
import { citizenWithAccount, lastCodeTo, type EidCitizen } from '../support/eid.js';
import { sequence } from '../support/usage.js';
import { pdfText } from '../support/pdf.js';
import { parseProof } from '../../src/transparency/receipt.js';
import { decodeReceiptExtra } from '../../src/transparency/receipt-extra.js';
import { axeViolations, browserMissing, describeViolations, DESKTOP, PHONE, screenshot, startPortal, watch, type Portal } from './support/browser.js';

const skip = browserMissing();

async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
}

/** The citizen's pages by their link in the area navigation, with each page's heading. */
const PAGES = [
  ['Thông tin cá nhân', 'Thông tin cá nhân'],
  ['Hộ gia đình và cư trú', 'Hộ gia đình và cư trú'],
  ['Thẻ căn cước', 'Thẻ căn cước'],
  ['Ai đã dùng dữ liệu của tôi', 'Ai đã dùng dữ liệu của tôi'],
  ['Giấy tờ', 'Giấy tờ'],
  ['Đồng ý chia sẻ dữ liệu', 'Đồng ý chia sẻ dữ liệu'],
  ['Yêu cầu bằng văn bản', 'Yêu cầu bằng văn bản'],
  ['Dịch vụ đăng nhập bằng định danh', 'Dịch vụ đăng nhập bằng định danh'],
  ['Tài khoản định danh', 'Tài khoản định danh điện tử'],
] as const;

describe('citizen pages in a browser', { skip }, () => {
  let portal: Portal;
  let anna: EidCitizen;
  let binh: EidCitizen;
  before(async () => {
    portal = await startPortal({ auth: { scryptLogN: 12 }, trustProxy: ['127.0.0.1'] });
    const s = portal.server;
    anna = await citizenWithAccount(s, { fullName: 'Nguyễn Thị Ánh Dương', dateOfBirth: '1988-09-02' });
    binh = await citizenWithAccount(s, { fullName: 'Trần Văn Bình', dateOfBirth: '1979-11-20', sex: 'male' });
    for (const c of [anna, binh]) {
      const app = await submit(s, 'permanent-registrations', { personalId: c.personalId, address: HANG_BAC, lawfulResidence: OWNED });
      await approve(s, app.applicationId);
      const card = await s.call('POST', `/citizens/${c.personalId}/cards`, { token: s.tokens.officer, body: { issueDate: '2025-01-10' } });
      assert.equal(card.status, 201, JSON.stringify(card.body));
      // An officer's read with its purpose: the use the citizen sees, with a receipt once sequenced.
      const read = await s.call('GET', `/citizens/${c.personalId}`, { token: s.tokens.officer, purpose: encodeURIComponent('Kiểm tra hồ sơ cấp căn cước') });
      assert.equal(read.status, 200);
    }
    await sequence(s);
  });
  after(async () => portal?.close());

  async function signIn(page: Page, c: EidCitizen): Promise<void> {
    // Each code a moment after the last, so the newest in the outbox is this one.
    portal.server.clock.advance(1000);
    await page.goto(portal.url('/citizen'));
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập bằng tài khoản định danh điện tử' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/citizen/sign-in');
    await page.getByLabel('Số định danh cá nhân').fill(c.personalId);
    await page.getByLabel('Mật khẩu').fill(c.password);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByLabel('Mã xác thực').waitFor();
    await page.getByLabel('Mã xác thực').fill(await lastCodeTo(portal.server, c.phone));
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Thông tin cá nhân' }).waitFor();
  }

  it('signs in, sees the record, downloads a receipt and flags the entry, gets a CT07 PDF, sees the card QR, locks the account, unlocks it (desktop)', async () => {
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const watched = watch(page);
    await page.goto(portal.url('/citizen/sign-in'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await assertAccessible(page, 'sign-in');
    await signIn(page, anna);
    assert.equal(new URL(page.url()).pathname, '/citizen');
    const facts = page.locator('dl.facts');
    await facts.getByText('Nguyễn Thị Ánh Dương').waitFor();
    await facts.getByText(anna.personalId).waitFor();
    await facts.getByText('02/09/1988').waitFor();
    await facts.getByText('Kinh').waitFor();
    await assertAccessible(page, 'home');
    await screenshot(page, 'citizen-home-1280');

    // Who used my data: the officer's read, its purpose, its receipt for exactly that entry.
    await page.getByRole('link', { name: 'Ai đã dùng dữ liệu của tôi', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Ai đã dùng dữ liệu của tôi' }).waitFor();
    await page.getByText('Kiểm tra hồ sơ cấp căn cước').first().waitFor();
    await assertAccessible(page, 'usage');
    await screenshot(page, 'citizen-usage-1280');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Tải biên nhận/ }).first().click()]);
    const proof = await readFile((await download.path())!, 'utf8');
    const ownUsage = await fetchAsPage(page, '/me/usage');
    const entryId = ownUsage.items[0].entryId as string;
    assert.equal(download.suggestedFilename(), `${entryId}.tlog-proof`);
    const extra = decodeReceiptExtra(parseProof(proof).extra!)!;
    assert.deepEqual([extra.leaf?.kind, extra.leaf?.subjectKey, extra.leaf?.ref], ['access_entry', anna.personalId, entryId]);
    // Flag it: a grievance for inspectors, listed with its status.
    await page.getByRole('button', { name: /^Báo cáo lần truy cập/ }).first().click();
    await page.getByLabel('Bạn không mong đợi điều gì?').fill('Tôi không làm thủ tục nào vào ngày này.');
    await assertAccessible(page, 'usage (report form)');
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await page.getByText('Đã gửi báo cáo. Thanh tra sẽ xem xét.').waitFor();
    await page.getByText(/Tôi không làm thủ tục nào vào ngày này\. — Tình trạng: Đã gửi/).waitFor();
    const grievances = await fetchAsPage(page, '/me/grievances');
    assert.deepEqual(grievances.items.map((g: { entryId: string }) => g.entryId), [entryId]);

    // A CT07, issued at once; its PDF is a PDF with the citizen's name.
    await page.getByRole('link', { name: 'Giấy tờ', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Giấy tờ' }).waitFor();
    await page.getByText('Bạn chưa yêu cầu giấy tờ nào.').waitFor();
    await assertAccessible(page, 'documents (empty)');
    await page.getByRole('button', { name: 'Yêu cầu: Xác nhận thông tin về cư trú (mẫu CT07)' }).click();
    const issued = page.getByText(/^Đã cấp Xác nhận thông tin về cư trú \(mẫu CT07\) số XNCUTR-2026-/);
    await issued.waitFor();
    const number = /(XNCUTR-2026-[0-9A-Z]{8})/.exec((await issued.textContent()) ?? '')![1]!;
    await assertAccessible(page, 'documents (issued)');
    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Tải PDF ${number}` }).click()]);
    assert.equal(pdfDownload.suggestedFilename(), `${number}.pdf`);
    const pdf = await readFile((await pdfDownload.path())!);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = (await pdfText(new Uint8Array(pdf))).normalize('NFC');
    assert.match(text, /NGUYỄN THỊ ÁNH DƯƠNG|Nguyễn Thị Ánh Dương/);
    assert.match(text, new RegExp(number));

    // The card's QR, drawn by the API, shown as an image.
    await page.getByRole('link', { name: 'Thẻ căn cước', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Thẻ căn cước' }).waitFor();
    await page.getByRole('cell', { name: 'Còn giá trị' }).waitFor();
    await page.getByRole('button', { name: 'Hiện mã QR' }).click();
    const qr = page.getByRole('img', { name: 'Mã QR của thẻ căn cước đang có hiệu lực' });
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => { const i = img as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth > 0; }), 'the QR image loaded');
    await assertAccessible(page, 'cards (QR)');

    // No personal data in any URL the pages used.
    assert.ok(!page.url().includes(anna.personalId));

    // Lock: the session ends, the sign-in page says so, the API refuses the old cookie, sign-in is refused.
    await page.getByRole('link', { name: 'Tài khoản định danh', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Tài khoản định danh điện tử' }).waitFor();
    await assertAccessible(page, 'account');
    await page.getByLabel('Lý do (không bắt buộc)').fill('Mất điện thoại');
    await page.getByLabel('Tôi muốn khóa tài khoản ngay').check();
    await page.getByRole('button', { name: 'Khóa tài khoản' }).click();
    await page.getByText('Tài khoản của bạn đã được khóa. Phiên đăng nhập đã kết thúc.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/citizen/sign-in');
    await page.getByRole('link', { name: 'Đăng nhập', exact: true }).waitFor();
    assert.equal(await page.evaluate(async () => (await fetch('/me/record', { headers: { accept: 'application/json' } })).status), 401);
    await page.goto(portal.url('/citizen/documents'));
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập bằng tài khoản định danh điện tử' }).waitFor();
    await page.getByLabel('Số định danh cá nhân').fill(anna.personalId);
    await page.getByLabel('Mật khẩu').fill(anna.password);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByLabel('Mã xác thực').count(), 0);
    await assertAccessible(page, 'sign-in refused');

    // Self-unlock: a code to the account's number, then the code and the password; sign-in works again.
    await page.getByRole('link', { name: 'Mở khóa tài khoản' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mở khóa tài khoản' }).waitFor();
    await page.getByLabel('Số định danh cá nhân').fill(anna.personalId);
    portal.server.clock.advance(1000);
    await page.getByRole('button', { name: 'Gửi mã mở khóa' }).click();
    await page.getByLabel('Mã xác nhận').waitFor();
    await assertAccessible(page, 'unlock (code)');
    await page.getByLabel('Mã xác nhận').fill(await lastCodeTo(portal.server, anna.phone));
    await page.getByLabel('Mật khẩu').fill(anna.password);
    await page.getByRole('button', { name: 'Mở khóa', exact: true }).click();
    await page.getByText('Tài khoản đã được mở khóa. Bạn có thể đăng nhập.').waitFor();
    await page.getByRole('link', { name: 'Về trang đăng nhập' }).click();
    await signIn(page, anna);
    await page.locator('dl.facts').getByText('Nguyễn Thị Ánh Dương').waitFor();
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('every citizen page passes axe at 360 px, in Vietnamese and English', async () => {
    const ctx = await portal.context(PHONE);
    const page = await ctx.newPage();
    const watched = watch(page);
    await signIn(page, binh);
    for (const [link, heading] of PAGES) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      // Every part of the page loaded (a page may load several things at once).
      await page.locator('.state-loading').first().waitFor({ state: 'detached' });
      await assertAccessible(page, `${link} 360`);
    }
    await page.getByRole('link', { name: 'Thông tin cá nhân', exact: true }).click();
    await page.locator('dl.facts').getByText('Trần Văn Bình').waitFor();
    await screenshot(page, 'citizen-home-360');
    await page.getByRole('link', { name: 'Ai đã dùng dữ liệu của tôi', exact: true }).click();
    await page.getByText('Kiểm tra hồ sơ cấp căn cước').first().waitFor();
    await screenshot(page, 'citizen-usage-360');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Who used my data' }).waitFor();
    await assertAccessible(page, 'usage 360 en');
    await page.getByRole('link', { name: 'My record', exact: true }).click();
    await page.locator('dl.facts').getByText('Female').or(page.locator('dl.facts').getByText('Male')).waitFor();
    await assertAccessible(page, 'home 360 en');
    for (const path of ['/citizen/sign-in/register', '/citizen/sign-in/activate', '/citizen/sign-in/unlock']) {
      await page.goto(portal.url(path));
      await page.getByRole('heading', { level: 1 }).waitFor();
      await assertAccessible(page, `${path} 360`);
    }
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });
});

/** A JSON GET from inside the page, with its session cookie (what the page itself may read). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function fetchAsPage(page: Page, path: string): Promise<any> {
  return page.evaluate(async (p) => (await fetch(p, { headers: { accept: 'application/json' } })).json(), path);
}
