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

  test('F12: a hold action with no hold ever ending after it (a refused first placement) stays hidden; shown once a hold ends after it', () => {
    const refused: EntryFacts = { at: '2026-06-01T09:00:00.000Z', action: 'placeVisibilityHold', principalId: 'inspector-1' };
    assert.deepEqual(visibilityOf(refused, NO_RULES, NOW), { visible: false });
    assert.deepEqual(visibilityOf({ ...refused, action: 'listVisibilityHolds' }, NO_RULES, '2030-01-01T00:00:00.000Z'), { visible: false });
    const h1 = { holdId: 'h1', requester: 'agency:CA-HN', kind: 'hidden' as const, decidedAt: '2026-06-01T09:05:00.000Z' };
    // The hold placed after the refusal, still in force: hidden.
    assert.deepEqual(visibilityOf(refused, { holds: [h1], releases: [], defaults: [] }, NOW), { visible: false });
    // Released after it: shown.
    assert.deepEqual(visibilityOf(refused, { holds: [h1], releases: [{ holdId: 'h1', releasedAt: '2026-06-01T10:00:00.000Z' }], defaults: [] }, NOW), { visible: true });
    // A hold that ended before the use says nothing about it.
    assert.deepEqual(visibilityOf({ ...refused, at: '2026-06-01T11:00:00.000Z' }, { holds: [h1], releases: [{ holdId: 'h1', releasedAt: '2026-06-01T10:00:00.000Z' }], defaults: [] }, NOW), { visible: false });
  });

  test('F12: one hold ending does not show the placing of another still in force; a hold placed later does not hide again what was shown', () => {
    const placeH1: EntryFacts = { at: '2026-06-01T09:00:00.000Z', action: 'placeVisibilityHold', principalId: 'i' };
    const placeH2: EntryFacts = { at: '2026-06-01T09:30:00.000Z', action: 'placeVisibilityHold', principalId: 'i' };
    const h1 = { holdId: 'h1', requester: 'agency:CA-HN', kind: 'hidden' as const, decidedAt: '2026-06-01T09:00:00.001Z' };
    const h2 = { holdId: 'h2', requester: 'agency:BANK', kind: 'hidden' as const, decidedAt: '2026-06-01T09:30:00.001Z' };
    const r1 = { holdId: 'h1', releasedAt: '2026-06-01T10:00:00.000Z' };
    const both: VisibilityRules = { holds: [h1, h2], releases: [r1], defaults: [] };
    assert.deepEqual(visibilityOf(placeH2, both, NOW), { visible: false });
    assert.deepEqual(visibilityOf(placeH1, both, NOW), { visible: false });
    const ended: VisibilityRules = { ...both, releases: [r1, { holdId: 'h2', releasedAt: '2026-06-01T12:00:00.000Z' }] };
    assert.deepEqual(visibilityOf(placeH2, ended, NOW), { visible: true });
    assert.deepEqual(visibilityOf(placeH1, ended, NOW), { visible: true });
    // h1 alone, released: shown; then h3 placed afterwards: still shown.
    const h3 = { holdId: 'h3', requester: 'agency:CA-HN', kind: 'hidden' as const, decidedAt: '2026-06-01T20:00:00.000Z' };
    assert.deepEqual(visibilityOf(placeH1, { holds: [h1, h3], releases: [r1], defaults: [] }, NOW), { visible: true });
  });

  test('property F12: a hold action once shown stays shown whatever hold is placed after now', () => {
    const instant = fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2027-01-01') }).map((ms) => new Date(ms).toISOString());
    const hold = fc.record({ holdId: fc.uuid(), requester: fc.constant('agency:CA-HN'), kind: fc.constantFrom('delayed' as const, 'hidden' as const), until: fc.option(instant, { nil: undefined }), decidedAt: instant });
    fc.assert(
      fc.property(instant, instant, fc.array(hold, { maxLength: 4 }), fc.array(fc.tuple(fc.nat(3), instant), { maxLength: 4 }), hold, (at, now, holds, rel, later) => {
        const releases = rel.filter(([i]) => i < holds.length).map(([i, t]) => ({ holdId: holds[i]!.holdId, releasedAt: t }));
        const e: EntryFacts = { at, action: 'placeVisibilityHold', principalId: 'i' };
        const before = visibilityOf(e, { holds, releases, defaults: [] }, now);
        if (!before.visible) return;
        const next = new Date(Date.parse(now) + 1).toISOString();
        const after = visibilityOf(e, { holds: [...holds, { ...later, decidedAt: next }], releases, defaults: [] }, next);
        assert.equal(after.visible, true);
        // Shown only when some hold ended at or after the use.
        assert.ok(holds.some((h) => releases.some((r) => r.holdId === h.holdId && r.releasedAt >= at && r.releasedAt <= now) || (h.kind === 'delayed' && h.until !== undefined && h.until >= at && h.until <= now)));
      }),
    );
  });

  test('F13: a hold on another person named in the same use keeps the entry back from this person too', () => {
    const read: EntryFacts = { ...police, action: 'getHousehold' };
    const onSuspect = { holds: [{ holdId: 'hx', requester: 'agency:CA-HN', kind: 'hidden' as const }], releases: [] };
    assert.deepEqual(visibilityOf(read, NO_RULES, NOW, [onSuspect]), { visible: false });
    assert.deepEqual(visibilityOf(bank, NO_RULES, NOW, [onSuspect]), { visible: true });
    assert.deepEqual(visibilityOf(read, NO_RULES, NOW, [{ ...onSuspect, releases: [{ holdId: 'hx', releasedAt: NOW }] }]), { visible: true });
    const delayed = { holds: [{ holdId: 'hd', requester: 'agency:CA-HN', kind: 'delayed' as const, until: '2026-09-01T00:00:00.000Z' }], releases: [] };
    assert.deepEqual(visibilityOf(read, NO_RULES, NOW, [delayed]), { visible: false, until: '2026-09-01T00:00:00.000Z' });
    // Another person's release of a requester's hidden default is theirs alone: it does not show the entry here.
    const rules: VisibilityRules = { holds: [], releases: [], defaults: [{ requester: 'agency:CA-HN', seq: 1, kind: 'hidden', decidedAt: '2026-01-01T00:00:00.000Z' }] };
    assert.deepEqual(visibilityOf(read, rules, NOW, [{ holds: [], releases: [{ holdId: defaultReleaseId('agency:CA-HN'), releasedAt: NOW }] }]), { visible: false });
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
