import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { EmptyState } from './common';
import { ResourceTable, type Column } from './ResourceTable';

interface Row {
  id: string;
  name: string;
}
const columns: Column<Row>[] = [
  { header: 'Name', cell: (row) => row.name, className: 'name' },
  { header: 'ID', cell: (row) => <code>{row.id}</code> },
];
const rows: Row[] = [
  { id: 'a1', name: 'acme' },
  { id: 'b2', name: 'globex' },
];
const empty = <EmptyState title="Nothing yet">Create one.</EmptyState>;

describe('ResourceTable', () => {
  it('shows the loading state until the first answer, and nothing of it once the list failed', () => {
    const { rerender } = render(<ResourceTable rows={undefined} columns={columns} rowKey={(r) => r.id} loading="widgets" empty={empty} />);
    expect(screen.getByRole('status').textContent).toBe('Loading widgets…');
    expect(screen.queryByRole('table')).toBeNull();
    rerender(<ResourceTable rows={undefined} error={new Error('down')} columns={columns} rowKey={(r) => r.id} loading="widgets" empty={empty} />);
    expect(screen.queryByText('Loading widgets…')).toBeNull();
  });

  it('shows the empty state for an empty answer, or the bare headers when the page gives none', () => {
    const { rerender } = render(<ResourceTable rows={[]} columns={columns} rowKey={(r) => r.id} empty={empty} />);
    expect(screen.getByRole('heading', { name: 'Nothing yet' })).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    rerender(<ResourceTable rows={[]} columns={columns} rowKey={(r) => r.id} />);
    expect(screen.getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Name', 'ID']);
    expect(screen.queryByText('Nothing yet')).toBeNull();
  });

  it('renders one row per item with its cells, row attributes and actions', () => {
    const remove = vi.fn();
    render(
      <ResourceTable
        rows={rows}
        columns={columns}
        rowKey={(r) => r.id}
        caption="Widgets"
        rowProps={(r) => ({ 'data-testid': 'widget', 'data-name': r.name })}
        actions={(r) => (
          <button type="button" onClick={() => remove(r.id)}>
            Delete {r.name}
          </button>
        )}
        empty={empty}
      />,
    );
    const table = screen.getByRole('table', { name: 'Widgets' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Name', 'ID', 'Actions']);
    const widgets = screen.getAllByTestId('widget');
    expect(widgets.map((tr) => tr.getAttribute('data-name'))).toEqual(['acme', 'globex']);
    expect(within(widgets[1]).getAllByRole('cell')[0].className).toBe('name');
    expect(within(widgets[1]).getAllByRole('cell')[2].className).toBe('actions');
    fireEvent.click(screen.getByRole('button', { name: 'Delete globex' }));
    expect(remove).toHaveBeenCalledWith('b2');
  });

  it('pages by offset with the pager, or by cursor with a "more" button', () => {
    const onChange = vi.fn();
    const { rerender } = render(
      <ResourceTable rows={rows} columns={columns} rowKey={(r) => r.id} page={{ total: 45, limit: 20, offset: 20, label: 'Widgets', onChange }} />,
    );
    expect(screen.getByRole('navigation', { name: 'Widgets pages' }).textContent).toContain('21–40 of 45');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(onChange).toHaveBeenCalledWith(40);
    const onMore = vi.fn();
    rerender(<ResourceTable rows={rows} columns={columns} rowKey={(r) => r.id} more={{ label: 'Show more', onMore }} />);
    expect(screen.queryByRole('navigation')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(onMore).toHaveBeenCalledTimes(1);
  });
});
