/**
 * The data subject's consent to an agency outside the state (NĐ 70/2024 Art. 10(2); decision 0044):
 * whether a grant needs it, what a consent request may ask, its states and what a call may do with
 * the consents a person gave. Pure: the store and the clock are the caller's.
 *
 * States: pending → approved | refused | expired (no answer by its deadline); approved → withdrawn |
 * expired (end of its validity). A stored state is what was last decided; the state in force is
 * worked out with the time (`stateAt`), so a deadline passing needs no write to take effect.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ErrorCode } from '../errors/codes.js';
import type { AgencyType } from './agency.js';
import { PROVIDER_SERVICE_CODES, ServiceCode } from './catalogue.js';
import { PurposeCode, type Policy, type ServiceGrant } from './policy.js';

/** Days the citizen has to answer a request before it lapses. */
export const ANSWER_DAYS = 7;
/** The longest validity an agency may ask for (a year: renewed by a new request, decision 0044). */
export const MAX_VALID_DAYS = 365;
const DAY_MS = 86_400_000;

export const CONSENT_STATES = ['pending', 'approved', 'refused', 'withdrawn', 'expired'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export type ConsentAction = 'approve' | 'refuse' | 'withdraw' | 'expire';

/**
 * Agency types listed among the users of the database in NĐ 70/2024 Art. 8(1) (state bodies and
 * political and socio-political organisations): they need no consent by default. A public-service
 * organisation funded by the state budget (đơn vị sự nghiệp công lập) counts as one of them.
 */
const STATE_TYPES: readonly AgencyType[] = ['state_agency', 'political_organisation'];

export function consentByDefault(type: AgencyType | undefined, stateBudgetFunded: boolean): boolean {
  // An agency whose type cannot be read is not presumed to be the state.
  if ((STATE_TYPES as readonly (AgencyType | undefined)[]).includes(type)) return false;
  return !(type === 'public_service_organisation' && stateBudgetFunded);
}

/** Only services that release the registry's data need consent; a provider gives data, it takes none. */
export function releasesData(service: string): boolean {
  return !(PROVIDER_SERVICE_CODES as readonly string[]).includes(service);
}

/** Whether a call under this grant needs the subject's consent: the policy's word, else the agency type's default. */
export function grantNeedsConsent(grant: Pick<ServiceGrant, 'service' | 'consentRequired'>, type: AgencyType | undefined, stateBudgetFunded: boolean): boolean {
  if (!releasesData(grant.service)) return false;
  const byDefault = consentByDefault(type, stateBudgetFunded);
  // A waiver holds only where one may be given (an agency's type may have changed since the policy).
  if (grant.consentRequired === false) return byDefault && grant.service !== 'verifyCitizen';
  return grant.consentRequired ?? byDefault;
}

/**
 * What a policy may not say for this agency: consent waived on a service that releases data, for
 * an agency that needs consent by law. Only `verifyCitizen` (a yes/no answer, no data) may waive it.
 */
export function policyConsentProblems(policy: Pick<Policy, 'grants'>, type: AgencyType | undefined, stateBudgetFunded: boolean): string[] {
  if (!consentByDefault(type, stateBudgetFunded)) return [];
  return policy.grants
    .filter((g) => g.consentRequired === false && g.service !== 'verifyCitizen' && releasesData(g.service))
    .map((g) => `${g.service}: the data subject's consent cannot be waived for this agency type (NĐ 70/2024 Art. 10(2)); only verifyCitizen may be configured without it`);
}

export const ConsentData = Type.Object(
  {
    service: ServiceCode,
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 60, description: 'Fields of the service (within the policy\'s grant); verifyCitizen: the attributes to be checked' }),
  },
  { additionalProperties: false },
);
export type ConsentData = Static<typeof ConsentData>;

export const ConsentRequestInput = Type.Object(
  {
    personalId: Type.String({ pattern: '^\\d{12}$', description: 'The data subject' }),
    purpose: PurposeCode,
    data: Type.Array(ConsentData, { minItems: 1, maxItems: 20, description: 'Which services and fields, each within the connection\'s policy' }),
    validDays: Type.Integer({ minimum: 1, maximum: MAX_VALID_DAYS, description: `Days the consent holds once approved (at most ${MAX_VALID_DAYS})` }),
  },
  { additionalProperties: false },
);
export type ConsentRequestInput = Static<typeof ConsentRequestInput>;

