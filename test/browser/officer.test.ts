/**
 * The counter officer in a real browser (issue 16 items 4 and 9), on each store: signs in with a
 * password and a TOTP code (computed from the secret enrolled through the API, as an authenticator
 * app would), opens a case with its purpose once, uploads a photo of a real card's QR (drawn by the
 * API) and sees the verdict, the person, the card today and the field-by-field comparison, answers
 * the counter questions, issues a level-2 e-ID from the card read, then approves a residence
 * application from the queue. Every request of the
 * case carries the one purpose. axe-core at 360 px and on a desktop on every page and state.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { base32Decode, totp } from '../../src/domain/auth/totp.js';
import { registerAgency } from '../../src/services/exchange/agencies.js';
import { submitSubscriberLink } from '../../src/services/subscribers/index.js';
import { HANG_BAC, NGOC_HA, OWNED, granted, person, submit } from '../support/residence.js';
import { axeViolations, browserMissing, describeViolations, DESKTOP, PHONE, screenshot, startPortal, watch, type Portal } from './support/browser.js';

const skip = browserMissing();
const PASSWORD = 'mây trắng bay qua đồi';
const PHONE_NUMBER = '+84970000042';
const OPERATOR = { code: 'W3TEL', name: 'Nhà mạng thử nghiệm', type: 'telecom_operator' as const, stateBudgetFunded: false, focalPoints: [{ fullName: 'Trần Văn Đầu Mối', position: 'Trưởng phòng', phone: '0912345678', email: 'focal@w3tel.example' }] };

/**
 * A still Y4M video of a PNG (grey levels, centred on white, 640×480): what Chromium's fake camera
 * shows (--use-file-for-fake-video-capture) — the only camera this machine has.
 */
