import { useState } from 'react';
import { EmptyState, ErrorBanner, StateBadge, Time } from '../../components/common';
import { FormError, TextField } from '../../components/forms';
import { ResourceTable } from '../../components/ResourceTable';
import { useForm } from '../../components/useForm';
import { useLoad } from '../../components/useLoad';
import { Link, useRouter } from '../../router';
import { useSession } from '../../session';
import { InstanceDetail } from './InstanceDetail';
import { authLabel } from './InstanceFacts';

const PAGE_SIZE = 20;

export function InstancesPage() {
  const { path } = useRouter();
  const id = path.split('/')[2];
  return id ? <InstanceDetail id={id} /> : <InstanceList />;
}

function InstanceList() {
  const { api } = useSession();
  const [offset, setOffset] = useState(0);
  const { data, error, reload } = useLoad(() => api.get('/admin/instances', { query: { limit: PAGE_SIZE, offset } }), [api, offset]);
  return (
    <>
      <h1>Platform instances</h1>
      <p>Other platforms this one calls (platform-to-platform trust). Register one, then choose how this platform authenticates to it.</p>
      <RegisterInstance onRegistered={reload} />
      <ErrorBanner error={error} />
      <ResourceTable
        rows={data?.items}
        error={error}
        loading="platform instances"
        caption="Platform instances"
        rowKey={(instance) => instance.id}
        columns={[
          { header: 'Name', cell: (instance) => <Link to={`/instances/${instance.id}`}>{instance.name}</Link> },
          { header: 'Base URL', cell: (instance) => <code className="wrap">{instance.baseUrl}</code> },
          { header: 'Authentication', cell: (instance) => authLabel(instance.auth) },
          {
            header: 'Token',
            cell: (instance) => (
              <>
                <StateBadge state={instance.token?.state} />
                {instance.token?.lastMessage && <div className="hint">{instance.token.lastMessage}</div>}
              </>
            ),
          },
          { header: 'Expires', cell: (instance) => (instance.token?.state === 'valid' ? <Time iso={instance.token.expiresAt} /> : '—') },
          { header: 'Registered', cell: (instance) => <Time iso={instance.createdAt} /> },
        ]}
        empty={
          <EmptyState title="No instances registered">
            Register the other platform above with its name and base URL; then set up OAuth and use its "request" link.
          </EmptyState>
        }
        page={data && { ...data, label: 'Instances', onChange: setOffset }}
      />
    </>
  );
}

function RegisterInstance({ onRegistered }: { onRegistered(): void }) {
  const { api } = useSession();
  const form = useForm({ name: '', baseUrl: '' }, async ({ name, baseUrl }) => {
    await api.post('/admin/instances', { body: { name: name.trim(), baseUrl: baseUrl.trim() } });
    form.reset({ name: '', baseUrl: '' });
    onRegistered();
  });
  return (
    <form className="panel" aria-labelledby="register-title" onSubmit={(e) => void form.submit(e)} noValidate>
      <h2 id="register-title">Register an instance</h2>
      <FormError error={form.error} shownFields={['name', 'baseUrl']} />
      <div className="grid-2">
        <TextField {...form.bind('name')} label="Name" hint="Lowercase letters, digits and hyphens; used in permissions (acme:users=read)." required />
        <TextField
          {...form.bind('baseUrl')}
          label="Base URL"
          type="url"
          hint="Where the other platform answers, e.g. https://tessera.acme.example"
          placeholder="https://"
          required
        />
      </div>
      <button type="submit" className="primary" disabled={form.busy}>
        Register instance
      </button>
    </form>
  );
}
