/**
 * Reads an incoming SMS as a command of the published syntax (help.ts). Diacritics, case, spaces,
 * punctuation and invisible characters do not matter: the text is folded as the rest of dancu folds
 * names (domain/text), then compared with every form with its spaces removed, so "Cư trú", "CU TRU",
 * "cutru" and "CU-TRU" are one command. Anything else is `recognised: false` (answered with the
 * help). Pure.
 */
import { foldKey, normalizeText } from '../text/normalize.js';
import { SERVICE_PREFIXES, SMS_KEYWORDS, UNACCENTED_FORMS, type SmsCommandName } from './help.js';

export interface SmsCommand {
  command: SmsCommandName;
  /** The citizen asked for the reply without diacritics (GSM-7). */
  unaccented: boolean;
  /** False when the text matched no form: the help is the answer. */
  recognised: boolean;
}

/** Letters and digits only (and "?", itself a form of help), lower case, no diacritics, no spaces. */
export function compactForm(text: string): string {
  return foldKey(normalizeText(text)).replace(/[^a-z0-9?]+/g, '');
}

const BY_FORM: ReadonlyMap<string, SmsCommandName> = new Map(SMS_KEYWORDS.flatMap((k) => k.forms.map((f) => [compactForm(f), k.command] as const)));
const SUFFIXES = UNACCENTED_FORMS.map(compactForm);
const PREFIXES = SERVICE_PREFIXES.map(compactForm);

export function parseSmsCommand(text: string): SmsCommand {
  let key = compactForm(text);
  const prefix = PREFIXES.find((p) => key.startsWith(p));
  if (prefix !== undefined) key = key.slice(prefix.length);
  let unaccented = false;
  const suffix = SUFFIXES.find((s) => key.endsWith(s) && (key.length === s.length || BY_FORM.has(key.slice(0, -s.length))));
  if (suffix !== undefined) {
    key = key.slice(0, -suffix.length);
    unaccented = true;
  }
  // An empty message, or the service keyword alone, asks for the help.
  if (key === '') return { command: 'help', unaccented, recognised: true };
  const command = BY_FORM.get(key);
  return command === undefined ? { command: 'help', unaccented, recognised: false } : { command, unaccented, recognised: true };
}
