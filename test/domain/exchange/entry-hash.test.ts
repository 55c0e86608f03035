/** The access-log entry hash is over a canonical text: the entry's JSON with its keys in sorted order. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { entryHash } from '../../../src/services/exchange/log-writer.js';

const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const entry = fc
  .record({
    logId: fc.string({ minLength: 1 }), at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), agencyCode: optional(fc.string()),
    connectionId: optional(fc.uuid()), service: fc.string({ minLength: 1 }), requestId: optional(fc.string()), purpose: optional(fc.string()),
    officerId: optional(fc.string()), personalIds: fc.array(fc.stringMatching(/^\d{12}$/), { maxLength: 5 }), fields: fc.array(fc.string(), { maxLength: 5 }),
    outcome: fc.constantFrom('served' as const, 'refused' as const), errorCode: optional(fc.string()), httpStatus: fc.integer({ min: 100, max: 599 }),
    latencyMs: fc.double({ min: 0, max: 1e4, noNaN: true }), feeVnd: fc.nat(), catalogueYear: optional(fc.integer({ min: 2000, max: 2100 })), sourceIp: optional(fc.ipV4()),
  })
  .map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as typeof e);

describe('entryHash', () => {
  it('is SHA-256 of the JSON text with keys sorted, whatever order the entry was built in', () => {
    fc.assert(
      fc.property(entry, fc.boolean(), (e, reverse) => {
        const built = Object.fromEntries(reverse ? Object.entries(e).reverse() : Object.entries(e)) as typeof e;
        const oracle = createHash('sha256').update(JSON.stringify(e, Object.keys(e).sort())).digest('hex');
        assert.equal(entryHash(built), oracle);
      }),
    );
  });

  it('changes when any value changes', () => {
    fc.assert(
      fc.property(entry, fc.string({ minLength: 1 }), (e, suffix) => {
        assert.notEqual(entryHash({ ...e, requestId: `${e.requestId ?? ''}${suffix}` }), entryHash(e));
      }),
    );
  });
});
