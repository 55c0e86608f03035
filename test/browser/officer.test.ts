/**
 * The counter officer in a real browser (issue 16 items 4 and 9), on each store: signs in with a
 * password and a TOTP code (computed from the secret enrolled through the API, as an authenticator
 * app would), opens a case with its purpose once, uploads a photo of a real card's QR (drawn by the
 * API) and sees the verdict, the person, the card today and the field-by-field comparison, answers
 * the counter questions, then approves a residence application from the queue. Every request of the
 * case carries the one purpose. axe-core at 360 px and on a desktop on every page and state.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { base32Decode, totp } from '../../src/domain/auth/totp.js';
import { HANG_BAC, NGOC_HA, OWNED, granted, person, submit } from '../support/residence.js';
import { axeViolations, browserMissing, describeViolations, DESKTOP, PHONE, screenshot, startPortal, watch, type Portal } from './support/browser.js';

const skip = browserMissing();
const PASSWORD = 'mây trắng bay qua đồi';

async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
}

describe('counter officer in a browser', { skip }, () => {
  let portal: Portal;
  let holder: string;
  let applicationId: string;
  let qrFile: string;
  const code = () => totp((alg, key, msg) => createHmac(alg, key).update(msg).digest(), base32Decode(secret)!, portal.server.clock.now().getTime());
  let secret = '';

  before(async () => {
    portal = await startPortal({ auth: { scryptLogN: 12 } });
    const s = portal.server;
    // A card holder with a permanent residence (so head of a household) and a card issued today.
    holder = await person(s, 'Lê Thị Hoa', '1990-04-12', 'female');
    await granted(s, 'permanent-registrations', { personalId: holder, address: HANG_BAC, lawfulResidence: OWNED });
    const card = await s.call('POST', `/citizens/${holder}/cards`, { token: s.tokens.officer, body: {} });
    assert.equal(card.status, 201, JSON.stringify(card.body));
    const png = await fetch(`${s.baseUrl}/citizens/${holder}/cards/qr/png`, { headers: { authorization: `Bearer ${s.tokens.officer}`, 'x-purpose': 'TEST' } });
    assert.equal(png.status, 200);
    qrFile = join(mkdtempSync(join(tmpdir(), 'dancu-qr-')), 'the-card.png');
    writeFileSync(qrFile, Buffer.from(await png.arrayBuffer()));
    // An application waiting in the queue.
    const mover = await person(s, 'Phạm Văn Minh', '1985-09-30');
    applicationId = (await submit(s, 'permanent-registrations', { personalId: mover, address: NGOC_HA, lawfulResidence: OWNED })).applicationId;

    // The officer's account: first sign-in through the API (own password, TOTP enrolled)…
    const account = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'Đỗ Thu Trang', role: 'officer', login: 'do.thu.trang', unit: 'Công an phường Hoàn Kiếm' } });
    assert.equal(account.status, 201, JSON.stringify(account.body));
    let step = (await s.call('POST', '/auth/sign-in', { body: { login: 'do.thu.trang', password: account.body.initialPassword } })).body;
    if (step.next === 'set-password') step = (await s.call('POST', '/auth/sign-in/password', { body: { challenge: step.challenge, newPassword: PASSWORD } })).body;
    assert.equal(step.next, 'enrol-totp', JSON.stringify(step));
    secret = step.secret;
    step = (await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: step.challenge, code: code() } })).body;
    if (step.next === 'set-password') step = (await s.call('POST', '/auth/sign-in/password', { body: { challenge: step.challenge, newPassword: PASSWORD } })).body;
    assert.equal(step.next, 'done', JSON.stringify(step));
    // …and the next code is a new one (a code is accepted once).
    s.clock.advance(60_000);
  });
  after(async () => portal?.close());

  async function signIn(page: Page): Promise<void> {
    await page.goto(portal.url('/officer'));
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await page.getByLabel('Tên đăng nhập').fill('do.thu.trang');
    await page.getByLabel(/^Mật khẩu\b/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    portal.server.clock.advance(60_000); // a TOTP code is accepted once: each sign-in in its own step
    await page.getByLabel('Mã xác thực').fill(code());
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.waitForURL((u) => u.pathname === '/officer');
  }

  it('scans a card from a photo, compares it field by field, answers the counter questions, and approves an application', async () => {
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const watched = watch(page);
    const purposes: Array<string | null> = [];
    page.on('request', (r) => {
      if (r.url().startsWith(portal.server.baseUrl) && !r.url().includes('/assets/') && r.resourceType() === 'fetch' && !r.url().includes('/auth/') && !r.url().includes('/categories/')) purposes.push(r.headers()['x-purpose'] ?? null);
    });
    await signIn(page);

    // The purpose, once for the case.
    await page.getByRole('heading', { level: 1, name: 'Quầy tiếp dân' }).waitFor();
    await page.getByRole('heading', { name: 'Mục đích của lượt tiếp dân' }).waitFor();
    await assertAccessible(page, 'case purpose');
    await page.getByLabel('Thủ tục đang giải quyết').selectOption('CARD_VERIFICATION');
    await page.getByLabel('Ghi chú thêm').fill('quầy số 2');
    await page.getByRole('button', { name: 'Bắt đầu lượt tiếp dân' }).click();
    await page.getByText('Lượt tiếp dân: Kiểm tra thẻ căn cước — quầy số 2').waitFor();

    // The photo of the card's QR: decoded in the browser, checked by the API.
    await page.getByLabel('Ảnh chụp mã QR trên thẻ').setInputFiles(qrFile);
    await page.getByText('Thẻ hợp lệ: thông tin trên mã QR khớp với Cơ sở dữ liệu quốc gia về dân cư.').waitFor();
    const facts = await page.locator('.facts').first().innerText();
    assert.match(facts, /Lê Thị Hoa/);
    assert.match(facts, new RegExp(holder));
    assert.match(facts, /12\/04\/1990/);
    assert.match(facts, /Nữ/);
    assert.match(await page.locator('.facts').nth(1).innerText(), /Còn giá trị/);
    const comparison = page.getByRole('table', { name: 'Thông tin trên mã QR so với cơ sở dữ liệu' });
    const rows = await comparison.locator('tbody tr').allInnerTexts();
    assert.ok(rows.length >= 6, rows.join('\n'));
    assert.ok(rows.every((r) => r.includes('Khớp')), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('Họ và tên') && r.includes('Lê Thị Hoa')));
    await assertAccessible(page, 'card verified');
    await screenshot(page, 'officer-counter-workspace');

    // The three questions, without paper.
    await page.getByRole('button', { name: 'Xem thông tin công dân' }).click();
    await page.getByText('Còn sống').waitFor();
    await page.getByLabel('Số CMND (9 chữ số)').fill('123456789');
    await page.getByRole('button', { name: 'Đối chiếu' }).click();
    await page.getByText(/^(Không|Không xác định):/).waitFor();
    await page.getByRole('button', { name: 'Kiểm tra chủ hộ' }).click();
    await page.locator('main [role="status"], main [role="alert"]').filter({ hasText: /chủ hộ|lỗi/ }).first().waitFor();
    const head = await page.locator('main [role="status"], main [role="alert"]').filter({ hasText: /chủ hộ|lỗi/ }).first().innerText();
    assert.match(head, /^Có: người này là chủ hộ \(hộ .+\)\.$/, head);
    await assertAccessible(page, 'counter questions');

    // Every request of the case carried its one purpose.
    assert.ok(purposes.length >= 5, String(purposes.length));
    assert.deepEqual(new Set(purposes), new Set(['CARD_VERIFICATION%3A%20qu%E1%BA%A7y%20s%E1%BB%91%202']));

    // A new case asks again and shows nothing of the last person.
    await page.getByRole('button', { name: 'Lượt mới' }).click();
    await page.getByRole('heading', { name: 'Mục đích của lượt tiếp dân' }).waitFor();
    assert.equal(await page.getByText('Lê Thị Hoa').count(), 0);

    // The queue: a residence case.
    await page.getByRole('link', { name: 'Hồ sơ cư trú' }).click();
    await page.getByLabel('Thủ tục đang giải quyết').selectOption('RESIDENCE_REGISTRATION');
    await page.getByRole('button', { name: 'Bắt đầu lượt tiếp dân' }).click();
    await page.getByRole('table', { name: 'Hồ sơ cư trú' }).waitFor();
    await assertAccessible(page, 'application queue');
    await screenshot(page, 'officer-application-queue');
    await page.getByRole('link', { name: `Đăng ký thường trú — hồ sơ ${applicationId}` }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${applicationId}` }).waitFor();
    assert.ok(!page.url().includes(holder), 'no personal ID in the URL');
    await page.getByRole('heading', { name: 'Nội dung tờ khai' }).waitFor();
    await assertAccessible(page, 'application');
    await page.getByRole('button', { name: 'Phê duyệt' }).click();
    await page.getByText('Hồ sơ đã được phê duyệt.').waitFor();
    await assertAccessible(page, 'application approved');
    const stored = await portal.server.call('GET', `/residence/applications/${applicationId}`, { token: portal.server.tokens.officer });
    assert.equal(stored.body.status, 'approved');

    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('on a 360-px phone: search, birth registration and written requests pages pass axe, and a search finds a person by part of the name and the year', async () => {
    const ctx = await portal.context(PHONE);
    const page = await ctx.newPage();
    const watched = watch(page);
    await signIn(page);
    await page.getByRole('link', { name: 'Tra cứu công dân' }).click();
    await page.getByRole('button', { name: 'Bắt đầu lượt tiếp dân' }).click();
    await page.getByLabel('Họ tên (có thể nhập một phần)').fill('Thị Hoa');
    await page.getByLabel('Ngày sinh (dd/mm/yyyy) hoặc năm sinh').fill('1990');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.getByRole('button', { name: 'Chọn Lê Thị Hoa' }).waitFor();
    await assertAccessible(page, 'search (phone)');
    await page.getByRole('button', { name: 'Chọn Lê Thị Hoa' }).click();
    await page.waitForURL((u) => u.pathname === '/officer');
    await page.getByRole('heading', { name: 'Ba câu hỏi tại quầy' }).waitFor();
    await page.getByRole('heading', { name: 'Thẻ căn cước', exact: true }).waitFor();
    assert.match(await page.locator('.facts').first().innerText(), /Còn giá trị/);
    await assertAccessible(page, 'workspace with a person (phone)');
    assert.ok(!page.url().includes(holder));
    for (const [link, heading] of [['Đăng ký khai sinh', 'Đăng ký khai sinh'], ['Yêu cầu bằng văn bản', 'Yêu cầu bằng văn bản'], ['Hồ sơ cư trú', 'Hồ sơ cư trú']] as const) {
      await page.getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.locator('main [role="status"], main table, main form, main .state').first().waitFor();
      await assertAccessible(page, `${link} (phone)`);
    }
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });
});
