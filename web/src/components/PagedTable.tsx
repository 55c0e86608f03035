/**
 * A long list, a page at a time: a table on a desktop that stacks into labelled rows on a phone
 * (styles.css), with previous/next. Give it all the rows (client paging) or a server page and its
 * cursor handlers (server paging).
 */
import { useState, type ReactNode } from 'react';
import { common } from '../i18n/common.js';
import { useT } from '../i18n/context.js';
import { Button } from './Button.js';
import { Empty } from './States.js';

export interface Column<Row> {
  key: string;
  header: string;
  cell(row: Row): ReactNode;
}

export interface PagedTableProps<Row> {
  caption: string;
  columns: ReadonlyArray<Column<Row>>;
  rows: readonly Row[];
  rowKey(row: Row): string;
  /** Client paging: rows per page (default 20). Ignored when `server` is given. */
  pageSize?: number;
  /** Server paging: the rows are one page; these move between pages. */
  server?: { page: number; onPrevious?: (() => void) | undefined; onNext?: (() => void) | undefined };
  empty?: ReactNode;
}

export function PagedTable<Row>({ caption, columns, rows, rowKey, pageSize = 20, server, empty }: PagedTableProps<Row>) {
  const t = useT(common);
  const [page, setPage] = useState(1);
  if (rows.length === 0 && !server?.onPrevious) return <Empty>{empty}</Empty>;
  const pages = server ? undefined : Math.max(1, Math.ceil(rows.length / pageSize));
  const shown = server ? rows : rows.slice((page - 1) * pageSize, page * pageSize);
  const current = server ? server.page : page;
  const previous = server ? server.onPrevious : page > 1 ? () => setPage(page - 1) : undefined;
  const next = server ? server.onNext : pages !== undefined && page < pages ? () => setPage(page + 1) : undefined;
  return (
    <div className="paged">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} data-label={c.header}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {previous || next ? (
        <nav className="pager" aria-label={caption}>
          <Button variant="secondary" onClick={previous} disabled={!previous}>
            {t('list.previous')}
          </Button>
          <span>{t('list.page', { page: current })}</span>
          <Button variant="secondary" onClick={next} disabled={!next}>
            {t('list.next')}
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
