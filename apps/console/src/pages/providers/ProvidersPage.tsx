import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../api/types';
import { EmptyState, ErrorBanner, isNotAvailable, Loading, NotAvailable, Pager, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { fieldErrors, FormError, TextField, Field } from '../../components/forms';
import { useAction } from '../../components/useAction';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { ProviderForm } from './ProviderForm';
import { ProviderTest } from './ProviderTest';

const PAGE_SIZE = 20;

export function ProvidersPage() {
  const { api } = useSession();
  const [offset, setOffset] = useState(0);
  const [mode, setMode] = useState<'list' | 'new' | 'import' | ProviderView>('list');
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
        <ProviderTest provider={mode} />
      </>
    );
  }
  const remove = (provider: ProviderView) => action.run(() => api.delete('/admin/providers/:id', { params: { id: provider.id } }));
  return (
    <>
      <div className="page-header">
        <h1>Providers</h1>
        <div className="actions">
          <button type="button" className="primary" onClick={() => setMode('new')}>
            New provider
          </button>
          <button type="button" onClick={() => setMode('import')}>
            Import from OpenAPI
          </button>
        </div>
      </div>
      <p>Third-party OAuth 2 servers this platform gets outbound tokens from.</p>
      <ErrorBanner error={action.error ?? error} />
      {!data && !error && <Loading what="providers" />}
      {data && data.items.length === 0 && (
        <EmptyState title="No providers yet">
          Add the OAuth server of an API you call with <strong>New provider</strong>, or import its OpenAPI document; then create an outbound token for it.
        </EmptyState>
      )}
      {data && data.items.length > 0 && (
        <table>
          <caption className="visually-hidden">Providers</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Grant type</th>
              <th scope="col">Token URL</th>
              <th scope="col">Client ID</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((provider) => (
              <tr key={provider.id}>
                <td>
                  {provider.name}
                  {provider.description && <div className="hint">{provider.description}</div>}
                </td>
                <td>{provider.grantType.replace(/_/g, ' ')}</td>
                <td>
                  <code className="truncate">{provider.tokenUrl}</code>
                </td>
                <td>
                  <code className="truncate">{provider.clientId}</code>
                </td>
                <td>
                  <Time iso={provider.updatedAt} />
                </td>
                <td className="actions">
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
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <Pager label="Providers" total={data.total} limit={data.limit} offset={data.offset} onChange={setOffset} />}
    </>
  );
}

function ImportProviders({ onDone }: { onDone(): void }) {
  const { api } = useSession();
  const [document, setDocument] = useState('');
  const [namePrefix, setNamePrefix] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.post('/admin/providers/import', {
        body: {
          document,
          ...(namePrefix ? { namePrefix } : {}),
          ...(clientId ? { clientId } : {}),
          ...(clientSecret ? { clientSecret } : {}),
        },
      });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-label="Import providers from an OpenAPI document">
      <p>
        One provider is created per OAuth 2 flow in the document's <code>securitySchemes</code>.
      </p>
      <FormError error={error} shownFields={['document', 'namePrefix', 'clientId', 'clientSecret']} />
      <Field label="OpenAPI 3 document (JSON or YAML)" errors={fieldErrors(error, 'document')}>
        {(aria) => <textarea {...aria} rows={10} value={document} onChange={(e) => setDocument(e.target.value)} spellCheck={false} />}
      </Field>
      <div className="grid-2">
        <TextField label="Name prefix" value={namePrefix} onChange={(e) => setNamePrefix(e.target.value)} errors={fieldErrors(error, 'namePrefix')} />
        <TextField label="Client ID" value={clientId} onChange={(e) => setClientId(e.target.value)} errors={fieldErrors(error, 'clientId')} />
        <TextField
          label="Client secret"
          type="password"
          autoComplete="new-password"
          value={clientSecret}
          onChange={(e) => setClientSecret(e.target.value)}
          errors={fieldErrors(error, 'clientSecret')}
        />
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