function y4mOf(png: Buffer): Buffer {
  const W = 640;
  const H = 480;
  const img = PNG.sync.read(png);
  const scale = Math.max(1, Math.floor(Math.min((W - 40) / img.width, (H - 40) / img.height)));
  const left = Math.floor((W - img.width * scale) / 2);
  const top = Math.floor((H - img.height * scale) / 2);
  const y = Buffer.alloc(W * H, 235);
  for (let r = 0; r < img.height * scale; r++) {
    for (let c = 0; c < img.width * scale; c++) {
      const i = (Math.floor(r / scale) * img.width + Math.floor(c / scale)) * 4;
      y[(top + r) * W + left + c] = Math.round(0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!);
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F5:1 Ip A1:1 C420jpeg\n`), Buffer.from('FRAME\n'), y, chroma]);
}

async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
}

describe('counter officer in a browser', { skip }, () => {
  let portal: Portal;
  let holder: string;
  let applicationId: string;
  let qrFile: string;
  // The fake camera's video: written once the card exists (Chromium opens it when the page asks for the camera).
  const cameraFile = join(mkdtempSync(join(tmpdir(), 'dancu-camera-')), 'card.y4m');
  const code = () => totp((alg, key, msg) => createHmac(alg, key).update(msg).digest(), base32Decode(secret)!, portal.server.clock.now().getTime());
  let secret = '';

  before(async () => {
    portal = await startPortal({ auth: { scryptLogN: 12 }, browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${cameraFile}`] });
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
    writeFileSync(cameraFile, y4mOf(readFileSync(qrFile)));
    // The number the subscriber register links to her (for the level-2 e-ID).
    await registerAgency(s.runtime.ctx, OPERATOR);
    await submitSubscriberLink(s.runtime.ctx, OPERATOR.code, { recordId: 'W3-1', action: 'link', number: PHONE_NUMBER, personalId: holder, confirmedAt: '2026-05-01T09:00:00+07:00' });
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

  it('scans a card from a photo, compares it field by field, answers the counter questions, issues a level-2 e-ID, and approves an application', async () => {
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

    // Level-2 e-ID from the card just read and her registered number.
    await page.getByLabel(/^Số điện thoại/).fill('0970000042');
    await page.getByRole('button', { name: 'Cấp tài khoản mức 2' }).click();
    await page.getByText(/^Đã tạo tài khoản mức 2\./).waitFor();
    const account = await portal.server.call('GET', `/eid/accounts/${holder}`, { token: portal.server.tokens.officer });
    assert.equal(account.status, 200, JSON.stringify(account.body));
    assert.equal(account.body.level, 2);
    assert.equal(account.body.state, 'pending-activation');

    // Every request of the case carried its one purpose.
    assert.ok(purposes.length >= 6, String(purposes.length));
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
    const form = await page.locator('.facts').nth(1).innerText();
    assert.match(form, /Số định danh cá nhân[\s\S]*Địa chỉ[\s\S]*Giấy tờ chứng minh chỗ ở hợp pháp/, form);
    await assertAccessible(page, 'application');
    await page.getByRole('button', { name: 'Phê duyệt' }).click();
    await page.getByText('Hồ sơ đã được phê duyệt.').waitFor();
    await assertAccessible(page, 'application approved');
    const stored = await portal.server.call('GET', `/residence/applications/${applicationId}`, { token: portal.server.tokens.officer });
    assert.equal(stored.body.status, 'approved');

    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('reads the card with the device camera (Chromium\'s fake camera showing the card\'s QR), decoded in the browser', async () => {
    const ctx = await portal.context(PHONE);
    await ctx.grantPermissions(['camera'], { origin: portal.server.baseUrl });
    const page = await ctx.newPage();
    const watched = watch(page);
    const verifications: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/cards/qr-verification')) verifications.push(r.postData() ?? '');
    });
    await signIn(page);
    await page.getByRole('button', { name: 'Bắt đầu lượt tiếp dân' }).click();
    await page.getByRole('button', { name: 'Quét bằng camera' }).click();
    await page.getByText(/^Thẻ (hợp lệ|đúng như khi cấp)/).waitFor();
    assert.match(await page.locator('.facts').first().innerText(), /Lê Thị Hoa/);
    // The browser decoded the QR: the API got its text, not an image.
    assert.equal(verifications.length, 1);
    assert.equal(typeof JSON.parse(verifications[0]!).payload, 'string');
    assert.match(JSON.parse(verifications[0]!).payload, new RegExp(`^${holder}\\|`));
    // The camera is off once read.
    assert.equal(await page.locator('video').count(), 0);
    await assertAccessible(page, 'read by camera (phone)');
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });

  it('on a 360-px phone: finds a person by part of the name and the year, reports the card lost and re-issues it, registers a birth, records a written request with its scan and provides it (the letter downloads); every page passes axe', async () => {
    const ctx = await portal.context(PHONE);
    // Downloads are accepted by default in a Playwright context.
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
    // The card lost, then re-issued for that reason.
    await page.getByRole('button', { name: 'Báo mất thẻ' }).click();
    await page.getByText('Đã ghi nhận thẻ bị mất.').waitFor();
    await page.getByText('Người này chưa có thẻ còn giá trị.').waitFor();
    assert.match(await page.locator('.facts').first().innerText(), /Đã báo mất/);
    await page.getByLabel('Lý do').selectOption({ label: 'Bị mất' });
    await page.getByRole('button', { name: 'Cấp đổi / cấp lại thẻ' }).click();
    await page.getByText(/^Đã cấp thẻ mới số \d+\.$/).waitFor();
    await assertAccessible(page, 'card re-issued (phone)');
    const cards = await portal.server.call('GET', `/citizens/${holder}/cards`, { token: portal.server.tokens.officer });
    assert.equal(cards.body.current.status, 'valid');
    assert.deepEqual(cards.body.cards.map((c: { status: string }) => c.status), ['lost', 'valid'], JSON.stringify(cards.body.cards));
    await assertAccessible(page, 'workspace with a person (phone)');
    assert.ok(!page.url().includes(holder));
    // A birth registered, the registering ward chosen by its name in force today.
    await page.getByRole('link', { name: 'Đăng ký khai sinh' }).click();
    await page.getByLabel(/^Họ, chữ đệm và tên khai sinh/).fill('Lê Minh  Khang');
    await page.getByLabel(/^Ngày sinh \(dd\/mm\/yyyy\)/).fill('28/5/2026');
    await page.getByLabel('Giới tính').selectOption('male');
    await page.getByLabel('Tỉnh, thành phố nơi đăng ký khai sinh').selectOption({ label: 'Thành phố Hà Nội' });
    await page.getByLabel('Xã, phường nơi đăng ký khai sinh').selectOption({ label: 'Phường Ba Đình' });
    await assertAccessible(page, 'birth registration (phone)');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    const born = await page.getByText(/^Đã đăng ký khai sinh cho Lê Minh Khang\. Số định danh cá nhân: \d{12}\.$/).innerText();
    const newborn = /(\d{12})/.exec(born)![1]!;
    const record = await portal.server.call('GET', `/citizens/${newborn}`, { token: portal.server.tokens.officer });
    assert.equal(record.body.fullName, 'Lê Minh Khang');
    assert.equal(record.body.dateOfBirth, '2026-05-28');
    assert.match(record.body.birthRegistrationPlace.text, /Phường Ba Đình, Thành phố Hà Nội/);
    assert.ok(!page.url().includes(newborn));

    for (const [link, heading] of [['Yêu cầu bằng văn bản', 'Yêu cầu bằng văn bản'], ['Hồ sơ cư trú', 'Hồ sơ cư trú']] as const) {
      await page.getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.locator('main [role="status"], main table, main form, main .state').first().waitFor();
      await assertAccessible(page, `${link} (phone)`);
    }

    // A written request from the citizen found (chosen again: the newborn became the case's person), then provided.
    await page.getByRole('link', { name: 'Tra cứu công dân' }).click();
    await page.getByLabel('Số định danh cá nhân (12 số)').fill(holder);
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.getByRole('button', { name: 'Chọn Lê Thị Hoa' }).click();
    await page.waitForURL((u) => u.pathname === '/officer');
    await page.getByRole('link', { name: 'Yêu cầu bằng văn bản' }).click();
    await page.getByRole('heading', { name: 'Ghi nhận yêu cầu mới cho công dân của lượt này' }).waitFor();
    await page.getByLabel('Mục đích ghi trong văn bản').fill('Làm thủ tục vay vốn ngân hàng');
    await page.getByLabel('Bản quét văn bản yêu cầu (PDF, JPEG hoặc PNG)').setInputFiles(qrFile);
    await page.getByRole('button', { name: 'Ghi nhận yêu cầu' }).click();
    const recorded = (await page.getByText(/^Đã ghi nhận yêu cầu .+\.$/).innerText()).replace(/^Đã ghi nhận yêu cầu (.+)\.$/, '$1');
    await page.getByRole('link', { name: `Mở yêu cầu ${recorded}` }).click();
    await page.getByRole('heading', { level: 1, name: `Yêu cầu ${recorded}` }).waitFor();
    await assertAccessible(page, 'written request (phone)');
    await page.getByRole('button', { name: 'Cung cấp thông tin' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tải văn bản trả lời (PDF)' }).click();
    const pdf = await download;
    assert.match(pdf.suggestedFilename(), /\.pdf$/);
    const stored = await portal.server.call('GET', `/written-requests/${recorded}`, { token: portal.server.tokens.officer });
    assert.equal(stored.body.status, 'provided');
    assert.equal(stored.body.personalId, holder);
    // The same page in English, dates still written the Vietnamese way.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: `Request ${recorded}` }).waitFor();
    assert.match(await page.locator('.facts').first().innerText(), /Provided[\s\S]*At the counter[\s\S]*01\/06\/2026/);
    await assertAccessible(page, 'written request in English (phone)');
    assert.deepEqual(watched.problems(), []);
    await ctx.close();
  });
});
