import { useState } from 'react';
import type { WebhookView, WebhookWithSecret } from '../../api/types';
import { CopyButton, EmptyState, ErrorBanner, isNotAvailable, NotAvailable, StateBadge } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Checkbox, FormError, TextField } from '../../components/forms';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/useAction';
import { useForm } from '../../components/useForm';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { WebhookDetail } from './WebhookDetail';

const PAGE_SIZE = 20;

/** Webhook endpoints: where the platform's events are POSTed, signed (Standard Webhooks). */
export function WebhooksPage() {
  const { api } = useSession();
  const [offset, setOffset] = useState(0);
  const [mode, setMode] = useState<'list' | 'new' | WebhookView>('list');
  const [secret, setSecret] = useState<WebhookWithSecret>();
  const { data, error, reload } = useLoad(() => api.get('/admin/webhooks', { query: { limit: PAGE_SIZE, offset } }), [api, offset]);
  const action = useAction(reload);
  if (isNotAvailable(error))
    return (
      <>
        <h1>Webhooks</h1>
        <NotAvailable feature="The outbound token broker" api="/admin/webhooks" />
      </>
    );
  if (secret) return <WebhookSecretOnce endpoint={secret} onDone={() => setSecret(undefined)} />;
  if (mode === 'new')
    return (
      <>
        <h1>New webhook endpoint</h1>
        <NewWebhook
          onCancel={() => setMode('list')}
          onCreated={(created) => {
            setMode('list');
            setSecret(created);
            reload();
          }}
        />
      </>
    );
  if (typeof mode === 'object')
    return (
      <WebhookDetail
        endpoint={mode}
        onBack={() => {
          setMode('list');
          reload();
        }}
        onRotated={setSecret}
      />
    );
  const remove = (endpoint: WebhookView) => action.run(() => api.delete('/admin/webhooks/:id', { params: { id: endpoint.id } }));
  return (
    <>
      <div className="page-header">
        <h1>Webhooks</h1>
        <div className="actions">
          <button type="button" className="primary" onClick={() => setMode('new')}>
            New endpoint
          </button>
        </div>
      </div>
      <p>URLs the platform POSTs its events to, signed per Standard Webhooks and retried until they answer 2xx.</p>
      <ErrorBanner error={action.error ?? error} />
      <ResourceTable
        rows={data?.items}
        error={error}
        loading="webhook endpoints"
        caption="Webhook endpoints"
        rowKey={(endpoint) => endpoint.id}
        columns={[
          {
            header: 'URL',
            cell: (endpoint) => (
              <>
                <code className="truncate">{endpoint.url}</code>
                {endpoint.description && <div className="hint">{endpoint.description}</div>}
              </>
            ),
          },
          { header: 'Events', cell: (endpoint) => endpoint.eventTypes.join(', ') },
          { header: 'State', cell: (endpoint) => <StateBadge state={endpoint.enabled ? 'enabled' : `disabled (${endpoint.disabledReason ?? 'manual'})`} /> },
        ]}
        actions={(endpoint) => (
          <>
            <button type="button" onClick={() => setMode(endpoint)} aria-label={`Open webhook endpoint ${endpoint.url}`}>
              Open
            </button>
            <ConfirmButton
              label="Delete"
              ariaLabel={`Delete webhook endpoint ${endpoint.url}`}
              title="Delete this endpoint?"
              onConfirm={() => remove(endpoint)}
            >
              It receives nothing more, and its delivery log is deleted with it.
            </ConfirmButton>
          </>
        )}
        empty={
          <EmptyState title="No webhook endpoints yet">
            Add one with <strong>New endpoint</strong> to have events POSTed to a URL of yours.
          </EmptyState>
        }
        page={data && { ...data, label: 'Webhook endpoints', onChange: setOffset }}
      />
    </>
  );
}

/** Event type patterns as typed: comma- or space-separated. */
export function eventTypeList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function NewWebhook({ onCancel, onCreated }: { onCancel(): void; onCreated(created: WebhookWithSecret): void }) {
  const { api } = useSession();
  const form = useForm({ url: '', eventTypes: '*', description: '', ed25519: false }, async ({ url, eventTypes, description, ed25519 }) =>
    onCreated(
      await api.post('/admin/webhooks', {
        body: { url, eventTypes: eventTypeList(eventTypes), ...(description ? { description } : {}), ...(ed25519 ? { ed25519 } : {}) },
      }),
    ),
  );
  return (
    <form className="panel" onSubmit={(e) => void form.submit(e)} noValidate aria-label="New webhook endpoint">
      <FormError error={form.error} shownFields={['url', 'eventTypes', 'description']} />
      <TextField {...form.bind('url')} label="URL" hint="http(s); it must be allowed by the egress policy." />
      <TextField
        {...form.bind('eventTypes')}
        label="Event types"
        hint="Comma-separated: auth.token.revoked, token.* (every token event), * (every event but audit lines)."
      />
      <TextField {...form.bind('description')} label="Description" />
      <Checkbox {...form.check('ed25519')} label="Also sign with Ed25519 (v1a)" hint="Receivers verify with the public key shown on the endpoint." />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.busy}>
          Create
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The signing secret, shown once: it is stored sealed and never answered again. */
function WebhookSecretOnce({ endpoint, onDone }: { endpoint: WebhookWithSecret; onDone(): void }) {
  return (
    <section className="secret-once" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title">Signing secret for {endpoint.url}</h2>
      <p className="warning" role="alert">
        <strong>Copy the secret now: you won't see it again.</strong> If it is lost, rotate it.
      </p>
      <dl className="credentials">
        <dt>Signing secret</dt>
        <dd>
          <code data-testid="webhook-secret">{endpoint.secret}</code> <CopyButton text={endpoint.secret} label="Copy signing secret" />
        </dd>
      </dl>
      <button type="button" className="primary" onClick={onDone}>
        I have stored the secret
      </button>
    </section>
  );
}
