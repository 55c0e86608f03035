/**
 * A grievance's steps (decision 0032): the citizen opens it; inspectors assign it, answer it (as
 * often as needed) and close it. Its status is its last step. A closed grievance takes no further
 * step — it is not reopened; at most one grievance per entry, so closing is final.
 */

export const GRIEVANCE_STATUSES = ['opened', 'assigned', 'answered', 'closed'] as const;
export type GrievanceStatus = (typeof GRIEVANCE_STATUSES)[number];

export const GRIEVANCE_ACTIONS = ['assign', 'answer', 'close'] as const;
export type GrievanceAction = (typeof GRIEVANCE_ACTIONS)[number];

const KIND: Readonly<Record<GrievanceAction, GrievanceStatus>> = { assign: 'assigned', answer: 'answered', close: 'closed' };

/** The status of a grievance with these steps (in seq order): its last, `opened` before any. */
export function grievanceStatus(steps: readonly { kind: GrievanceStatus }[]): GrievanceStatus {
  return steps[steps.length - 1]?.kind ?? 'opened';
}

export type GrievanceStep = { ok: true; kind: GrievanceStatus; seq: number } | { ok: false; code: 'GRIEVANCE_CLOSED' };

/** The step an action adds after these steps (in seq order), numbered after the last; or why none. */
export function nextGrievanceStep(steps: readonly { seq: number; kind: GrievanceStatus }[], action: GrievanceAction): GrievanceStep {
  if (grievanceStatus(steps) === 'closed') return { ok: false, code: 'GRIEVANCE_CLOSED' };
  return { ok: true, kind: KIND[action], seq: (steps[steps.length - 1]?.seq ?? 0) + 1 };
}
