/**
 * The portal in a real browser (Debian's Chromium) against a real server on each store: the landing
 * page to a certificate check in both languages and at phone and desktop sizes, the officer's first
 * sign-in (own password, TOTP enrolment from the QR's secret), keyboard-only use, the CSP, and the
 * first page's JavaScript budget. axe-core checks every page visited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { birthBody } from '../support/http.js';
import { admin, agencyBody } from '../support/exchange.js';
import { base32Decode, totp } from '../../src/domain/auth/totp.js';
import { axeViolations, browserMissing, describeViolations, DESKTOP, gzipSizeOf, PHONE, screenshot, startPortal, VIEWPORTS, watch, type Portal } from './support/browser.js';

const skip = browserMissing();
const BUDGET_BYTES = 250 * 1024;

async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
}

describe('web portal in a browser', { skip }, () => {
  let portal: Portal;
  let certificate: string;
  before(async () => {
    portal = await startPortal({ auth: { scryptLogN: 12 } });
    const s = portal.server;
    const born = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Lê Thị Hoa', sex: 'female', dateOfBirth: '1990-04-12' }) });
    assert.equal(born.status, 201, JSON.stringify(born.body));
    const issued = await s.call('POST', `/citizens/${born.body.personalId}/certificates/personal-id-notice`, { token: s.tokens.officer });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    certificate = issued.body.number;
  });
  after(async () => portal?.close());

  for (const viewport of VIEWPORTS) {
    it(`landing → check a certificate by number, in Vietnamese then English (${viewport.width}×${viewport.height})`, async () => {
      const ctx = await portal.context(viewport);
      const page = await ctx.newPage();
      const watched = watch(page);
      await page.goto(portal.url('/'));
      await page.getByRole('heading', { level: 1, name: 'Cơ sở dữ liệu quốc gia về dân cư' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'vi');
      await assertAccessible(page, `landing ${viewport.width}`);
      await screenshot(page, `landing-${viewport.width}`);

      await page.getByRole('link', { name: 'Kiểm tra một giấy tờ' }).click();
      await page.getByRole('heading', { level: 1, name: 'Kiểm tra giấy tờ' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/check');
      // A malformed number is refused by the page, with its error tied to the field.
      await page.getByLabel('Số giấy').fill('abc');
      await page.getByRole('button', { name: 'Kiểm tra' }).click();
      await page.getByText('Số giấy không đúng dạng').waitFor();
      assert.equal(await page.getByLabel('Số giấy').getAttribute('aria-invalid'), 'true');
      await assertAccessible(page, `check (invalid) ${viewport.width}`);

      await page.getByLabel('Số giấy').fill(certificate.toLowerCase());
      await page.getByRole('button', { name: 'Kiểm tra' }).click();
      const verdict = page.getByTestId('verdict');
      await verdict.waitFor();
      assert.equal(await verdict.textContent(), `Thông báo số định danh cá nhân số ${certificate} do cơ quan đăng ký cư trú cấp ngày 01/06/2026 và hiện còn giá trị.`);
      // The number typed stays out of the address bar.
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/check');
      await assertAccessible(page, `check (valid) ${viewport.width}`);
      await screenshot(page, `check-${viewport.width}`);

      // English, remembered across a reload.
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Check a document' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await page.reload();
      await page.getByLabel('Document number').fill(certificate);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await verdict.waitFor();
      assert.equal(await verdict.textContent(), `The notice of a personal ID number number ${certificate} was issued by the residence registry on 01/06/2026 and is valid now.`);
      await page.getByLabel('Document number').fill('XNCMND-2026-ZZZZZZZZ');
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.getByText('No document has the number XNCMND-2026-ZZZZZZZZ.').waitFor();
      await assertAccessible(page, `check (english) ${viewport.width}`);
      assert.deepEqual(watched.problems(), []);
      await ctx.close();
    });
  }

  it('opens the check from the URL in the QR code, in plain words', async () => {
    const ctx = await portal.context(PHONE);
    const page = await ctx.newPage();
    const watched = watch(page);
    await page.goto(portal.url(`/certificates/${certificate}/verification`));
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    assert.match((await verdict.textContent()) ?? '', /hiện còn giá trị\.$/);
    await assertAccessible(page, 'check from QR');
    // The same URL still answers JSON to a program.
    const json = await portal.server.call('GET', `/certificates/${certificate}/verification`);
    assert.equal(json.body.valid, true);
    await page.goto(portal.url('/no/such/page'));
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' }).waitFor();
    await assertAccessible(page, 'not found');
    // The checker can fail: an input without a label is a critical violation.
    await page.evaluate('document.querySelector("main").append(document.createElement("input"))');
    assert.ok((await axeViolations(page)).some((v) => v.id === 'label'));
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('shows the published catalogue, the agency directory with focal points, and the SMS syntax', async () => {
    const s = portal.server;
    await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
    await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
    await admin(s, 'POST', '/admin/agencies', agencyBody('NHTHU'), 201);
    const services = (await s.call('GET', '/exchange/catalogue')).body.services as Array<{ name: string }>;
    const ctx = await portal.context(PHONE);
    const page = await ctx.newPage();
    const watched = watch(page);
    await page.goto(portal.url('/'));
    await page.getByRole('link', { name: 'Danh mục dịch vụ và danh bạ cơ quan kết nối' }).click();
    await page.getByRole('heading', { level: 1, name: 'Danh mục dịch vụ chia sẻ dữ liệu' }).waitFor();
    await page.getByRole('table', { name: 'Dịch vụ' }).getByText(services[0]!.name, { exact: true }).waitFor();
    const directory = page.getByRole('table', { name: 'Danh bạ cơ quan kết nối' });
    await directory.getByText('Cơ quan thử nghiệm NHTHU').waitFor();
    await directory.getByRole('link', { name: 'focal@nhthu.example' }).waitFor();
    await assertAccessible(page, 'catalogue');
    await screenshot(page, 'catalogue-360');
    await page.goto(portal.url('/sms-guide'));
    await page.getByRole('heading', { level: 1, name: 'Tra cứu qua tin nhắn SMS' }).waitFor();
    await page.getByRole('table', { name: 'Tra cứu qua tin nhắn SMS' }).getByText('CN / CÁ NHÂN', { exact: false }).waitFor();
    // The answers to a message with a code (a consent request), as /sms/help publishes them.
    await page.getByRole('table', { name: /Trả lời tin nhắn có mã/ }).getByText('DONGY <mã>', { exact: false }).waitFor();
    await assertAccessible(page, 'SMS guide');
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('an officer signs in for the first time: own password, TOTP enrolment from the QR\'s key, then the counter', async () => {
    const s = portal.server;
    const account = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name: 'Trần Văn Bình', role: 'officer', login: 'tran.van.binh', unit: 'Công an phường Ba Đình' } });
    assert.equal(account.status, 201, JSON.stringify(account.body));
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const watched = watch(page);
    await page.goto(portal.url('/sign-in'));
    await assertAccessible(page, 'sign-in');
    await page.getByLabel('Tên đăng nhập').fill('tran.van.binh');
    await page.getByLabel(/^Mật khẩu\b/).fill('wrong password');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await assertAccessible(page, 'sign-in refused');
    await page.getByLabel(/^Mật khẩu\b/).fill(account.body.initialPassword);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();

    await page.getByRole('heading', { level: 1, name: 'Đặt mật khẩu mới' }).waitFor();
    await page.getByLabel(/^Mật khẩu mới/).fill('mây trắng bay qua đồi');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('mây trắng bay qua đồi');
    await assertAccessible(page, 'set password');
    await page.getByRole('button', { name: 'Lưu mật khẩu' }).click();

    await page.getByRole('heading', { level: 1, name: 'Đăng ký ứng dụng xác thực' }).waitFor();
    const qr = page.getByRole('img', { name: 'Mã QR để thêm tài khoản vào ứng dụng xác thực' });
    assert.ok(((await qr.boundingBox())?.width ?? 0) > 100, 'the QR code is shown');
    const secret = (await page.locator('.secret').textContent()) ?? '';
    await assertAccessible(page, 'enrol TOTP');
    await screenshot(page, 'officer-enrol-totp');
    const code = totp((alg, key, msg) => createHmac(alg, key).update(msg).digest(), base32Decode(secret)!, s.clock.now().getTime());
    await page.getByLabel('Mã xác thực').fill(code);
    await page.getByRole('button', { name: 'Xác nhận' }).click();

    await page.waitForURL((u) => u.pathname === '/officer');
    await page.getByText('Đang đăng nhập: Trần Văn Bình').waitFor();
    await assertAccessible(page, 'officer home');
    // The session cookie is HttpOnly: the page cannot read it.
    assert.equal(await page.evaluate('document.cookie'), '');
    // Signing out ends the session; the officer area then asks for a sign-in.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(portal.url('/officer'));
    await page.waitForURL((u) => u.pathname === '/sign-in');
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('works by keyboard alone: the skip link first, then through the sign-in form', async () => {
    const ctx = await portal.context(PHONE);
    const page = await ctx.newPage();
    await page.goto(portal.url('/sign-in'));
    await page.getByLabel('Tên đăng nhập').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Bỏ qua, đến nội dung chính');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.id'), 'main');
    const focused = async () => page.evaluate('(document.activeElement.getAttribute("name") || document.activeElement.textContent || "").trim()');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'username');
    await page.keyboard.type('khong.co.ai');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'password');
    await page.keyboard.type('sai mật khẩu');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Đăng nhập');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    await ctx.close();
  });

  it('serves the portal under a CSP without unsafe-inline, and the first page within the JavaScript budget', async () => {
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    const res = await page.goto(portal.url('/'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const csp = (await res!.allHeaders())['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    // What the browser fetched, weighed compressed; and the build manifest's view of the entry.
    assert.ok(scripts.length > 0);
    const loaded = scripts.reduce((sum, p) => sum + gzipSizeOf(portal.webDir, p), 0);
    assert.ok(loaded <= BUDGET_BYTES, `the landing page loads ${loaded} bytes of gzipped JavaScript`);
    const manifest = JSON.parse(readFileSync(join(portal.webDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;
    const entry = Object.values(manifest).find((c) => c.isEntry)!;
    const statics = new Set<string>();
    const walk = (c: { file: string; imports?: string[] }) => {
      if (statics.has(c.file)) return;
      statics.add(c.file);
      for (const i of c.imports ?? []) walk(manifest[i]!);
    };
    walk(entry);
    const fromManifest = [...statics].reduce((sum, f) => sum + gzipSizeOf(portal.webDir, f), 0);
    assert.ok(fromManifest <= BUDGET_BYTES, `the entry and its static imports weigh ${fromManifest} bytes gzipped`);
    // Role areas are chunks of their own, not in the first load.
    assert.ok(!scripts.some((p) => /\/(citizen|officer|ministry|inspector|agency)-/.test(p)), scripts.join(' '));
    await ctx.close();
  });
});
