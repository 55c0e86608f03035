/** When a citizen sees an entry: defaults per requester, holds per person, releases. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, defaultReleaseId, NO_RULES, visibilityOf, type EntryFacts, type VisibilityRules } from '../../../src/domain/accountability/visibility.js';
import { personalIdOfUserCode, trackerAction, usageKindOf } from '../../../src/domain/accountability/usage.js';

const police: EntryFacts = { at: '2026-06-01T08:00:00.000Z', agencyCode: 'CA-HN', connectionId: 'c-police' };
const bank: EntryFacts = { at: '2026-06-01T08:00:00.000Z', agencyCode: 'BANK', connectionId: 'c-bank' };
const NOW = '2026-06-02T00:00:00.000Z';

describe('visibilityOf', () => {
  test('shown at once with no rules', () => {
    assert.deepEqual(visibilityOf(police, NO_RULES, NOW), { visible: true });
  });

  test('a hidden default applies to entries made while in force, until released for the person (entries before the release)', () => {
    const rules: VisibilityRules = { holds: [], releases: [], defaults: [{ requester: 'connection:c-police', seq: 1, kind: 'hidden', decidedAt: '2026-01-01T00:00:00.000Z' }] };
    assert.deepEqual(visibilityOf(police, rules, NOW), { visible: false });
    assert.deepEqual(visibilityOf(bank, rules, NOW), { visible: true });
    // Made before the default was decided: shown.
    assert.deepEqual(visibilityOf({ ...police, at: '2025-12-31T00:00:00.000Z' }, rules, NOW), { visible: true });
    const released = { ...rules, releases: [{ holdId: defaultReleaseId('connection:c-police'), releasedAt: '2026-06-01T12:00:00.000Z' }] };
    assert.deepEqual(visibilityOf(police, released, NOW), { visible: true });
    // An entry after the release is hidden again by the default.
    assert.deepEqual(visibilityOf({ ...police, at: '2026-06-01T13:00:00.000Z' }, released, NOW), { visible: false });
    // A later default of 'shown' does not reveal what was hidden when made.
    const changed = { ...rules, defaults: [...rules.defaults, { requester: 'connection:c-police', seq: 2, kind: 'shown' as const, decidedAt: '2026-07-01T00:00:00.000Z' }] };
    assert.deepEqual(visibilityOf(police, changed, '2026-08-01T00:00:00.000Z'), { visible: false });
    assert.deepEqual(visibilityOf({ ...police, at: '2026-07-02T00:00:00.000Z' }, changed, '2026-08-01T00:00:00.000Z'), { visible: true });
  });

  test('a delayed default shows the entry N days after it', () => {
    const rules: VisibilityRules = { holds: [], releases: [], defaults: [{ requester: 'agency:CA-HN', seq: 1, kind: 'delayed', delayDays: 30, decidedAt: '2026-01-01T00:00:00.000Z' }] };
    assert.deepEqual(visibilityOf(police, rules, NOW), { visible: false, until: '2026-07-01T08:00:00.000Z' });
    assert.deepEqual(visibilityOf(police, rules, '2026-07-01T08:00:00.000Z'), { visible: true });
  });

  test('a hold covers its period; hidden until released, delayed until its date', () => {
    const hold = { holdId: 'h1', requester: 'agency:CA-HN', from: '2026-05-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z', kind: 'hidden' as const };
    const rules: VisibilityRules = { holds: [hold], releases: [], defaults: [] };
    assert.deepEqual(visibilityOf(police, rules, NOW), { visible: false });
    assert.deepEqual(visibilityOf({ ...police, at: '2026-07-01T00:00:00.000Z' }, rules, NOW), { visible: true });
    assert.deepEqual(visibilityOf({ ...police, at: '2026-04-30T23:59:59.999Z' }, rules, NOW), { visible: true });
    assert.deepEqual(visibilityOf(police, { ...rules, releases: [{ holdId: 'h1', releasedAt: '2026-06-01T20:00:00.000Z' }] }, NOW), { visible: true });
    const delayed: VisibilityRules = { holds: [{ ...hold, kind: 'delayed', until: '2026-09-01T00:00:00.000Z' }], releases: [], defaults: [] };
    assert.deepEqual(visibilityOf(police, delayed, NOW), { visible: false, until: '2026-09-01T00:00:00.000Z' });
    assert.deepEqual(visibilityOf(police, delayed, '2026-09-01T00:00:00.000Z'), { visible: true });
  });

  test('property: hidden beats delayed; a later date beats an earlier one; releases only ever show', () => {
    const instant = fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2027-01-01') }).map((ms) => new Date(ms).toISOString());
    const hold = fc.record({ holdId: fc.constantFrom('a', 'b', 'c'), requester: fc.constantFrom('agency:CA-HN', 'agency:BANK'), kind: fc.constantFrom('delayed' as const, 'hidden' as const), until: fc.option(instant, { nil: undefined }), from: fc.option(instant, { nil: undefined }), to: fc.option(instant, { nil: undefined }) });
    const release = fc.record({ holdId: fc.constantFrom('a', 'b', 'c', 'default:agency:CA-HN'), releasedAt: instant });
    const dflt = fc.record({ requester: fc.constantFrom('agency:CA-HN', 'agency:BANK'), seq: fc.nat(5), kind: fc.constantFrom('shown' as const, 'delayed' as const, 'hidden' as const), delayDays: fc.nat(60), decidedAt: instant });
    fc.assert(
      fc.property(instant, instant, fc.array(hold, { maxLength: 4 }), fc.array(release, { maxLength: 3 }), fc.array(dflt, { maxLength: 3 }), (at, now, holds, releases, defaults) => {
        const e = { ...police, at };
        const without = visibilityOf(e, { holds, releases: [], defaults }, now);
        const withReleases = visibilityOf(e, { holds, releases, defaults }, now);
        if (without.visible) assert.equal(withReleases.visible, true);
        if (!withReleases.visible && withReleases.until !== undefined) assert.ok(withReleases.until > now);
        // Nothing about another requester changes the answer.
        assert.deepEqual(visibilityOf(bank, { holds: holds.filter((h) => h.requester !== 'agency:BANK'), releases, defaults: defaults.filter((d) => d.requester !== 'agency:BANK') }, now), { visible: true });
      }),
    );
  });

  test('placing, listing and releasing holds on a person is kept back while any hold on them is in force', () => {
    const placed: EntryFacts = { at: '2026-06-01T09:00:00.000Z', action: 'placeVisibilityHold', principalId: 'inspector-1' };
    const hold = { holdId: 'h1', requester: 'agency:CA-HN', from: '2026-05-01T00:00:00.000Z', to: '2026-05-02T00:00:00.000Z', kind: 'hidden' as const };
    assert.deepEqual(visibilityOf(placed, { holds: [hold], releases: [], defaults: [] }, NOW), { visible: false });
    assert.deepEqual(visibilityOf({ ...placed, action: 'getCitizen' }, { holds: [hold], releases: [], defaults: [] }, NOW), { visible: true });
    assert.deepEqual(visibilityOf(placed, { holds: [hold], releases: [{ holdId: 'h1', releasedAt: '2026-06-01T10:00:00.000Z' }], defaults: [] }, NOW), { visible: true });
    assert.deepEqual(visibilityOf(placed, { holds: [{ ...hold, kind: 'delayed', until: '2026-07-01T00:00:00.000Z' }], releases: [], defaults: [] }, NOW), { visible: false, until: '2026-07-01T00:00:00.000Z' });
  });

  test('addDays', () => {
    assert.equal(addDays('2026-02-28T10:00:00.000Z', 1), '2026-03-01T10:00:00.000Z');
  });
});

describe('usage wording', () => {
  test('kinds from who called', () => {
    assert.equal(usageKindOf({ callerKind: 'connection', channel: 'exchange' }), 'exchange');
    assert.equal(usageKindOf({ callerKind: 'principal', role: 'officer', channel: 'api' }), 'officer');
    assert.equal(usageKindOf({ callerKind: 'principal', role: 'admin', channel: 'api' }), 'officer');
    assert.equal(usageKindOf({ callerKind: 'principal', role: 'inspector', channel: 'api' }), 'inspector');
    assert.equal(usageKindOf({ callerKind: 'principal', role: 'citizen', channel: 'api' }), 'citizen');
    assert.equal(usageKindOf({ callerKind: 'system', channel: 'cli' }), 'system');
  });

  test('the tracker action names the purpose and the action; user codes with or without VN', () => {
    assert.equal(trackerAction({ action: 'getCitizen', purpose: '1.001234' }), '1.001234: Tra cứu thông tin công dân');
    assert.equal(trackerAction({ action: 'lookupCitizen' }), 'lookupCitizen');
    assert.equal(personalIdOfUserCode('VN001080000001'), '001080000001');
    assert.equal(personalIdOfUserCode('001080000001'), '001080000001');
    assert.equal(personalIdOfUserCode('EE001080000001'), undefined);
    assert.equal(personalIdOfUserCode('VN0010800000'), undefined);
  });
});
