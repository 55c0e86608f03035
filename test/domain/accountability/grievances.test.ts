/** A grievance's steps: its status is the last; any step until closed, none after; seqs follow on. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GRIEVANCE_ACTIONS, grievanceStatus, nextGrievanceStep, type GrievanceAction, type GrievanceStatus } from '../../../src/domain/accountability/grievances.js';

const KIND: Record<GrievanceAction, GrievanceStatus> = { assign: 'assigned', answer: 'answered', close: 'closed' };

/** The steps a series of actions leaves, each applied as the rule says, and the refusals met. */
function apply(actions: readonly GrievanceAction[]) {
  const steps: { seq: number; kind: GrievanceStatus }[] = [{ seq: 1, kind: 'opened' }];
  const refused: string[] = [];
  for (const action of actions) {
    const r = nextGrievanceStep(steps, action);
    if (r.ok) steps.push({ seq: r.seq, kind: r.kind });
    else refused.push(r.code);
  }
  return { steps, refused };
}

describe('grievance steps', () => {
  test('the status is the last step; opened before any', () => {
    assert.equal(grievanceStatus([]), 'opened');
    assert.equal(grievanceStatus([{ kind: 'opened' }, { kind: 'answered' }, { kind: 'assigned' }]), 'assigned');
    assert.equal(grievanceStatus([{ kind: 'opened' }, { kind: 'closed' }]), 'closed');
  });

  test('each action adds its step after the last seq, while open; after a close every action is refused GRIEVANCE_CLOSED', () => {
    assert.deepEqual(nextGrievanceStep([{ seq: 1, kind: 'opened' }], 'assign'), { ok: true, kind: 'assigned', seq: 2 });
    assert.deepEqual(nextGrievanceStep([{ seq: 1, kind: 'opened' }, { seq: 2, kind: 'answered' }], 'answer'), { ok: true, kind: 'answered', seq: 3 });
    assert.deepEqual(nextGrievanceStep([{ seq: 1, kind: 'opened' }, { seq: 2, kind: 'assigned' }], 'close'), { ok: true, kind: 'closed', seq: 3 });
    for (const action of GRIEVANCE_ACTIONS) {
      assert.deepEqual(nextGrievanceStep([{ seq: 1, kind: 'opened' }, { seq: 2, kind: 'closed' }], action), { ok: false, code: 'GRIEVANCE_CLOSED' });
    }
  });

  test('any series of actions: seqs 1..n, nothing after closed, every action after the first close refused and none before it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...GRIEVANCE_ACTIONS), { maxLength: 30 }), (actions) => {
        const { steps, refused } = apply(actions);
        assert.deepEqual(steps.map((s) => s.seq), steps.map((_, i) => i + 1));
        const firstClose = actions.indexOf('close');
        const taken = firstClose === -1 ? actions : actions.slice(0, firstClose + 1);
        assert.deepEqual(steps.slice(1).map((s) => s.kind), taken.map((a) => KIND[a]));
        assert.deepEqual(refused, Array(actions.length - taken.length).fill('GRIEVANCE_CLOSED'));
        assert.ok(steps.findIndex((s) => s.kind === 'closed') === -1 || steps.findIndex((s) => s.kind === 'closed') === steps.length - 1);
      }),
    );
  });
});
