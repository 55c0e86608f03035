/** The agency-connection state machine: the full transition table and random action sequences. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import {
  allowedActions,
  CONNECTION_ACTIONS,
  CONNECTION_STATES,
  ConnectionAction,
  ConnectionState,
  credentialsWork,
  nextConnectionState,
  type ConnectionTransition,
} from '../../../src/domain/exchange/connection-lifecycle.js';

type S = ConnectionState;
type A = ConnectionAction;
const NOT_ALLOWED = { refused: 'TRANSITION_NOT_ALLOWED' } as const;
const NEEDS_ASSESSMENT = { refused: 'ASSESSMENT_REQUIRED' } as const;

/** Expected outcome with a passed assessment, and without one. */
const TABLE: Record<S, Record<A, [ConnectionTransition, ConnectionTransition]>> = {
  requested: {
    approve_for_test: [{ state: 'testing' }, NEEDS_ASSESSMENT],
    activate: [NOT_ALLOWED, NOT_ALLOWED],
    suspend: [NOT_ALLOWED, NOT_ALLOWED],
    resume: [NOT_ALLOWED, NOT_ALLOWED],
    terminate: [{ state: 'terminated' }, { state: 'terminated' }],
    reject: [{ state: 'terminated' }, { state: 'terminated' }],
  },
  testing: {
    approve_for_test: [NOT_ALLOWED, NOT_ALLOWED],
    activate: [{ state: 'active' }, NEEDS_ASSESSMENT],
    suspend: [NOT_ALLOWED, NOT_ALLOWED],
    resume: [NOT_ALLOWED, NOT_ALLOWED],
    terminate: [{ state: 'terminated' }, { state: 'terminated' }],
    reject: [NOT_ALLOWED, NOT_ALLOWED],
  },
  active: {
    approve_for_test: [NOT_ALLOWED, NOT_ALLOWED],
    activate: [NOT_ALLOWED, NOT_ALLOWED],
    suspend: [{ state: 'suspended' }, { state: 'suspended' }],
    resume: [NOT_ALLOWED, NOT_ALLOWED],
    terminate: [{ state: 'terminated' }, { state: 'terminated' }],
    reject: [NOT_ALLOWED, NOT_ALLOWED],
  },
  suspended: {
    approve_for_test: [NOT_ALLOWED, NOT_ALLOWED],
    activate: [NOT_ALLOWED, NOT_ALLOWED],
    suspend: [NOT_ALLOWED, NOT_ALLOWED],
    resume: [{ state: 'active' }, { state: 'active' }],
    terminate: [{ state: 'terminated' }, { state: 'terminated' }],
    reject: [NOT_ALLOWED, NOT_ALLOWED],
  },
  terminated: {
    approve_for_test: [NOT_ALLOWED, NOT_ALLOWED],
    activate: [NOT_ALLOWED, NOT_ALLOWED],
    suspend: [NOT_ALLOWED, NOT_ALLOWED],
    resume: [NOT_ALLOWED, NOT_ALLOWED],
    terminate: [NOT_ALLOWED, NOT_ALLOWED],
    reject: [NOT_ALLOWED, NOT_ALLOWED],
  },
};

describe('nextConnectionState', () => {
  test('the whole table: 5 states × 6 actions × assessment passed or not × via the platform or not', () => {
    let cases = 0;
    for (const state of CONNECTION_STATES) {
      for (const action of CONNECTION_ACTIONS) {
        const [withAssessment, without] = TABLE[state][action];
        for (const viaPlatform of [false, true]) {
          assert.deepEqual(nextConnectionState(state, action, { hasPassedAssessment: true, viaPlatform }), withAssessment, `${state} ${action} assessed via=${viaPlatform}`);
          assert.deepEqual(nextConnectionState(state, action, { hasPassedAssessment: false, viaPlatform }), without, `${state} ${action} unassessed via=${viaPlatform}`);
          cases += 2;
        }
      }
    }
    assert.equal(cases, 120);
  });

  test('allowedActions lists the actions that are not TRANSITION_NOT_ALLOWED', () => {
    assert.deepEqual(allowedActions('requested'), ['approve_for_test', 'terminate', 'reject']);
    assert.deepEqual(allowedActions('terminated'), []);
    for (const s of CONNECTION_STATES) {
      const expected = CONNECTION_ACTIONS.filter((a) => TABLE[s][a][0] !== NOT_ALLOWED);
      assert.deepEqual(allowedActions(s), expected, s);
    }
  });

  test('the TypeBox schemas accept exactly the states and actions', () => {
    for (const s of CONNECTION_STATES) assert.ok(Value.Check(ConnectionState, s));
    for (const a of CONNECTION_ACTIONS) assert.ok(Value.Check(ConnectionAction, a));
    assert.equal(Value.Check(ConnectionState, 'disabled'), false);
    assert.equal(Value.Check(ConnectionAction, 'delete'), false);
  });
});

describe('credentialsWork', () => {
  test('synthetic data only while testing, everything only while active', () => {
    assert.deepEqual(
      CONNECTION_STATES.map((s) => [s, credentialsWork(s)]),
      [['requested', 'none'], ['testing', 'synthetic_only'], ['active', 'full'], ['suspended', 'none'], ['terminated', 'none']],
    );
  });
});

describe('random action sequences', () => {
  const stepArb = fc.record({
    action: fc.constantFrom(...CONNECTION_ACTIONS),
    hasPassedAssessment: fc.boolean(),
    viaPlatform: fc.boolean(),
  });

  test('property: terminated absorbs; full credentials only when active; assessment behind every entry into testing or active from before', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        let state: S = 'requested';
        let everAssessedPromotion = false;
        for (const { action, ...facts } of steps) {
          const r = nextConnectionState(state, action, facts);
          if (state === 'terminated') assert.deepEqual(r, NOT_ALLOWED);
          if (!('state' in r)) continue;
          if ((r.state === 'testing' && state === 'requested') || (r.state === 'active' && state === 'testing')) {
            assert.equal(facts.hasPassedAssessment, true);
            everAssessedPromotion = true;
          }
          state = r.state;
          if (credentialsWork(state) === 'full') assert.equal(state, 'active');
          if (credentialsWork(state) !== 'none') assert.ok(everAssessedPromotion, 'credentials work only after an assessed approval');
        }
      }),
    );
  });

  test('property: viaPlatform never changes an outcome', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONNECTION_STATES), fc.constantFrom(...CONNECTION_ACTIONS), fc.boolean(), (state, action, hasPassedAssessment) => {
        assert.deepEqual(
          nextConnectionState(state, action, { hasPassedAssessment, viaPlatform: true }),
          nextConnectionState(state, action, { hasPassedAssessment, viaPlatform: false }),
        );
      }),
    );
  });
});
