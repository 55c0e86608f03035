/**
 * Server paging by cursor, forwards and back: the cursors of the pages before this one are kept so
 * "previous" returns to exactly the page seen. Pure (test/web); the citizen's and the counter's lists hold it in useState.
 */
export interface CursorPages {
  /** The cursor of the page shown (none: the first page). */
  cursor?: string;
  /** The cursors of the earlier pages, oldest first ('' for the first page). */
  before: readonly string[];
}

export const FIRST_PAGE: CursorPages = { before: [] };

/** The page number shown, from 1. */
export const pageNumber = (p: CursorPages) => p.before.length + 1;

export function nextPage(p: CursorPages, nextCursor: string): CursorPages {
  return { cursor: nextCursor, before: [...p.before, p.cursor ?? ''] };
}

export function previousPage(p: CursorPages): CursorPages {
  if (p.before.length === 0) return p;
  const cursor = p.before[p.before.length - 1]!;
  return { ...(cursor ? { cursor } : {}), before: p.before.slice(0, -1) };
}
