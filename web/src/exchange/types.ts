/** What the exchange routes answer (src/http/schemas/exchange-views.ts), as the agency and ministry pages read it. */
export type ConnectionState = 'requested' | 'testing' | 'active' | 'suspended' | 'terminated';

export interface FocalPoint {
  fullName: string;
  position: string;
  phone: string;
  email: string;
}

export interface Agency {
  code: string;
  name: string;
  type: string;
  stateBudgetFunded: boolean;
  dataOffer?: string;
  focalPoints: FocalPoint[];
}

export interface Connection {
  connectionId: string;
  agencyCode: string;
  systemName: string;
  viaPlatform?: string;
  state: ConnectionState;
  requested: { services: string[]; purposes: string[] };
  jwks: { keys: Array<Record<string, unknown>> };
  policy?: { grants: Array<{ service: string; fields: string[]; purposes: string[] }> } & Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionEvent {
  seq: number;
  at: string;
  actorId: string;
  kind: string;
  fromState?: ConnectionState;
  toState?: ConnectionState;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface ConnectionWithEvents extends Connection {
  events: ConnectionEvent[];
  credentials: 'none' | 'synthetic_only' | 'full';
}

export interface StatementLine {
  service: string;
  served: number;
  refused: number;
  testServed: number;
  unitPriceVnd: number | null;
  amountVnd: number;
}

export interface Statement {
  agencyCode: string;
  agencyName: string;
  month: string;
  lines: StatementLine[];
  totalCalls: number;
  totalServed: number;
  totalTestServed: number;
  totalAmountVnd: number;
}

export interface MonitoringRow {
  agencyCode: string;
  service: string;
  calls: number;
  served: number;
  refused: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}
