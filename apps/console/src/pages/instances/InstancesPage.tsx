import { useState } from 'react';
import { EmptyState, ErrorBanner, Loading, Pager, StateBadge, Time } from '../../components/common';
import { fieldErrors, FormError, TextField } from '../../components/forms';
import { useLoad } from '../../components/useLoad';
import { useFormSubmit } from '../../components/useFormSubmit';
import { Link, useRouter } from '../../router';
import { useSession } from '../../session';
import { authLabel, InstanceDetail } from './InstanceDetail';

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
      {!data && !error && <Loading what="platform instances" />}
      {data && data.items.length === 0 && (
        <EmptyState title="No instances registered">
          Register the other platform above with its name and base URL; then set up OAuth and use its "request" link.
        </EmptyState>
      )}
      {data && data.items.length > 0 && (
        <table>
          <caption className="visually-hidden">Platform instances</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Base URL</th>
              <th scope="col">Authentication</th>
              <th scope="col">Token</th>
              <th scope="col">Expires</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((instance) => (
              <tr key={instance.id}>
                <td>
                  <Link to={`/instances/${instance.id}`}>{instance.name}</Link>
                </td>
                <td>
                  <code className="wrap">{instance.baseUrl}</code>
                </td>
                <td>{authLabel(instance.auth)}</td>
                <td>
                  <StateBadge state={instance.token?.state} />
                  {instance.token?.lastMessage && <div className="hint">{instance.token.lastMessage}</div>}
                </td>
                <td>{instance.token?.state === 'valid' ? <Time iso={instance.token.expiresAt} /> : '—'}</td>
                <td>
                  <Time iso={instance.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <Pager label="Instances" total={data.total} limit={data.limit} offset={data.offset} onChange={setOffset} />}
    </>
  );
}

function RegisterInstance({ onRegistered }: { onRegistered(): void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const { submit, busy, error } = useFormSubmit(async () => {
    await api.post('/admin/instances', { body: { name: name.trim(), baseUrl: baseUrl.trim() } });
    setName('');
    setBaseUrl('');
    onRegistered();
  });
  return (
    <form className="panel" aria-labelledby="register-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="register-title">Register an instance</h2>
      <FormError error={error} shownFields={['name', 'baseUrl']} />
      <div className="grid-2">
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={fieldErrors(error, 'name')}
          hint="Lowercase letters, digits and hyphens; used in permissions (acme:users=read)."
          required
        />
        <TextField
          label="Base URL"
          type="url"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          errors={fieldErrors(error, 'baseUrl')}
          hint="Where the other platform answers, e.g. https://tessera.acme.example"
          placeholder="https://"
          required
        />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        Register instance
      </button>
    </form>
  );
}
