/**
 * Typed dictionaries: each area of the portal defines its own (so its strings load with its chunk),
 * Vietnamese first and English with exactly the same keys — the compiler refuses a missing one.
 * Pure: the React side (i18n/context.tsx) only picks the language.
 */
import type { Problem } from '../api/problem.js';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export interface Messages<K extends string> {
  readonly vi: Readonly<Record<K, string>>;
  readonly en: Readonly<Record<K, string>>;
}

/** A dictionary: the English must name every Vietnamese key, and no other. */
export function defineMessages<K extends string>(vi: Record<K, string>, en: NoInfer<Record<K, string>>): Messages<K> {
  return { vi, en };
}

type KeyOf<M> = M extends Messages<infer K> ? K : never;

/**
 * An area's dictionary from its parts (each page's strings in a module of their own), so its pages
 * still import one. A key in two parts would let one text hide the other: refused.
 */
export function mergeMessages<P extends readonly Messages<string>[]>(...parts: P): Messages<KeyOf<P[number]>> {
  const vi: Record<string, string> = {};
  const en: Record<string, string> = {};
  for (const part of parts) {
    for (const [key, text] of Object.entries(part.vi)) {
      if (Object.hasOwn(vi, key)) throw new Error(`The message key ${key} is defined twice`);
      vi[key] = text;
      en[key] = part.en[key] ?? '';
    }
  }
  return { vi, en } as Messages<KeyOf<P[number]>>;
}

export type Params = Readonly<Record<string, string | number>>;

/** `{name}` in a message replaced by its parameter; an unknown placeholder stays as written. */
export function interpolate(text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** A message in the language asked, else in Vietnamese, else its key (never an empty text). */
export function translate<K extends string>(messages: Messages<K>, lang: Lang, key: K, params?: Params): string {
  const text = messages[lang][key] || messages.vi[key] || key;
  return interpolate(text, params);
}

export type ProblemTexts = Readonly<Record<string, { vi: string; en: string }>>;

/**
 * What to tell a person about a problem: the portal's own wording for its code when it has one,
 * else the server's message in their language, else the server's title.
 */
export function problemText(problem: Problem, lang: Lang, texts: ProblemTexts): string {
  const own = Object.hasOwn(texts, problem.code) ? texts[problem.code] : undefined;
  if (own) return own[lang];
  return problem.messages?.[lang] || problem.title;
}

export const LANG_STORAGE_KEY = 'dancu.lang';

/** The language to start in: the one remembered, else Vietnamese (the service's language). */
export function initialLang(remembered: string | null | undefined): Lang {
  return remembered === 'en' ? 'en' : 'vi';
}
