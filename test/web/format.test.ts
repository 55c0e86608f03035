/** Dates, names and addresses as the portal writes them (web/src/format). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDate, formatDateTime, parseDate } from '../../web/src/format/date.js';
import { formatAddress, formatName } from '../../web/src/format/text.js';
import { formatInteger, formatVnd } from '../../web/src/format/number.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2399-12-31T00:00:00Z'), noInvalidDate: true });

describe('formatDate', () => {
  it('writes a calendar date day first', () => {
    assert.equal(formatDate('2024-03-05'), '05/03/2024');
    assert.equal(formatDate('2024-03'), '03/2024');
    assert.equal(formatDate('2024'), '2024');
    assert.equal(formatDate('not a date'), 'not a date');
    assert.equal(formatDate(''), '');
  });
  it('takes an instant on its day in Vietnam (UTC+7)', () => {
    assert.equal(formatDate('2026-06-01T16:59:59Z'), '01/06/2026');
    assert.equal(formatDate('2026-06-01T17:00:00Z'), '02/06/2026');
    assert.equal(formatDate('2026-06-01T17:00:00+07:00'), '01/06/2026');
    assert.equal(formatDateTime('2026-06-01T01:30:00.000Z'), '08:30 01/06/2026');
    assert.equal(formatDateTime('2026-12-31T17:05:00Z'), '00:05 01/01/2027');
    assert.equal(formatDateTime('2026-06-01'), '01/06/2026');
    assert.equal(formatDateTime('2026-99-99T00:00:00Z'), '2026-99-99T00:00:00Z');
  });
  it('round-trips every date through parseDate', () => {
    fc.assert(
      fc.property(day, (d) => {
        const iso = d.toISOString().slice(0, 10);
        const shown = formatDate(iso);
        assert.equal(shown, `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`);
        assert.equal(parseDate(shown), iso);
      }),
    );
  });
  it('writes an instant as the Vietnamese wall clock', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 86_399 }), (d, s) => {
        const ms = d.getTime() + s * 1000;
        const local = new Date(ms + 7 * 3600_000);
        const expected = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} ${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`;
        assert.equal(formatDateTime(new Date(ms).toISOString()), expected);
      }),
    );
  });
});

describe('parseDate', () => {
  it('reads what people type, and refuses what is no date', () => {
    assert.equal(parseDate('5/3/2024'), '2024-03-05');
    assert.equal(parseDate(' 05.03.2024 '), '2024-03-05');
    assert.equal(parseDate('05-03-2024'), '2024-03-05');
    assert.equal(parseDate('29/02/2024'), '2024-02-29');
    assert.equal(parseDate('29/02/2023'), undefined);
    assert.equal(parseDate('31/04/2024'), undefined);
    assert.equal(parseDate('00/01/2024'), undefined);
    assert.equal(parseDate('01/13/2024'), undefined);
    assert.equal(parseDate('01/00/2024'), undefined);
    assert.equal(parseDate('1/1/0000'), undefined);
    assert.equal(parseDate('2024-03-05'), undefined);
    assert.equal(parseDate('05/03/24'), undefined);
  });
  it('never answers a date that formats differently from what was typed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 2500 }), (d, m, y) => {
        const parsed = parseDate(`${d}/${m}/${pad(y, 4)}`);
        const real = m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
        assert.equal(parsed !== undefined, real);
        if (parsed) assert.equal(formatDate(parsed), `${pad(d)}/${pad(m)}/${pad(y, 4)}`);
      }),
    );
  });
});

describe('names and addresses', () => {
  it('tidies a name and keeps its diacritics', () => {
    assert.equal(formatName('  Nguyễn   Văn  An '), 'Nguyễn Văn An');
    assert.equal(formatName('Nguyễn Văn An', { upper: true }), 'NGUYỄN VĂN AN');
    assert.equal(formatName('Nguy\u00ea\u0303n'), 'Nguyễn');
  });
  it('writes an address from the detail to the province, the country only abroad', () => {
    assert.equal(formatAddress({ detail: '12 Lý Thường Kiệt', units: ['Phường Hàng Bài', 'Quận Hoàn Kiếm', 'Thành phố Hà Nội'] }), '12 Lý Thường Kiệt, Phường Hàng Bài, Quận Hoàn Kiếm, Thành phố Hà Nội');
    assert.equal(formatAddress({ units: ['Xã A', ' ', 'Tỉnh B'], country: 'VN' }), 'Xã A, Tỉnh B');
    assert.equal(formatAddress({ detail: '1 Main St', country: 'FR', countryName: 'Pháp' }), '1 Main St, Pháp');
    assert.equal(formatAddress({ detail: '1 Main St', country: 'FR' }), '1 Main St, FR');
    assert.equal(formatAddress({}), '');
  });
});

describe('numbers', () => {
  it('puts dots between thousands', () => {
    assert.equal(formatInteger(0), '0');
    assert.equal(formatInteger(999), '999');
    assert.equal(formatInteger(1000), '1.000');
    assert.equal(formatInteger(-1250000), '-1.250.000');
    assert.equal(formatVnd(2500), '2.500 đ');
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
      const shown = formatInteger(n);
      assert.equal(Number(shown.replace(/\./g, '')), n);
      assert.match(shown, /^-?\d{1,3}(\.\d{3})*$/);
    }));
  });
});
