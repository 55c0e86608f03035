/**
 * Deadlines in the residence application queue (pure): the API's deadline status (computed on the
 * server's day, in working days) as what the officer sees — a label, a tone, and an order that puts
 * the most urgent first.
 */

export type DeadlineStatus = 'due' | 'due_soon' | 'due_today' | 'overdue' | 'met' | 'missed';

export interface Deadline {
  day: string;
  by: 'noon' | 'end_of_day';
  status: DeadlineStatus;
}

export type Urgency = 'overdue' | 'due_today' | 'due_soon' | 'due' | 'decided' | 'none';
export type Tone = 'bad' | 'warn' | 'neutral' | 'good';

/** Most urgent first. */
export const URGENCY_ORDER: readonly Urgency[] = ['overdue', 'due_today', 'due_soon', 'due', 'decided', 'none'];

const TONES: Record<Urgency, Tone> = { overdue: 'bad', due_today: 'warn', due_soon: 'warn', due: 'neutral', decided: 'good', none: 'neutral' };

/** What a deadline means at the counter: open ones by how close they are; met or missed is decided. */
export function urgencyOf(deadline: Deadline | undefined): Urgency {
  if (!deadline) return 'none';
  switch (deadline.status) {
    case 'overdue':
      return 'overdue';
    case 'due_today':
      return 'due_today';
    case 'due_soon':
      return 'due_soon';
    case 'due':
      return 'due';
    case 'met':
    case 'missed':
      return 'decided';
    default:
      return 'none';
  }
}

export function toneOf(urgency: Urgency): Tone {
  return TONES[urgency];
}

/**
 * The queue in working order: the most urgent first, then the earliest deadline day (noon before
 * end of day), then by application ID so the order never depends on the answer's.
 */
export function byUrgency<T extends { applicationId: string; deadline?: Deadline | undefined }>(items: readonly T[]): T[] {
  const rank = (d: Deadline | undefined) => URGENCY_ORDER.indexOf(urgencyOf(d));
  const when = (d: Deadline | undefined) => (d ? `${d.day}${d.by === 'noon' ? '0' : '1'}` : '9');
  return [...items].sort((a, b) => rank(a.deadline) - rank(b.deadline) || when(a.deadline).localeCompare(when(b.deadline)) || a.applicationId.localeCompare(b.applicationId));
}

/** How many of each urgency, for the queue's summary. */
export function countByUrgency(items: ReadonlyArray<{ deadline?: Deadline | undefined }>): Record<Urgency, number> {
  const counts = Object.fromEntries(URGENCY_ORDER.map((u) => [u, 0])) as Record<Urgency, number>;
  for (const item of items) counts[urgencyOf(item.deadline)] += 1;
  return counts;
}
