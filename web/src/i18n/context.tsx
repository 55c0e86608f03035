/** The language of the page: Vietnamese unless the person switched, remembered in localStorage. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Problem } from '../api/problem.js';
import { initialLang, LANG_STORAGE_KEY, problemText, translate, type Lang, type Messages, type Params } from './messages.js';
import { PROBLEM_TEXTS } from './problems.js';

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}

const LangContext = createContext<LangState>({ lang: 'vi', setLang: () => undefined });

function remembered(): string | null {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    return null; // storage blocked: Vietnamese, not remembered
  }
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(remembered()));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // not remembered; still switched
    }
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** `t(key, params)` over one dictionary, in the page's language. */
export function useT<K extends string>(messages: Messages<K>): (key: K, params?: Params) => string {
  const { lang } = useLang();
  return useCallback((key: K, params?: Params) => translate(messages, lang, key, params), [messages, lang]);
}

/** The text for a problem in the page's language. */
export function useProblemText(): (problem: Problem) => string {
  const { lang } = useLang();
  return useCallback((problem: Problem) => problemText(problem, lang, PROBLEM_TEXTS), [lang]);
}
