import { useEffect, useState } from 'react';
import { EmptyState, NotAvailable, Time } from '../../components/common';
import { EventsChart } from './EventsChart';
import { minuteBuckets } from './minute-buckets';
import { useEventStream } from './useEventStream';

const STATUS_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Connection lost: reconnecting…', unavailable: 'Not available' };
const SHOWN = 100;

/** What happened, in a line: an audit line as who did what to which thing; other events by their telling fields. */
function summary(type: string, data: Record<string, unknown>): string {
  if (type.endsWith('.audit.recorded')) {
    const target = (data.target ?? {}) as { type?: string; name?: string; id?: string };
    const actor = data.actor as { name?: string; type?: string } | null | undefined;
    return [
      `${String(data.action ?? 'change')}${data.outcome === 'failure' ? ' (failed)' : ''}`,
      target.type ? `${target.type.replace(/_/g, ' ')} ${target.name ?? target.id ?? ''}`.trim() : '',
      actor ? `by ${actor.name ?? actor.type}` : 'by the platform',
    ]
      .filter(Boolean)
      .join(' · ');
  }
  const keys = ['name', 'clientId', 'grantType', 'reason', 'change', 'baseUrl', 'error', 'scope'];
  return keys
    .filter((k) => data[k] !== undefined && data[k] !== null && data[k] !== '')
    .map((k) => `${k}: ${String(data[k])}`)
    .join(' · ');
}

export function ActivityPage() {
  const { events, status } = useEventStream();
  const [type, setType] = useState('');
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  if (status === 'unavailable')
    return (
      <>
        <h1>Activity</h1>
        <NotAvailable feature="The live event stream" api="/admin/events/stream" />
      </>
    );
  const types = [...new Set(events.map((e) => e.type))].sort();
  const shown = events.filter((e) => !type || e.type === type).slice(0, SHOWN);
  return (
    <>
      <div className="page-header">
        <h1>Activity</h1>
        <span className={`badge stream-${status}`} role="status" aria-live="polite">
          {STATUS_TEXT[status]}
        </span>
      </div>
      <EventsChart buckets={minuteBuckets(events, Math.max(now, Date.now()))} />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter events">
        <label htmlFor="event-type">Event type</label>
        <select id="event-type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t.replace(/^tessera\.events\./, '')}
            </option>
          ))}
        </select>
      </form>
      {shown.length === 0 ? (
        <EmptyState title="No events in the last hour">
          Events appear here as they happen: create an integration, get a token with it, or register an instance.
        </EmptyState>
      ) : (
        <ol className="feed" aria-label="Events, newest first" aria-live="polite" aria-relevant="additions">
          {shown.map((event) => (
            <li key={event.id} data-testid="event" data-type={event.type}>
              <Time iso={event.occurredAt} /> <strong>{event.type.replace(/^tessera\.events\./, '')}</strong>{' '}
              <span className="hint">{summary(event.type, (event.data ?? {}) as Record<string, unknown>)}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
