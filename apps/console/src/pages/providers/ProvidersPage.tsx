import { useState } from 'react';
import type { ProviderView } from '../../api/types';
import { EmptyState, ErrorBanner, isNotAvailable, NotAvailable, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError, TextAreaField, TextField } from '../../components/forms';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/useAction';
import { useForm } from '../../components/useForm';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { FromCatalog } from './FromCatalog';
import { ProviderForm } from './ProviderForm';
import { ProviderTest } from './ProviderTest';
import { SigningKeys } from './SigningKeys';

const PAGE_SIZE = 20;

export function ProvidersPage() {
  const { api } = useSession();
  const [offset, setOffset] = useState(0);
  const [mode, setMode] = useState<'list' | 'catalog' | 'new' | 'import' | ProviderView>('list');
  const { data, error, reload } = useLoad(() => api.get('/admin/providers', { query: { limit: PAGE_SIZE, offset } }), [api, offset]);
  const action = useAction(reload);
  if (isNotAvailable(error))
    return (
      <>
        <h1>Providers</h1>
        <NotAvailable feature="The outbound token broker" api="/admin/providers" />
      </>
    );
  const done = () => {
    setMode('list');
    reload();
  };
  if (mode === 'catalog')
    return (
      <>
        <h1>Add provider</h1>
        <FromCatalog onCreated={done} onCancel={() => setMode('list')} onManual={() => setMode('new')} />
      </>
    );
  if (mode === 'new')
    return (
      <>
        <h1>New provider</h1>
        <ProviderForm
          onCancel={() => setMode('list')}
          onSubmit={async (body) => {
            await api.post('/admin/providers', { body });
            done();
          }}
        />
      </>
    );
  if (mode === 'import')
    return (
      <>
        <h1>Import providers</h1>
        <ImportProviders onDone={done} />
      </>
    );
  if (typeof mode === 'object') {
    return (
      <>
        <h1>Provider {mode.name}</h1>
        <ProviderForm
          initial={mode}
          onCancel={() => setMode('list')}
          onSubmit={async (body) => {
            await api.patch('/admin/providers/:id', { params: { id: mode.id }, body });
            done();
          }}
        />
        <SigningKeys provider={mode} />
        <ProviderTest provider={mode} />
      </>
    );
  }
  const update = (provider: ProviderView) => action.run(() => api.post('/admin/providers/:id/template-update', { params: { id: provider.id } }));
  const remove = (provider: ProviderView) => action.run(() => api.delete('/admin/providers/:id', { params: { id: provider.id } }));
  return (
    <>
      <div className="page-header">
        <h1>Providers</h1>
        <div className="actions">
          <button type="button" className="primary" onClick={() => setMode('catalog')}>
            Add provider
          </button>
          <button type="button" onClick={() => setMode('import')}>
            Import from OpenAPI
          </button>
        </div>
      </div>
      <p>Third-party OAuth 2 servers this platform gets outbound tokens from.</p>
      <ErrorBanner error={action.error ?? error} />
      <ResourceTable
        rows={data?.items}
        error={error}
        loading="providers"
        caption="Providers"
        rowKey={(provider) => provider.id}
        columns={[
          {
            header: 'Name',
            cell: (provider) => (
              <>
                {provider.name}
                {provider.description && <div className="hint">{provider.description}</div>}
                {provider.template && (
                  <div className="hint">
                    From template {provider.template.id} (version {provider.template.version})
                    {provider.templateUpdate && (
                      <>
                        {' '}
                        · version {provider.templateUpdate.version} is available{' '}
                        <button
                          type="button"
                          onClick={() => void update(provider)}
                          aria-label={`Update provider ${provider.name} to version ${provider.templateUpdate.version} of its template`}
                        >
                          Update
                        </button>
                      </>
                    )}
                  </div>
                )}
              </>
            ),
          },
          { header: 'Grant type', cell: (provider) => provider.grantType.replace(/_/g, ' ') },
          { header: 'Token URL', cell: (provider) => <code className="truncate">{provider.tokenUrl}</code> },
          { header: 'Client ID', cell: (provider) => <code className="truncate">{provider.clientId}</code> },
          { header: 'Updated', cell: (provider) => <Time iso={provider.updatedAt} /> },
        ]}
        actions={(provider) => (
          <>
            <button type="button" onClick={() => setMode(provider)} aria-label={`Edit provider ${provider.name}`}>
              Edit
            </button>
            <ConfirmButton
              label="Delete"
              ariaLabel={`Delete provider ${provider.name}`}
              title={`Delete provider ${provider.name}?`}
              onConfirm={() => remove(provider)}
            >
              Its client ID and secret are forgotten here. A provider that outbound tokens still use cannot be deleted: delete or move those tokens first.
            </ConfirmButton>
          </>
        )}
        empty={
          <EmptyState title="No providers yet">
            Add the OAuth server of an API you call with <strong>Add provider</strong> (from the catalog, or typed in), or import its OpenAPI document; then
            create an outbound token for it.
          </EmptyState>
        }
        page={data && { ...data, label: 'Providers', onChange: setOffset }}
      />
    </>
  );
}

function ImportProviders({ onDone }: { onDone(): void }) {
  const { api } = useSession();
  const form = useForm({ document: '', namePrefix: '', clientId: '', clientSecret: '' }, async ({ document, namePrefix, clientId, clientSecret }) => {
    await api.post('/admin/providers/import', {
      body: {
        document,
        ...(namePrefix ? { namePrefix } : {}),
        ...(clientId ? { clientId } : {}),
        ...(clientSecret ? { clientSecret } : {}),
      },
    });
    onDone();
  });
  return (
    <form className="panel" onSubmit={(e) => void form.submit(e)} noValidate aria-label="Import providers from an OpenAPI document">
      <p>
        One provider is created per OAuth 2 flow in the document's <code>securitySchemes</code>.
      </p>
      <FormError error={form.error} shownFields={['document', 'namePrefix', 'clientId', 'clientSecret']} />
      <TextAreaField {...form.bind('document')} label="OpenAPI 3 document (JSON or YAML)" rows={10} spellCheck={false} />
      <div className="grid-2">
        <TextField {...form.bind('namePrefix')} label="Name prefix" />
        <TextField {...form.bind('clientId')} label="Client ID" />
        <TextField {...form.bind('clientSecret')} label="Client secret" type="password" autoComplete="new-password" />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Import
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
