/**
 * The agency administrator, the ministry administrator and the inspector in a real browser (issue 16
 * items 5–7 and 9), on each store. Each signs in with a password and a TOTP code (secrets enrolled
 * through the API, as an authenticator app would). The agency administrator downloads a monthly
 * statement as CSV; the ministry suspends the connection and the agency's next call — made with the
 * agency system's own machine credentials — is refused; the inspector opens an entry and the page
 * verifies its proof in the browser (WebCrypto), and the checkpoint's consistency with the one it
 * saw before. axe-core on every page of the three areas at 360 px and on a desktop.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { base32Decode, totp } from '../../src/domain/auth/totp.js';
import { birthBody } from '../support/http.js';
import { admin, agencyBody, callService, connectIn, type AgencySystem } from '../support/exchange.js';
import { sequence } from '../support/usage.js';
import { axeViolations, browserMissing, describeViolations, DESKTOP, PHONE, screenshot, startPortal, watch, type Portal } from './support/browser.js';

const skip = browserMissing();
const PASSWORD = 'mây trắng bay qua đồi';
const AGENCY = 'BHXHTHU';
const policy = { grants: [{ service: 'lookupCitizen', fields: ['fullName', 'dateOfBirth', 'sex'], purposes: ['1.004222'] }], ratePerMinute: 10_000 };

async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
}

describe('agency, ministry and inspector in a browser', { skip }, () => {
  let portal: Portal;
  let sys: AgencySystem;
  let agencyToken: string;
  let personalId: string;
  const secrets: Record<string, string> = {};
  const code = (login: string) => totp((alg, key, msg) => createHmac(alg, key).update(msg).digest(), base32Decode(secrets[login]!)!, portal.server.clock.now().getTime());

  /** An account whose first sign-in (own password, TOTP enrolment) is done through the API. */
  async function account(login: string, role: string, name: string, unit?: string): Promise<void> {
    const s = portal.server;
    const made = await s.call('POST', '/accounts', { token: s.tokens.admin, body: { name, role, login, ...(unit ? { unit } : {}) } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const one = (await s.call('POST', '/auth/sign-in', { body: { login, password: made.body.initialPassword } })).body;
    const two = (await s.call('POST', '/auth/sign-in/password', { body: { challenge: one.challenge, newPassword: PASSWORD } })).body;
    assert.equal(two.next, 'enrol-totp', JSON.stringify(two));
    secrets[login] = two.secret;
    const three = await s.call('POST', '/auth/sign-in/second-factor', { body: { challenge: one.challenge, code: code(login) } });
    assert.equal(three.body.next, 'done', JSON.stringify(three.body));
  }

  async function signIn(page: Page, login: string, home: string): Promise<void> {
    await page.goto(portal.url(home));
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await page.getByLabel('Tên đăng nhập').fill(login);
    await page.getByLabel(/^Mật khẩu\b/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    portal.server.clock.advance(60_000); // a TOTP code is accepted once: each sign-in in its own step
    await page.getByLabel('Mã xác thực').fill(code(login));
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.waitForURL((u) => u.pathname === home);
  }

  /** Until no part of the page is still loading (a page may load several parts at once). */
  async function noneLoading(page: Page): Promise<void> {
    const loading = page.locator('.state-loading');
    while ((await loading.count()) > 0) await loading.first().waitFor({ state: 'detached' });
  }

  /** Every page of an area by its navigation, checked by axe. */
  async function everyPage(page: Page, area: string, links: readonly string[], where: string): Promise<void> {
    for (const name of links) {
      await page.getByRole('navigation', { name: area }).getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await noneLoading(page);
      await assertAccessible(page, `${where}: ${name}`);
    }
  }

  before(async () => {
    portal = await startPortal({ auth: { scryptLogN: 12 } });
    const s = portal.server;
    await admin(s, 'POST', '/admin/catalogue/2026', undefined, 201);
    await admin(s, 'POST', '/admin/catalogue/2026/publication', {}, 200);
    const connected = await connectIn(s, agencyBody(AGENCY, { name: 'Bảo hiểm xã hội thử nghiệm' }), policy, 'active');
    sys = connected.sys;
    agencyToken = connected.token!;
    const born = await s.call('POST', '/citizens', { token: s.tokens.officer, body: birthBody({ fullName: 'Vũ Thị Lan', dateOfBirth: '1992-03-04' }) });
    personalId = born.body.personalId;
    for (let i = 0; i < 3; i++) assert.equal((await callService(s, agencyToken, 'lookupCitizen', { personalId })).status, 200);
    await sequence(s);
    await account('quan.tri.bhxh', 'agency', 'Nguyễn Văn Quản', AGENCY);
    await account('bo.quan.tri', 'admin', 'Trần Thị Bộ');
    await account('thanh.tra', 'inspector', 'Lê Văn Thanh');
  });
  after(async () => portal?.close());

  it('an agency administrator sees the connection and its history and downloads the monthly statement as CSV', async () => {
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const watched = watch(page);
    await signIn(page, 'quan.tri.bhxh', '/agency');
    await page.getByRole('heading', { level: 1, name: 'Bảo hiểm xã hội thử nghiệm' }).waitFor();
    await assertAccessible(page, 'agency home');
    await page.getByRole('link', { name: 'Hệ thống nghiệp vụ' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kết nối Hệ thống nghiệp vụ' }).waitFor();
    assert.match(await page.locator('.facts').innerText(), /Đang hoạt động/);
    await page.getByRole('table', { name: 'Lịch sử của kết nối, cũ trước' }).waitFor();
    await page.getByRole('button', { name: 'Xem yêu cầu đồng ý' }).click();
    await page.getByText('Hệ thống này chưa gửi yêu cầu đồng ý nào.').waitFor();
    await assertAccessible(page, 'agency connection');

    await page.getByRole('link', { name: 'Sử dụng và bảng kê' }).click();
    await page.getByLabel(/^Tháng/).fill('2026-13');
    await page.getByRole('button', { name: 'Xem bảng kê' }).click();
    await page.getByText('Tháng viết theo dạng năm-tháng, ví dụ 2026-06.').waitFor();
    await page.getByLabel(/^Tháng/).fill('2026-06');
    await page.getByRole('button', { name: 'Xem bảng kê' }).click();
    const table = page.getByRole('table', { name: 'Bảng kê tháng 06/2026' });
    await table.waitFor();
    assert.match(await table.innerText(), /lookupCitizen/);
    await assertAccessible(page, 'agency statement');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải bảng kê (CSV)' }).click()]);
    assert.equal(download.suggestedFilename(), `statement-${AGENCY}-2026-06.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    assert.match(csv, /lookupCitizen/);
    const api = await portal.server.call('GET', '/my-agency/statements/2026-06', { token: undefined });
    assert.equal(api.status, 401);
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('the ministry suspends the connection with a reason, and the agency system\'s next call is refused', async () => {
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const watched = watch(page);
    await signIn(page, 'bo.quan.tri', '/ministry');
    await page.getByRole('heading', { level: 1, name: 'Kết nối và đề nghị kết nối' }).waitFor();
    await assertAccessible(page, 'ministry connections');
    await page.getByRole('link', { name: 'Hệ thống nghiệp vụ' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kết nối Hệ thống nghiệp vụ' }).waitFor();
    await assertAccessible(page, 'ministry connection');
    await page.getByLabel('Hành động').selectOption('suspend');
    await page.getByRole('button', { name: 'Thực hiện' }).click();
    await page.getByText('Hãy ghi lý do.').waitFor();
    await page.getByLabel('Lý do').fill('Phát hiện truy vấn bất thường ngoài giờ làm việc');
    await page.getByRole('button', { name: 'Thực hiện' }).click();
    await page.getByText('Kết nối đã chuyển sang trạng thái: Tạm dừng.').waitFor();
    await assertAccessible(page, 'ministry connection suspended');
    // The agency system calls with its machine credentials (the access token it already holds).
    const refused = await callService(portal.server, agencyToken, 'lookupCitizen', { personalId });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'CONNECTION_SUSPENDED');
    const history = (await admin(portal.server, 'GET', `/admin/connections/${sys.connectionId}`, undefined, 200)).body.events;
    assert.deepEqual(history.at(-1).reason, 'Phát hiện truy vấn bất thường ngoài giờ làm việc');

    await page.getByRole('link', { name: 'Giám sát' }).click();
    await page.getByRole('img', { name: 'Biểu đồ lượt gọi và độ trễ theo cơ quan và dịch vụ' }).waitFor();
    assert.match(await page.getByRole('table', { name: 'Lượt gọi, từ chối và độ trễ theo cơ quan và dịch vụ' }).innerText(), new RegExp(AGENCY));
    await assertAccessible(page, 'ministry monitoring');
    await screenshot(page, 'ministry-monitoring');
    await everyPage(page, 'Trang của Bộ', ['Cơ quan', 'Hộp thư đi', 'Danh mục dịch vụ', 'Tài khoản', 'Kết nối'], 'ministry desktop');
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('an inspector searches the log, opens an entry and the browser verifies its proof; checkpoints stay consistent', async () => {
    const ctx = await portal.context(DESKTOP);
    const page = await ctx.newPage();
    const watched = watch(page);
    await signIn(page, 'thanh.tra', '/inspector');
    await page.getByRole('heading', { level: 1, name: 'Tra cứu nhật ký khai thác dữ liệu' }).waitFor();
    await assertAccessible(page, 'inspector search');
    await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    await page.getByText('Hãy ghi mục đích tra cứu.').waitFor();
    await page.getByLabel(/^Mục đích tra cứu/).fill('Hồ sơ thanh tra TT-2026-015');
    await page.getByLabel('Mã cơ quan').fill(AGENCY);
    await page.getByLabel('Kết quả').selectOption('served');
    await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    await page.getByRole('table', { name: 'Các lần sử dụng dữ liệu, mới trước' }).waitFor();
    await assertAccessible(page, 'inspector results');
    await page.getByRole('button', { name: /^Mở lần sử dụng/ }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Lần sử dụng và bằng chứng' }).waitFor();
    await page.getByText(/^Bằng chứng hợp lệ: lần sử dụng này nằm trong nhật ký ở vị trí \d+/).waitFor();
    assert.equal(await page.locator('.tone-bad').count(), 0);
    await assertAccessible(page, 'inspector entry');
    await screenshot(page, 'inspector-entry');
    // The inspector's readings are recorded in turn, with the purpose as typed (sent percent-encoded).
    const readings = await portal.server.runtime.store.db.selectFrom('access_entry').select(['action', 'purpose']).where('role', '=', 'inspector').where('primary_row', '=', 1).execute();
    assert.deepEqual([...new Set(readings.map((r) => `${r.action} ${r.purpose}`))].sort(), ['exportAccessEntries Hồ sơ thanh tra TT-2026-015', 'searchAccessEntries Hồ sơ thanh tra TT-2026-015']);

    // The checkpoint page remembers what it saw; after more entries it proves the new one extends it.
    await page.getByRole('link', { name: 'Điểm kiểm tra' }).click();
    await page.getByText('Chữ ký của nhật ký hợp lệ.').waitFor();
    await page.getByText(/^Trình duyệt này chưa lưu điểm kiểm tra nào/).waitFor();
    await assertAccessible(page, 'inspector checkpoints');
    await callService(portal.server, agencyToken, 'lookupCitizen', { personalId });
    await sequence(portal.server);
    await page.reload();
    await page.getByText(/^Nhất quán: cây cỡ \d+ là phần đầu của cây cỡ \d+\.$/).waitFor();
    await everyPage(page, 'Trang của thanh tra', ['Khiếu nại', 'Xuất phân đoạn', 'Tra cứu nhật ký'], 'inspector desktop');
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('every page of the three areas at 360 px passes axe', async () => {
    for (const [login, home, nav, links] of [
      ['quan.tri.bhxh', '/agency', 'Trang của cơ quan', ['Đề nghị kết nối', 'Sử dụng và bảng kê', 'Cơ quan và kết nối']],
      ['bo.quan.tri', '/ministry', 'Trang của Bộ', ['Cơ quan', 'Giám sát', 'Hộp thư đi', 'Danh mục dịch vụ', 'Tài khoản', 'Kết nối']],
      ['thanh.tra', '/inspector', 'Trang của thanh tra', ['Điểm kiểm tra', 'Khiếu nại', 'Xuất phân đoạn', 'Tra cứu nhật ký']],
    ] as const) {
      const ctx = await portal.context(PHONE);
      const page = await ctx.newPage();
      const watched = watch(page);
      await signIn(page, login, home);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await noneLoading(page);
      await assertAccessible(page, `${home} 360`);
      await everyPage(page, nav, links, `${home} 360`);
      assert.deepEqual(watched.problems(), []);
      await ctx.close();
    }
  });
});
