/** An access entry as /inspection/access-entries answers it. */
export interface AccessEntry {
  entryId: string;
  subjectKey: string;
  at: string;
  callerKind: string;
  principalId?: string;
  role?: string;
  unit?: string;
  agencyCode?: string;
  connectionId?: string;
  officerId?: string;
  channel: string;
  action: string;
  purpose?: string;
  personalIds: string[];
  fields: string[];
  outcome: string;
  errorCode?: string;
  httpStatus: number;
  requestId?: string;
  latencyMs: number;
  feeVnd: number;
}
