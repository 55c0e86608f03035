/** Tables of what citizens see of their usage (migration 0013; decision 0032). */

export interface VisibilityDefaultTable {
  requester: string; // agency:<code> | connection:<id> | unit:<unit> | principal:<id>
  seq: number;
  kind: string; // shown | delayed | hidden
  delay_days: number | null;
  decision_ref: string;
  decided_by: string;
  decided_at: string;
}

export interface VisibilityHoldTable {
  personal_id: string;
  hold_id: string;
  requester: string;
  period_from: string | null;
  period_to: string | null;
  kind: string; // delayed | hidden
  until: string | null;
  decision_ref: string;
  decided_by: string;
  decided_at: string;
}

export interface VisibilityReleaseTable {
  personal_id: string;
  release_id: string;
  hold_id: string; // a hold's ID, or default:<requester>
  released_at: string;
  released_by: string;
  decision_ref: string;
}

export interface GrievanceTable {
  personal_id: string;
  grievance_id: string;
  entry_id: string;
  opened_at: string;
  opened_by: string;
  text: string;
}

export interface GrievanceEventTable {
  personal_id: string;
  grievance_id: string;
  seq: number;
  at: string;
  actor_id: string;
  kind: string; // opened | assigned | answered | closed
  text: string | null;
}
