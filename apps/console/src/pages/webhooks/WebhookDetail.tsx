import type { WebhookView, WebhookWithSecret } from '../../api/types';
import { ErrorBanner, StateBadge, Time } from '../../components/common';
import { Checkbox, FormError, TextField } from '../../components/forms';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/useAction';
import { useForm } from '../../components/useForm';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { eventTypeList } from './WebhooksPage';

/** One endpoint: its settings, its signing secret's rotation, and its delivery log with retry, recover and test. */
export function WebhookDetail({ endpoint, onBack, onRotated }: { endpoint: WebhookView; onBack(): void; onRotated(rotated: WebhookWithSecret): void }) {
  const { api } = useSession();
  const params = { id: endpoint.id };
  const { data, error, reload } = useLoad(() => api.get('/admin/webhooks/:id/messages', { params, query: { limit: 50 } }), [api, endpoint.id]);
  const action = useAction(reload);
  const settings = useForm(
    { url: endpoint.url, eventTypes: endpoint.eventTypes.join(', '), description: endpoint.description ?? '', enabled: endpoint.enabled },
    async ({ url, eventTypes, description, enabled }) => {
      await api.patch('/admin/webhooks/:id', { params, body: { url, eventTypes: eventTypeList(eventTypes), description, enabled } });
      onBack();
    },
  );
  const recover = useForm({ since: new Date(Date.now() - 86_400_000).toISOString() }, async ({ since }) => {
    await api.post('/admin/webhooks/:id/recover', { params, body: { since } });
    reload();
  });
  const rotate = () => action.run(async () => onRotated(await api.post('/admin/webhooks/:id/secret', { params, body: {} })));
  return (
    <>
      <div className="page-header">
        <h1>Webhook endpoint</h1>
        <div className="actions">
          <button type="button" onClick={() => void action.run(() => api.post('/admin/webhooks/:id/test', { params }))}>
            Send test message
          </button>
          <button type="button" onClick={() => void rotate()}>
            Rotate secret
          </button>
          <button type="button" onClick={onBack}>
            Back
          </button>
        </div>
      </div>
      <p>
        <StateBadge state={endpoint.enabled ? 'enabled' : `disabled (${endpoint.disabledReason ?? 'manual'})`} />
        {endpoint.failingSince && (
          <>
            {' '}
            failing since <Time iso={endpoint.failingSince} />
          </>
        )}
        {endpoint.publicKey && (
          <>
            {' '}
            Ed25519 public key <code>{endpoint.publicKey}</code>
          </>
        )}
        {endpoint.previousSecretUntil && (
          <>
            {' '}
            previous secret signs until <Time iso={endpoint.previousSecretUntil} />
          </>
        )}
      </p>
      <ErrorBanner error={action.error ?? error} />
      <form className="panel" onSubmit={(e) => void settings.submit(e)} noValidate aria-label="Webhook endpoint settings">
        <FormError error={settings.error} shownFields={['url', 'eventTypes', 'description']} />
        <TextField {...settings.bind('url')} label="URL" />
        <TextField {...settings.bind('eventTypes')} label="Event types" />
        <TextField {...settings.bind('description')} label="Description" />
        <Checkbox {...settings.check('enabled')} label="Enabled" hint="Turning it back on starts a fresh failing streak." />
        <button type="submit" className="primary" disabled={settings.busy}>
          Save
        </button>
      </form>
      <h2>Messages</h2>
      <form className="panel" onSubmit={(e) => void recover.submit(e)} noValidate aria-label="Recover failed messages">
        <FormError error={recover.error} shownFields={['since']} />
        <TextField {...recover.bind('since')} label="Re-send what failed since" hint="An ISO 8601 time; each message keeps its webhook-id." />
        <button type="submit">Recover</button>
      </form>
      <ResourceTable
        rows={data?.items}
        error={error}
        loading="messages"
        caption="Messages, newest first"
        rowKey={(message) => message.id}
        columns={[
          { header: 'Message', cell: (message) => <code className="truncate">{message.id}</code> },
          { header: 'Event', cell: (message) => message.eventType },
          { header: 'State', cell: (message) => <StateBadge state={message.state} /> },
          { header: 'Created', cell: (message) => <Time iso={message.createdAt} /> },
          {
            header: 'Attempts',
            cell: (message) => (
              <ol className="attempts">
                {message.attempts.map((attempt) => (
                  <li key={attempt.attemptedAt}>
                    <Time iso={attempt.attemptedAt} /> {attempt.status ?? attempt.error} ({attempt.latencyMs} ms)
                    {attempt.response && <div className="hint truncate">{attempt.response}</div>}
                  </li>
                ))}
              </ol>
            ),
          },
        ]}
        actions={(message) => (
          <button
            type="button"
            aria-label={`Retry message ${message.id}`}
            onClick={() =>
              void action.run(() => api.post('/admin/webhooks/:id/messages/:messageId/retry', { params: { id: endpoint.id, messageId: message.id } }))
            }
          >
            Retry
          </button>
        )}
        empty={<p>No messages yet: send a test message, or wait for an event it listens to.</p>}
      />
    </>
  );
}
