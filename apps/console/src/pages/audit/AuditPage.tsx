import { useEffect, useState } from 'react';
import type { ListAuditQuery } from '@tessera/contracts';
import type { AuditEntryView } from '../../api/types';
import { ErrorBanner, Time } from '../../components/common';
import { TextField } from '../../components/forms';
import { ResourceTable } from '../../components/ResourceTable';
import { useForm } from '../../components/useForm';
import { useSession } from '../../session';

interface Filters {
  actor: string;
  action: string;
  target: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { actor: '', action: '', target: '', from: '', to: '' };

/** A datetime-local value (the browser's local time) as the ISO instant the API filters on. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
const shown = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

function Changes({ changes }: { changes?: AuditEntryView['changes'] }) {
  if (!changes) return null;
  return (
    <ul className="changes">
      {Object.entries(changes).map(([field, { before, after }]) => (
        <li key={field}>
          <code>{field}</code>: {shown(before)} → {shown(after)}
        </li>
      ))}
    </ul>
  );
}

/** The audit log: who did what, from where, with before and after; filters as GET /admin/audit takes them. */
export function AuditPage() {
  const { api } = useSession();
  const { values: filters, bind } = useForm<Filters>(EMPTY);
  const [entries, setEntries] = useState<AuditEntryView[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const query = (): ListAuditQuery => ({
    actor: filters.actor,
    action: filters.action,
    target: filters.target,
    from: instant(filters.from),
    to: instant(filters.to),
  });

  const load = async (after?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await api.get('/admin/audit', { query: { ...query(), limit: 50, cursor: after } });
      setEntries((current) => (after ? [...(current ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // The newest entries as the page opens; the filters apply when the form is submitted.
  useEffect(() => {
    void load();
  }, [api]);

  const exportNdjson = async () => {
    try {
      const response = await api.stream('/admin/audit/export', query(), new AbortController().signal);
      if (!response.ok) throw new Error(`Export failed (${response.status})`);
      const url = URL.createObjectURL(new Blob([await response.text()], { type: 'application/x-ndjson' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = 'tessera-audit.ndjson';
      link.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form
        className="filters"
        aria-label="Audit filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <TextField {...bind('actor')} label="Actor" hint="A username or an integration's client id" />
        <TextField {...bind('action')} label="Action" hint="e.g. integration.update, or integration. for all of them" />
        <TextField {...bind('target')} label="Target" hint="A name, an id, or a kind (integration)" />
        <TextField {...bind('from')} label="From" type="datetime-local" />
        <TextField {...bind('to')} label="To" type="datetime-local" />
        <button type="submit" className="primary" disabled={busy}>
          Apply
        </button>{' '}
        <button type="button" onClick={() => void exportNdjson()}>
          Export NDJSON
        </button>
      </form>
      <ErrorBanner error={error} />
      <ResourceTable
        rows={entries}
        error={error}
        loading="the audit log"
        rowKey={(entry) => entry.id}
        rowProps={(entry) => ({ className: entry.outcome === 'failure' ? 'failure' : undefined })}
        columns={[
          { header: 'When', cell: (entry) => <Time iso={entry.occurredAt} /> },
          { header: 'Actor', cell: (entry) => (entry.actor ? `${entry.actor.name ?? entry.actor.id} (${entry.actor.type})` : '—') },
          {
            header: 'Action',
            cell: (entry) => (
              <>
                <code>{entry.action}</code>
                {entry.outcome === 'failure' ? ' — failed' : ''}
              </>
            ),
          },
          { header: 'Target', cell: (entry) => `${entry.target.type} ${entry.target.name ?? entry.target.id ?? ''}` },
          { header: 'Changes', cell: (entry) => <Changes changes={entry.changes} /> },
          {
            header: 'From',
            cell: (entry) => (
              <>
                {entry.address ?? '—'}
                {entry.requestId ? (
                  <>
                    <br />
                    <small>{entry.requestId}</small>
                  </>
                ) : null}
              </>
            ),
          },
        ]}
        empty={<p role="status">No entries match.</p>}
        more={cursor ? { label: 'Load more', onMore: () => void load(cursor), disabled: busy } : undefined}
      />
    </section>
  );
}
