import type { SsfStreamAdminView } from '../../api/types';
import { EmptyState, ErrorBanner, isNotAvailable, NotAvailable, StateBadge, Time } from '../../components/common';
import { ResourceTable } from '../../components/ResourceTable';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';

/** The event types' last path segment (`session-revoked`): the full URIs are the specification's and long. */
const shortType = (type: string) => type.slice(type.lastIndexOf('/') + 1);

/** Shared Signals streams (read-only): which receivers listen, how, and whether their SETs get through. */
export function SsfStreamsPage() {
  const { api } = useSession();
  const { data, error, loading, reload } = useLoad(() => api.get('/admin/ssf/streams'), [api]);
  if (isNotAvailable(error))
    return (
      <>
        <h1>Shared Signals</h1>
        <NotAvailable feature="The authorization server" api="/admin/ssf/streams" />
      </>
    );
  return (
    <>
      <div className="page-header">
        <h1>Shared Signals</h1>
        <div className="actions">
          <button type="button" onClick={reload} disabled={loading}>
            Refresh
          </button>
        </div>
      </div>
      <p>
        Streams that receivers (integrations holding <code>*:ssf=receive</code>) opened to hear of revocations and credential changes as signed Security Event
        Tokens. Receivers manage their own streams; this view is read-only.
      </p>
      <ErrorBanner error={error} />
      <ResourceTable
        rows={data?.items}
        error={error}
        busy={loading && data !== undefined}
        loading="SSF streams"
        caption="SSF streams"
        scroll
        rowKey={(stream) => stream.streamId}
        columns={[
          {
            header: 'Receiver',
            cell: (stream) => (
              <>
                <code>{stream.receiver}</code>
                {stream.description && <div className="hint">{stream.description}</div>}
              </>
            ),
          },
          { header: 'Delivery', cell: (stream) => <Delivery stream={stream} /> },
          {
            header: 'Status',
            cell: (stream) => (
              <>
                <StateBadge state={stream.status} />
                {stream.statusReason && <div className="hint">{stream.statusReason}</div>}
              </>
            ),
          },
          { header: 'Events', cell: (stream) => <Events stream={stream} /> },
          { header: 'Subjects', cell: (stream) => stream.subjects },
          { header: 'SETs waiting', cell: (stream) => <Waiting stream={stream} /> },
          { header: 'Created', cell: (stream) => <Time iso={stream.createdAt} /> },
        ]}
        empty={
          <EmptyState title="No SSF streams yet">
            A receiver opens one with <code>POST /ssf/streams</code>, using a token of an integration holding <code>*:ssf=receive</code>.
          </EmptyState>
        }
      />
    </>
  );
}

function Delivery({ stream }: { stream: SsfStreamAdminView }) {
  if (stream.deliveryMethod === 'poll') return <>poll</>;
  return (
    <>
      push to <code className="truncate">{stream.endpointUrl}</code>
      {stream.lastPushError && <div className="hint">Last failure: {stream.lastPushError}</div>}
    </>
  );
}

function Events({ stream }: { stream: SsfStreamAdminView }) {
  const ignored = stream.eventsRequested.filter((type) => !stream.eventsDelivered.includes(type));
  return (
    <>
      {stream.eventsDelivered.map(shortType).join(', ') || '—'}
      {ignored.length > 0 && <div className="hint">Requested, not supported: {ignored.map(shortType).join(', ')}</div>}
    </>
  );
}

function Waiting({ stream }: { stream: SsfStreamAdminView }) {
  if (!stream.pendingSets) return <>0</>;
  return (
    <>
      {stream.pendingSets}
      <div className="hint">
        oldest <Time iso={stream.oldestPendingAt} />
      </div>
    </>
  );
}
