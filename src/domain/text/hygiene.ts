/**
 * The rule for characters that enter the registry (decision 0021), applied to every string of every
 * request before validation:
 *   - refused: control characters other than tab, line feed and carriage return (C0, DEL, C1),
 *     lone surrogates, Unicode noncharacters, and bidirectional formatting controls (U+202A–U+202E,
 *     U+2066–U+2069, U+200E, U+200F, U+061C): they change what a reader sees without being text;
 *   - removed: every other default-ignorable code point (zero-width space and joiners, soft hyphen,
 *     word joiner, byte-order mark, variation selectors, …): invisible, so a name typed with them
 *     and the same name typed without them must be one string, found by the same search
 *     (normalizeText in normalize.ts removes them).
 * Names of people additionally keep to one script (nameScriptProblem).
 */

export type TextProblem = { kind: 'control' | 'surrogate' | 'noncharacter' | 'bidi'; codePoint: number };

// Tab, LF and CR are white space that normalisation folds; every other Cc character is refused.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
// With the u flag, a surrogate class matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const NONCHARACTER = /[\uFDD0-\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/u;

/** The first character of `s` the rule refuses, or undefined when the string may enter. */
export function textProblem(s: string): TextProblem | undefined {
  if (LONE_SURROGATE.test(s)) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
        else return { kind: 'surrogate', codePoint: c };
      } else if (c >= 0xdc00 && c <= 0xdfff) return { kind: 'surrogate', codePoint: c };
    }
  }
  const found = (re: RegExp, kind: TextProblem['kind']): TextProblem | undefined => {
    const m = re.exec(s);
    return m ? { kind, codePoint: m[0].codePointAt(0)! } : undefined;
  };
  return found(CONTROL, 'control') ?? found(BIDI, 'bidi') ?? found(NONCHARACTER, 'noncharacter');
}

/** U+0000-style notation for error details: names a character without repeating the text around it. */
export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Han', 'Hangul', 'Hiragana', 'Katakana', 'Thai', 'Lao', 'Khmer', 'Arabic', 'Hebrew', 'Devanagari', 'Armenian', 'Georgian'] as const;
const SCRIPT_RE = new Map(SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')]));
const KANA_OR_HAN = new Set(['Han', 'Hiragana', 'Katakana']);

function scriptOf(letter: string): string {
  for (const [name, re] of SCRIPT_RE) if (re.test(letter)) return name;
  return 'Other';
}

/**
 * Why a person's name is not acceptable, or undefined. A Vietnamese name (`vietnamese`: the
 * registry's own citizens) is written in Latin letters only; a foreign relative's name may use
 * another script, but one script throughout (Japanese kana with kanji counts as one). Either way a
 * Cyrillic "о" inside "Nguyễn Văn Hоà" is refused: it looks the same and is never found by search.
 */
export function nameScriptProblem(name: string, vietnamese: boolean): { script: string; codePoint: number } | undefined {
  let first: string | undefined;
  for (const ch of name) {
    if (!/\p{L}/u.test(ch)) continue;
    let script = scriptOf(ch);
    if (KANA_OR_HAN.has(script)) script = 'Han';
    if (vietnamese && script !== 'Latin') return { script, codePoint: ch.codePointAt(0)! };
    if (first === undefined) first = script;
    else if (script !== first) return { script, codePoint: ch.codePointAt(0)! };
  }
  return undefined;
}
