import { useState } from 'react';
import type { IntegrationWithSecret } from '../../api/types';
import { EmptyState, ErrorBanner, Time } from '../../components/common';
import { ResourceTable } from '../../components/ResourceTable';
import { SecretOnce, showsSecret } from '../../components/SecretOnce';
import { useLoad } from '../../components/useLoad';
import { Link, useRouter } from '../../router';
import { useSession } from '../../session';
import { IntegrationDetail } from './IntegrationDetail';
import { IntegrationForm } from './IntegrationForm';

const PAGE_SIZE = 20;

export function IntegrationsPage() {
  const { path } = useRouter();
  const id = path.split('/')[2];
  if (id === 'new') return <CreateIntegration />;
  if (id) return <IntegrationDetail id={id} />;
  return <IntegrationList />;
}

export function usePermissionSuggestions(): string[] {
  const { api } = useSession();
  const { data } = useLoad(() => api.get('/admin/permissions').catch(() => ({ items: [] })), [api]);
  return data?.items.map((p) => p.permission) ?? [];
}

function CreateIntegration() {
  const { api } = useSession();
  const { navigate } = useRouter();
  const suggestions = usePermissionSuggestions();
  const [created, setCreated] = useState<IntegrationWithSecret>();
  if (created && showsSecret(created)) return <SecretOnce integration={created} onDone={() => navigate(`/integrations/${created.id}`)} />;
  return (
    <>
      <h1>New integration</h1>
      <p>An integration is an application that calls this platform's APIs with OAuth 2 client credentials.</p>
      <IntegrationForm
        submitLabel="Create integration"
        suggestions={suggestions}
        onCancel={() => navigate('/integrations')}
        onSubmit={async (body) => {
          const integration = await api.post('/admin/integrations', { body });
          // private_key_jwt: there is no secret to show once, so straight to the integration.
          if (showsSecret(integration)) setCreated(integration);
          else navigate(`/integrations/${integration.id}`);
        }}
      />
    </>
  );
}

function IntegrationList() {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState('');
  const [offset, setOffset] = useState(0);
  const { data, error, loading } = useLoad(
    () => api.get('/admin/integrations', { query: { name: name.trim(), enabled: enabled === '' ? undefined : enabled === 'true', limit: PAGE_SIZE, offset } }),
    [api, name, enabled, offset],
  );
  const filtered = Boolean(name.trim() || enabled);
  return (
    <>
      <div className="page-header">
        <h1>Integrations</h1>
        <Link to="/integrations/new" className="button primary">
          New integration
        </Link>
      </div>
      <form className="filters" role="search" aria-label="Filter integrations" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="integration-search">Search by name</label>
        <input
          id="integration-search"
          type="search"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setOffset(0);
          }}
          placeholder="Name contains…"
        />
        <label htmlFor="integration-enabled">Status</label>
        <select
          id="integration-enabled"
          value={enabled}
          onChange={(e) => {
            setEnabled(e.target.value);
            setOffset(0);
          }}
        >
          <option value="">All</option>
          <option value="true">Enabled</option>
          <option value="false">Disabled</option>
        </select>
      </form>
      <ErrorBanner error={error} />
      <ResourceTable
        rows={data?.items}
        error={error}
        busy={loading}
        loading="integrations"
        caption="Integrations"
        rowKey={(integration) => integration.id}
        columns={[
          { header: 'Name', cell: (integration) => <Link to={`/integrations/${integration.id}`}>{integration.name}</Link> },
          { header: 'Application ID', cell: (integration) => <code className="truncate">{integration.applicationId}</code> },
          {
            header: 'Status',
            cell: (integration) =>
              integration.enabled ? <span className="badge state-valid">enabled</span> : <span className="badge state-inactive">disabled</span>,
          },
          {
            header: 'Permissions',
            cell: (integration) =>
              integration.permissions.map((p) => (
                <code className="chip small" key={p}>
                  {p}
                </code>
              )),
          },
          { header: 'Created', cell: (integration) => <Time iso={integration.createdAt} /> },
        ]}
        empty={
          filtered ? (
            <EmptyState title="No integration matches">Change the search or the status filter.</EmptyState>
          ) : (
            <EmptyState title="No integrations yet">
              Create one for each application that calls this platform: <Link to="/integrations/new">New integration</Link>. It gets an application ID and
              secret to paste into its configuration.
            </EmptyState>
          )
        }
        page={data && { ...data, label: 'Integrations', onChange: setOffset }}
      />
    </>
  );
}
