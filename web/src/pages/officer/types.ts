/** The API's answers the officer pages read (the shapes the server's schemas promise). */
import type { FieldComparison, Verdict } from './comparison.js';
import type { Deadline } from './deadlines.js';

export interface QrPayload {
  personalId: string;
  legacyIdNumber?: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'male' | 'female';
  permanentAddress: string;
  issueDate: string;
}

export interface CounterVerification {
  verdict: Verdict;
  payload: QrPayload;
  consistency: Array<{ code: string; fields: string[] }>;
  personalId?: string;
  fullName?: string;
  card?: { seq: number; cardNo: string; generation: string; issueDate: string; expiryDate: string | null; status: string };
  fields?: FieldComparison[];
  legacyIdNumber?: string;
  permanentResidence?: { text: string; historical: boolean };
}

export interface AddressView {
  text: string;
  historical: boolean;
}

export interface CitizenView {
  personalId: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'male' | 'female';
  ethnicity: string;
  nationality: string;
  legacyIdNumber?: string;
  permanentResidence?: AddressView;
  currentResidence?: AddressView;
  lifeStatus: 'alive' | 'deceased' | 'missing';
}

export interface CardView {
  seq: number;
  cardNo: string;
  issueDate: string;
  expiryDate: string | null;
  status: string;
}

export interface CardStatusReport {
  personalId: string;
  date: string;
  current?: CardView;
  cards: CardView[];
}

export interface ApplicationView {
  applicationId: string;
  procedure: string;
  procedureName: string;
  tthc: string | null;
  status: string;
  personalId: string;
  receivedOn: string;
  submittedAt: string;
  deadline?: Deadline;
  request: Record<string, unknown>;
  steps: Array<{ action: string; at: string; by: string; form?: string; items?: string[]; note?: string }>;
  decidedAt?: string;
  outcome?: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface Category {
  code: string;
  name: string;
}
