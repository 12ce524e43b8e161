import type { HTMLAttributes, Key, ReactNode } from 'react';
import { Loading, Pager } from './common';

export interface Column<T> {
  header: ReactNode;
  cell(row: T): ReactNode;
  /** The cell's class (`name`, `message`: how the stylesheet lays out long text). */
  className?: string;
}

/** An offset page as the list endpoints answer it, and where the pager sends the next offset. */
interface OffsetPage {
  total: number;
  limit: number;
  offset: number;
  label: string;
  onChange(offset: number): void;
}

/** A cursor-paged list's "more" button: present only while the API has a next cursor. */
interface MorePage {
  label: string;
  onMore(): void;
  disabled?: boolean;
}

interface Props<T> {
  /** The rows; `undefined` until the first answer, when the table shows `loading` instead (unless there is an error). */
  rows: readonly T[] | undefined;
  columns: Column<T>[];
  rowKey(row: T, index: number): Key;
  /** What is loading, for "Loading platform instances…". */
  loading?: string;
  /** Set while a newer answer is on its way, so the rows shown are marked stale for assistive technology. */
  busy?: boolean;
  /** The list's error: shown by the page, and it stops the loading state. */
  error?: unknown;
  /** What an empty answer shows; without it an empty list still shows the table's headers. */
  empty?: ReactNode;
  caption?: string;
  /** A column of buttons for each row (edit, revoke, delete…), after the data columns. */
  actions?(row: T): ReactNode;
  /** The actions column's header; visually hidden unless `showActionsHeader`. */
  showActionsHeader?: boolean;
  rowProps?(row: T): HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>;
  /** Wide tables scroll sideways inside their own box rather than widening the page. */
  scroll?: boolean;
  page?: OffsetPage;
  more?: MorePage;
}

/**
 * A resource list as every console page shows one: a loading state before the first answer, an empty state, the table
 * with its row actions, and the pager (offset pages) or a "more" button (cursor pages).
 */
export function ResourceTable<T>({
  rows,
  columns,
  rowKey,
  loading,
  busy,
  error,
  empty,
  caption,
  actions,
  showActionsHeader,
  rowProps,
  scroll,
  page,
  more,
}: Props<T>) {
  let body: ReactNode = null;
  if (!rows) body = !error && loading ? <Loading what={loading} /> : null;
  else if (rows.length === 0 && empty !== undefined) body = empty;
  else {
    const table = (
      <table aria-busy={busy}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th scope="col" key={index}>
                {column.header}
              </th>
            ))}
            {actions && <th scope="col">{showActionsHeader ? 'Actions' : <span className="visually-hidden">Actions</span>}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)} {...rowProps?.(row)}>
              {columns.map((column, at) => (
                <td key={at} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
              {actions && <td className="actions">{actions(row)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    );
    body = scroll ? <div className="table-scroll">{table}</div> : table;
  }
  return (
    <>
      {body}
      {page && <Pager label={page.label} total={page.total} limit={page.limit} offset={page.offset} onChange={page.onChange} />}
      {more && (
        <button type="button" onClick={more.onMore} disabled={more.disabled}>
          {more.label}
        </button>
      )}
    </>
  );
}
