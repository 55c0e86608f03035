/** Written requests as the API answers them (routes/written-requests.ts). */
import type { Deadline } from './deadlines.js';

/** The groups of data a letter may ask for (domain/written-requests/rules.ts FIELD_GROUPS). */
export const FIELD_GROUPS = ['identity', 'residence', 'household', 'card', 'usage'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

export interface WrittenRequest {
  requestId: string;
  personalId: string;
  status: 'awaiting_consent' | 'open' | 'provided' | 'refused';
  channel: 'counter' | 'post';
  receivedOn: string;
  requester: { kind: 'citizen'; personalId: string; ground?: string } | { kind: 'organisation'; name?: string; stateBody?: boolean };
  fields: FieldGroup[];
  purpose: string;
  consentRequired: boolean;
  deadline?: Deadline;
  decidedAt?: string;
  reasons?: string[];
  certificateNumber?: string;
  events?: Array<{ seq: number; at: string; kind: string }>;
}
