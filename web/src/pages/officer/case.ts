/**
 * The counter case (pure): an officer serving one person for one procedure. The purpose — the
 * procedure at hand, from a list, with free text — is asked once when the case opens and sent as
 * X-Purpose with every request of that case (src/http/recording.ts records it with each use); a new
 * case forgets it and the person, so the next citizen's case asks again. Never per click.
 */

/** The procedures an officer serves at the counter, as the purpose recorded with each use. */
export const PURPOSE_CODES = [
  'CARD_VERIFICATION',
  'CITIZEN_INFORMATION',
  'LEGACY_ID_CONFIRMATION',
  'HOUSEHOLD_HEAD_CONFIRMATION',
  'RESIDENCE_REGISTRATION',
  'BIRTH_REGISTRATION',
  'CARD_ISSUE',
  'WRITTEN_REQUEST',
  'EID_LEVEL2',
  'OTHER',
] as const;
export type PurposeCode = (typeof PURPOSE_CODES)[number];

/** The server keeps at most this many characters of a purpose (recording.ts MAX_PURPOSE). */
export const MAX_PURPOSE = 200;

export interface CounterCase {
  /** Increases with every case opened, so a page can tell a new case from the old one. */
  readonly id: number;
  /** The purpose as recorded (plain text), once the officer has given it. */
  readonly purpose?: string;
  /** The procedure chosen, for showing its name. */
  readonly code?: PurposeCode;
  /** The person the case is about, once found (kept in memory only, never in the URL). */
  readonly personalId?: string;
}

export type CaseAction = { type: 'purpose'; code: PurposeCode; detail: string } | { type: 'person'; personalId: string | undefined } | { type: 'new' };

export const NO_CASE: CounterCase = { id: 0 };

/**
 * The purpose text for a code and what the officer wrote: "CODE" or "CODE: detail", control
 * characters and runs of white space folded, within the server's limit. OTHER needs a detail
 * (undefined without one): a bare "other" says nothing about why.
 */
export function purposeText(code: PurposeCode, detail: string): string | undefined {
  if (!(PURPOSE_CODES as readonly string[]).includes(code)) return undefined;
  const tidy = detail.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (code === 'OTHER' && tidy === '') return undefined;
  const text = tidy === '' ? code : `${code}: ${tidy}`;
  return text.slice(0, MAX_PURPOSE).trim();
}

export function caseReducer(state: CounterCase, action: CaseAction): CounterCase {
  switch (action.type) {
    case 'purpose': {
      const purpose = purposeText(action.code, action.detail);
      if (purpose === undefined) return state;
      return { id: state.id + 1, purpose, code: action.code };
    }
    case 'person':
      if (state.purpose === undefined) return state; // no person without a case
      if (action.personalId === undefined) {
        const { personalId: _dropped, ...rest } = state;
        return rest;
      }
      return { ...state, personalId: action.personalId };
    case 'new':
      return { id: state.id + 1 };
  }
}

/** The X-Purpose header value of a case's purpose: the one rule of the API client (api/purpose.ts). */
export { purposeHeader } from '../../api/purpose.js';