/** What a request asks beyond the connection's policy (each problem one line). */
export function consentRequestProblems(r: Pick<ConsentRequestInput, 'purpose' | 'data'>, policy: Pick<Policy, 'grants'>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  r.data.forEach((d, i) => {
    if (seen.has(d.service)) out.push(`data/${i}: ${d.service} asked twice`);
    seen.add(d.service);
    const grant = policy.grants.find((g) => g.service === d.service);
    if (!grant) return void out.push(`data/${i}: ${d.service} is not in the connection's policy`);
    if (!grant.purposes.includes(r.purpose)) out.push(`data/${i}: purpose ${r.purpose} is not granted for ${d.service}`);
    for (const f of d.fields) if (!grant.fields.includes(f)) out.push(`data/${i}: ${f} is not a granted field of ${d.service}`);
    if (new Set(d.fields).size !== d.fields.length) out.push(`data/${i}: a field is asked twice`);
  });
  return out;
}

export interface ConsentTimes {
  state: ConsentState;
  /** The citizen answers by then (pending). */
  answerBy: string;
  /** Set once approved: the consent holds until then. */
  validUntil?: string;
}

/** The state in force at `now`: a pending request past its deadline, or an approval past its validity, has expired. */
export function stateAt(c: ConsentTimes, now: string): ConsentState {
  if (c.state === 'pending' && now >= c.answerBy) return 'expired';
  if (c.state === 'approved' && c.validUntil !== undefined && now >= c.validUntil) return 'expired';
  return c.state;
}

export type Transition = { ok: true; to: ConsentState } | { ok: false };

const TRANSITIONS: Readonly<Record<ConsentAction, { from: ConsentState; to: ConsentState }[]>> = {
  approve: [{ from: 'pending', to: 'approved' }],
  refuse: [{ from: 'pending', to: 'refused' }],
  withdraw: [{ from: 'approved', to: 'withdrawn' }],
  expire: [
    { from: 'pending', to: 'expired' },
    { from: 'approved', to: 'expired' },
  ],
};

/** Where an action leads from a state in force (use `stateAt` first: an expired request cannot be approved). */
export function nextState(from: ConsentState, action: ConsentAction): Transition {
  const t = TRANSITIONS[action].find((x) => x.from === from);
  return t ? { ok: true, to: t.to } : { ok: false };
}

export function answerByOf(createdAt: string): string {
  return new Date(Date.parse(createdAt) + ANSWER_DAYS * DAY_MS).toISOString();
}

export function validUntilOf(approvedAt: string, validDays: number): string {
  return new Date(Date.parse(approvedAt) + validDays * DAY_MS).toISOString();
}

/** A consent as a call weighs it. */
export interface HeldConsent extends ConsentTimes {
  consentId: string;
  purpose: string;
  data: readonly ConsentData[];
  createdAt: string;
}

export interface ConsentQuestion {
  service: string;
  purpose: string;
  now: string;
  /** verifyCitizen: the attributes claimed; each must be consented to. Absent: any consented field serves. */
  needsFields?: readonly string[];
}

export type ConsentDecision = { allowed: true; consentId: string; fields: readonly string[] } | { allowed: false; code: ErrorCode };

const REFUSAL_BY_STATE: Readonly<Record<Exclude<ConsentState, 'approved'>, ErrorCode>> = {
  pending: 'SUBJECT_CONSENT_PENDING',
  refused: 'SUBJECT_CONSENT_REFUSED',
  withdrawn: 'SUBJECT_CONSENT_WITHDRAWN',
  expired: 'SUBJECT_CONSENT_EXPIRED',
};

/**
 * Whether the consents one person gave one connection allow a call: an approval in force for the
 * purpose that covers the service (and, for verifyCitizen, every attribute claimed). The newest such
 * approval decides and its fields are the most that may leave. Otherwise the newest request for the
 * purpose names the refusal (the agency sees its own requests' states anyway); none: required.
 */
export function decideConsent(consents: readonly HeldConsent[], q: ConsentQuestion): ConsentDecision {
  const forPurpose = consents.filter((c) => c.purpose === q.purpose).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const c of forPurpose) {
    if (stateAt(c, q.now) !== 'approved') continue;
    const d = c.data.find((x) => x.service === q.service);
    if (!d) continue;
    if (q.needsFields && !q.needsFields.every((f) => d.fields.includes(f))) continue;
    return { allowed: true, consentId: c.consentId, fields: d.fields };
  }
  const newest = forPurpose.find((c) => c.data.some((x) => x.service === q.service));
  if (!newest) return { allowed: false, code: 'SUBJECT_CONSENT_REQUIRED' };
  const state = stateAt(newest, q.now);
  // An approval in force that does not cover what is asked is no consent to it.
  return { allowed: false, code: state === 'approved' ? 'SUBJECT_CONSENT_REQUIRED' : REFUSAL_BY_STATE[state] };
}

/** Consent codes for SMS: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L). */
export const CONSENT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CONSENT_CODE = /^[2-9A-HJKMNP-Z]{8}$/;

/** A consent code from random bytes (one byte per character; the caller gives at least 8). */
export function consentCodeOf(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += CONSENT_CODE_ALPHABET[bytes[i]! % CONSENT_CODE_ALPHABET.length];
  return out;
}
