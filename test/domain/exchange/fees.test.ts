/** Charging and monthly statements: fees, local-month bounds, statement totals and CSV. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildStatement, feeFor, FIRST_STATEMENT_YEAR, isStatementMonth, monthBounds, statementCsv, type LogLine, type Statement } from '../../../src/domain/exchange/fees.js';

/** A minimal RFC 4180 reader for checking the CSV (CRLF records, quoted fields). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') (field += '"'), i++;
      else quoted = false;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      [row, field] = [[], ''];
      i++;
    } else {
      field += ch;
    }
  }
  assert.equal(row.length + field.length, 0, 'the text ends with CRLF');
  return rows;
}

function line(at: string, service: string, outcome: 'served' | 'refused', feeVnd: number, agencyCode = 'BHXH'): LogLine {
  return { at, agencyCode, connectionId: 'c1', service, outcome, feeVnd, requestId: 'r', logId: 'l' };
}

describe('feeFor', () => {
  test('only a served call outside the test stage that is neither free nor state-funded is charged', () => {
    for (const outcome of ['served', 'refused'] as const) {
      for (const free of [false, true]) {
        for (const stateBudgetFunded of [false, true]) {
          for (const testStage of [false, true]) {
            const expected = outcome === 'served' && !free && !stateBudgetFunded && !testStage ? 1500 : 0;
            assert.equal(feeFor({ priceVnd: 1500, free, stateBudgetFunded, testStage, outcome }), expected, JSON.stringify({ outcome, free, stateBudgetFunded, testStage }));
          }
        }
      }
    }
  });

  test('the price must be a non-negative integer', () => {
    for (const priceVnd of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => feeFor({ priceVnd, free: false, stateBudgetFunded: false, testStage: false, outcome: 'served' }), { name: 'RangeError', message: `priceVnd must be a non-negative integer number of đồng: ${priceVnd}` });
    }
  });
});

describe('monthBounds', () => {
  test('local month bounds as UTC instants', () => {
    assert.deepEqual(monthBounds('2025-01'), { from: '2024-12-31T17:00:00.000Z', to: '2025-01-31T17:00:00.000Z' });
    assert.deepEqual(monthBounds('2024-02'), { from: '2024-01-31T17:00:00.000Z', to: '2024-02-29T17:00:00.000Z' });
    assert.deepEqual(monthBounds('2025-12'), { from: '2025-11-30T17:00:00.000Z', to: '2025-12-31T17:00:00.000Z' });
    assert.deepEqual(monthBounds('2025-12', '+00:00'), { from: '2025-12-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' });
  });

  test('refuses anything but YYYY-MM', () => {
    for (const m of ['2025-13', '2025-00', '2025-1', '2025-01-01', '', 'x2025-01', '12025-01', '2025-01x', '0000-07', '0001-01', '1969-12']) {
      assert.throws(() => monthBounds(m), { name: 'RangeError', message: `not a YYYY-MM month: ${m}` }, m);
    }
    assert.throws(() => buildStatement('BHXH', '2025/01', []), RangeError);
  });

  test('a statement month is YYYY-MM from 1970 on, exactly the months monthBounds takes', () => {
    assert.equal(FIRST_STATEMENT_YEAR, 1970);
    for (const [m, ok] of [['1970-01', true], ['9999-12', true], ['1969-12', false], ['0000-07', false], ['2026-13', false]] as const) assert.equal(isStatementMonth(m), ok, m);
    // The first month itself has bounds and a statement (the local month starts on 31 December 1969 in UTC).
    assert.deepEqual(monthBounds('1970-01'), { from: '1969-12-31T17:00:00.000Z', to: '1970-01-31T17:00:00.000Z' });
    assert.equal(buildStatement('BHXH', '1970-01', []).month, '1970-01');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), (year, month) => {
        const m = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
        const ok = year >= 1970 && month >= 1 && month <= 12;
        assert.equal(isStatementMonth(m), ok, m);
        if (ok) assert.ok(monthBounds(m).from.startsWith(`${year - (month === 1 ? 1 : 0)}-`), m);
        else assert.throws(() => monthBounds(m), RangeError);
      }),
    );
  });
});

describe('buildStatement', () => {
  const log: LogLine[] = [
    line('2025-01-31T16:59:59Z', 'verify-id', 'served', 1000), // 23:59:59 local, January
    line('2025-01-31T17:00:00Z', 'verify-id', 'served', 1000), // 00:00 local, February
    line('2025-02-10T03:00:00Z', 'verify-id', 'refused', 0),
    line('2025-02-11T03:00:00Z', 'verify-id', 'served', 1200), // price changed mid-month
    line('2025-02-12T03:00:00Z', 'household', 'served', 500),
    line('2025-02-12T04:00:00Z', 'household', 'served', 500),
    line('2025-02-12T05:00:00Z', 'citizen-info', 'served', 0, 'BHXH'),
    line('2025-02-12T05:00:00Z', 'citizen-info', 'served', 700, 'TCT'), // another agency
    line('2025-02-28T17:30:00Z', 'household', 'served', 500), // 1 March local
  ];

  test('one agency, one local month, services by code, several prices → null', () => {
    assert.deepEqual(buildStatement('BHXH', '2025-02', log), {
      agencyCode: 'BHXH',
      month: '2025-02',
      lines: [
        { service: 'citizen-info', served: 1, refused: 0, testServed: 0, unitPriceVnd: 0, amountVnd: 0 },
        { service: 'household', served: 2, refused: 0, testServed: 0, unitPriceVnd: 500, amountVnd: 1000 },
        { service: 'verify-id', served: 2, refused: 1, testServed: 0, unitPriceVnd: null, amountVnd: 2200 },
      ],
      totalCalls: 6,
      totalServed: 5,
      totalTestServed: 0,
      totalAmountVnd: 3200,
    } satisfies Statement);
    assert.equal(buildStatement('BHXH', '2025-01', log).totalAmountVnd, 1000);
    assert.deepEqual(buildStatement('BHXH', '2025-03', log).lines, [{ service: 'household', served: 1, refused: 0, testServed: 0, unitPriceVnd: 500, amountVnd: 500 }]);
  });

  test('a service with only refused calls has no unit price; an empty month is empty', () => {
    const s = buildStatement('BHXH', '2025-02', [line('2025-02-10T03:00:00Z', 'verify-id', 'refused', 0)]);
    assert.deepEqual(s.lines, [{ service: 'verify-id', served: 0, refused: 1, testServed: 0, unitPriceVnd: null, amountVnd: 0 }]);
    assert.deepEqual(buildStatement('X', '2025-02', log), { agencyCode: 'X', month: '2025-02', lines: [], totalCalls: 0, totalServed: 0, totalTestServed: 0, totalAmountVnd: 0 });
  });

  test('test-stage calls are counted on their own, free, and leave the unit price of billed calls alone', () => {
    const test = (at: string, outcome: 'served' | 'refused' = 'served'): LogLine => ({ ...line(at, 'verify-id', outcome, 0), testStage: true });
    const s = buildStatement('BHXH', '2025-02', [
      test('2025-02-01T03:00:00Z'),
      test('2025-02-01T03:01:00Z'),
      test('2025-02-01T03:02:00Z', 'refused'),
      line('2025-02-11T03:00:00Z', 'verify-id', 'served', 1200),
      line('2025-02-11T04:00:00Z', 'verify-id', 'served', 1200),
    ]);
    assert.deepEqual(s.lines, [{ service: 'verify-id', served: 2, refused: 1, testServed: 2, unitPriceVnd: 1200, amountVnd: 2400 }]);
    assert.deepEqual([s.totalCalls, s.totalServed, s.totalTestServed, s.totalAmountVnd], [5, 2, 2, 2400]);
    assert.equal(statementCsv(s).split('\r\n')[2], 'BHXH,2025-02,TOTAL,2,1,,2400,2');
    const onlyTest = buildStatement('BHXH', '2025-02', [test('2025-02-01T03:00:00Z')]);
    assert.deepEqual(onlyTest.lines, [{ service: 'verify-id', served: 0, refused: 0, testServed: 1, unitPriceVnd: null, amountVnd: 0 }]);
    assert.deepEqual([onlyTest.totalCalls, onlyTest.totalServed, onlyTest.totalTestServed, onlyTest.totalAmountVnd], [1, 0, 1, 0]);
  });

  test('a logged fee that is not a whole number of đồng is refused', () => {
    assert.throws(() => buildStatement('BHXH', '2025-02', [line('2025-02-10T03:00:00Z', 's', 'served', 10.5)]), { name: 'RangeError', message: 'feeVnd must be a non-negative integer number of đồng: 10.5' });
  });
});

describe('statementCsv', () => {
  test('header, one line per service, TOTAL; CRLF; RFC 4180 quoting; Vietnamese text kept', () => {
    const s = buildStatement('BHXH', '2025-02', [
      line('2025-02-10T03:00:00Z', 'tra cứu, "đặc biệt"', 'served', 2000),
      line('2025-02-10T03:00:00Z', 'verify-id', 'refused', 0),
    ]);
    assert.equal(
      statementCsv(s),
      'agency_code,month,service,served,refused,unit_price_vnd,amount_vnd,test_served\r\n' +
        'BHXH,2025-02,"tra cứu, ""đặc biệt""",1,0,2000,2000,0\r\n' +
        'BHXH,2025-02,verify-id,0,1,,0,0\r\n' +
        'BHXH,2025-02,TOTAL,1,1,,2000,0\r\n',
    );
  });
});

const AGENCIES = ['BHXH', 'TCT', 'NHNN'];
const SERVICES = ['verify-id', 'household', 'tra cứu, "đặc biệt"', 'citizen-info'];
const logArb: fc.Arbitrary<LogLine[]> = fc.array(
  fc
    .record({
      ms: fc.integer({ min: Date.UTC(2024, 11, 25), max: Date.UTC(2025, 2, 5) }),
      agencyCode: fc.constantFrom(...AGENCIES),
      service: fc.constantFrom(...SERVICES),
      priceVnd: fc.constantFrom(0, 500, 1000, 1200, 25_000),
      free: fc.boolean(),
      stateBudgetFunded: fc.boolean(),
      testStage: fc.boolean(),
      outcome: fc.constantFrom('served' as const, 'refused' as const),
    })
    .map((r) => ({
      at: new Date(r.ms).toISOString(),
      agencyCode: r.agencyCode,
      connectionId: `conn-${r.agencyCode}`,
      service: r.service,
      outcome: r.outcome,
      feeVnd: feeFor(r),
      ...(r.testStage ? { testStage: true } : {}),
      requestId: `req-${r.ms}`,
      logId: `log-${r.ms}`,
    })),
  { maxLength: 120 },
);
const monthArb = fc.constantFrom('2024-12', '2025-01', '2025-02', '2025-03');
const agencyArb = fc.constantFrom(...AGENCIES);

function matching(log: readonly LogLine[], agency: string, month: string): LogLine[] {
  const { from, to } = monthBounds(month);
  return log.filter((l) => l.agencyCode === agency && Date.parse(l.at) >= Date.parse(from) && Date.parse(l.at) < Date.parse(to));
}

describe('statement properties', () => {
  test('total = Σ line amounts = Σ fees of the matching log lines (matched through monthBounds)', () => {
    fc.assert(
      fc.property(logArb, agencyArb, monthArb, (log, agency, month) => {
        const s = buildStatement(agency, month, log);
        const m = matching(log, agency, month);
        assert.equal(s.totalAmountVnd, s.lines.reduce((a, l) => a + l.amountVnd, 0));
        assert.equal(s.totalAmountVnd, m.reduce((a, l) => a + l.feeVnd, 0));
        assert.equal(s.totalCalls, m.length);
        assert.equal(s.totalServed, m.filter((l) => l.outcome === 'served' && !l.testStage).length);
        assert.equal(s.totalTestServed, m.filter((l) => l.outcome === 'served' && l.testStage).length);
        for (const l of s.lines) if (l.unitPriceVnd !== null) assert.equal(l.amountVnd, l.served * l.unitPriceVnd);
        assert.deepEqual(s.lines.map((l) => l.service), [...new Set(m.map((l) => l.service))].sort());
      }),
    );
  });

  test('the CSV reads back to the statement; its TOTAL row carries the total amount', () => {
    fc.assert(
      fc.property(logArb, agencyArb, monthArb, (log, agency, month) => {
        const s = buildStatement(agency, month, log);
        const rows = readCsv(statementCsv(s));
        assert.equal(rows.length, s.lines.length + 2);
        const total = rows.at(-1) as string[];
        assert.deepEqual(total, [agency, month, 'TOTAL', String(s.totalServed), String(s.totalCalls - s.totalServed - s.totalTestServed), '', String(s.totalAmountVnd), String(s.totalTestServed)]);
        s.lines.forEach((l, i) => {
          assert.deepEqual(rows[i + 1], [agency, month, l.service, String(l.served), String(l.refused), l.unitPriceVnd === null ? '' : String(l.unitPriceVnd), String(l.amountVnd), String(l.testServed)]);
        });
      }),
    );
  });

  test('additivity: statements of the parts of a log sum to the statement of the whole', () => {
    fc.assert(
      fc.property(logArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 120, maxLength: 120 }), agencyArb, monthArb, (log, parts, agency, month) => {
        const whole = buildStatement(agency, month, log);
        const pieces = [0, 1, 2, 3].map((p) => buildStatement(agency, month, log.filter((_, i) => parts[i] === p)));
        assert.equal(pieces.reduce((a, s) => a + s.totalAmountVnd, 0), whole.totalAmountVnd);
        assert.equal(pieces.reduce((a, s) => a + s.totalCalls, 0), whole.totalCalls);
        assert.equal(pieces.reduce((a, s) => a + s.totalServed, 0), whole.totalServed);
        assert.equal(pieces.reduce((a, s) => a + s.totalTestServed, 0), whole.totalTestServed);
        for (const l of whole.lines) {
          const same = pieces.flatMap((s) => s.lines.filter((x) => x.service === l.service));
          assert.equal(same.reduce((a, x) => a + x.amountVnd, 0), l.amountVnd);
          assert.equal(same.reduce((a, x) => a + x.served, 0), l.served);
          assert.equal(same.reduce((a, x) => a + x.refused, 0), l.refused);
          assert.equal(same.reduce((a, x) => a + x.testServed, 0), l.testServed);
        }
      }),
    );
  });
});
