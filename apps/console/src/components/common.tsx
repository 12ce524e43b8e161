import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Pager({
  total,
  limit,
  offset,
  onChange,
  label,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange(offset: number): void;
  label: string;
}) {
  if (total <= limit && offset === 0)
    return (
      <p className="pager-summary">
        {total} {total === 1 ? 'item' : 'items'}
      </p>
    );
  const from = total ? offset + 1 : 0;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={() => onChange(Math.max(0, offset - limit))} disabled={offset === 0}>
        Previous
      </button>
      <span aria-live="polite">
        {from}–{to} of {total}
      </span>
      <button type="button" onClick={() => onChange(offset + limit)} disabled={offset + limit >= total}>
        Next
      </button>
    </nav>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <h3>{title}</h3>
      <div>{children}</div>
    </div>
  );
}

/** What a page shows when the server answers 404 for a whole API: the feature is not on this server yet. */
export function NotAvailable({ feature, api }: { feature: string; api: string }) {
  return (
    <div className="not-available" role="status">
      <h3>{feature} is not available on this server</h3>
      <p>
        The gateway answered 404 for <code>{api}</code>. This Tessera server does not have that API yet; upgrade it to use this page.
      </p>
    </div>
  );
}

/** What a list shows before its first answer, rather than nothing at all. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

export function isNotAvailable(error: unknown): boolean {
  return error instanceof ApiError && error.notAvailable;
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  return (
    <button type="button" className="copy" onClick={() => void copy()} aria-label={label}>
      {copied ? 'Copied' : 'Copy'}
      <span className="visually-hidden" aria-live="polite">
        {copied ? `${label}: copied to the clipboard` : ''}
      </span>
    </button>
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "in 5 minutes", "3 hours ago": expiry and last-refresh times at a glance, the exact time on hover. */
function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms || unit === 'second') return relative.format(Math.round(diff / ms), unit);
  return iso;
}

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso)}
    </time>
  );
}

export function StateBadge({ state }: { state: string | null | undefined }) {
  if (!state) return <span className="badge">—</span>;
  return <span className={`badge state-${state}`}>{state.replace(/_/g, ' ')}</span>;
}
