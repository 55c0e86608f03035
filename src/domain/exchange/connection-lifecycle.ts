/**
 * The lifecycle of an agency connection, after X-Road's client registration, disable/enable and
 * deletion (shared/reference/anchors.md §2.1):
 *   requested ─approve_for_test→ testing ─activate→ active ─suspend→ suspended ─resume→ active
 *   requested ─reject→ terminated; any state but terminated ─terminate→ terminated.
 * Rules:
 * - Approval for testing and activation both require a passed security assessment. This holds
 *   whether or not the connection goes through the national data-sharing platform (`viaPlatform`
 *   is recorded with the connection but exempts nothing).
 * - Terminated is final: it accepts no action.
 * - An action the state does not accept is refused as TRANSITION_NOT_ALLOWED, before the assessment
 *   is looked at.
 * - Credentials work against synthetic data only while testing, fully only while active.
 */
import { Type, type Static } from '@sinclair/typebox';

export const ConnectionState = Type.Union([
  Type.Literal('requested'),
  Type.Literal('testing'),
  Type.Literal('active'),
  Type.Literal('suspended'),
  Type.Literal('terminated'),
]);
export type ConnectionState = Static<typeof ConnectionState>;

export const ConnectionAction = Type.Union([
  Type.Literal('approve_for_test'),
  Type.Literal('activate'),
  Type.Literal('suspend'),
  Type.Literal('resume'),
  Type.Literal('terminate'),
  Type.Literal('reject'),
]);
export type ConnectionAction = Static<typeof ConnectionAction>;

export const CONNECTION_STATES: readonly ConnectionState[] = ['requested', 'testing', 'active', 'suspended', 'terminated'];
export const CONNECTION_ACTIONS: readonly ConnectionAction[] = ['approve_for_test', 'activate', 'suspend', 'resume', 'terminate', 'reject'];

export interface ConnectionFacts {
  hasPassedAssessment: boolean;
  viaPlatform: boolean;
}

export type ConnectionRefusal = 'ASSESSMENT_REQUIRED' | 'TRANSITION_NOT_ALLOWED';
export type ConnectionTransition = { state: ConnectionState } | { refused: ConnectionRefusal };

interface Edge {
  to: ConnectionState;
  needsAssessment: boolean;
}

const EDGES: Readonly<Record<ConnectionState, Partial<Record<ConnectionAction, Edge>>>> = {
  requested: {
    approve_for_test: { to: 'testing', needsAssessment: true },
    reject: { to: 'terminated', needsAssessment: false },
    terminate: { to: 'terminated', needsAssessment: false },
  },
  testing: {
    activate: { to: 'active', needsAssessment: true },
    terminate: { to: 'terminated', needsAssessment: false },
  },
  active: {
    suspend: { to: 'suspended', needsAssessment: false },
    terminate: { to: 'terminated', needsAssessment: false },
  },
  suspended: {
    resume: { to: 'active', needsAssessment: false },
    terminate: { to: 'terminated', needsAssessment: false },
  },
  terminated: {},
};

/** The state after `action`, or why it is refused. */
export function nextConnectionState(state: ConnectionState, action: ConnectionAction, facts: ConnectionFacts): ConnectionTransition {
  const edge = EDGES[state]?.[action];
  if (!edge) return { refused: 'TRANSITION_NOT_ALLOWED' };
  // viaPlatform deliberately plays no part: the assessment is required either way.
  if (edge.needsAssessment && !facts.hasPassedAssessment) return { refused: 'ASSESSMENT_REQUIRED' };
  return { state: edge.to };
}

/** The actions `state` accepts (whatever the facts). */
export function allowedActions(state: ConnectionState): ConnectionAction[] {
  return CONNECTION_ACTIONS.filter((a) => EDGES[state]?.[a] !== undefined);
}

/** What the connection's credentials give access to in `state`. */
export function credentialsWork(state: ConnectionState): 'none' | 'synthetic_only' | 'full' {
  if (state === 'testing') return 'synthetic_only';
  if (state === 'active') return 'full';
  return 'none';
}
