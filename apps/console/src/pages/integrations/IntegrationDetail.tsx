import { useState } from 'react';
import type { IntegrationWithSecret } from '../../api/types';
import { ErrorBanner, Loading } from '../../components/common';
import { SecretOnce, showsSecret } from '../../components/SecretOnce';
import { useAction } from '../../components/useAction';
import { useLoad } from '../../components/useLoad';
import { Link, useRouter } from '../../router';
import { beyondRole } from '@tessera/permissions';
import { useSession } from '../../session';
import { IntegrationForm } from './IntegrationForm';
import { IntegrationSettings } from './IntegrationSettings';
import { usePermissionSuggestions } from './IntegrationsPage';
import { LiveTokensPanel } from './LiveTokensPanel';
import { RotateSecretPanel } from './RotateSecretPanel';

/** An integration: its settings (or the form editing them), its secret's rotation, and its live tokens. */
export function IntegrationDetail({ id }: { id: string }) {
  const { api, user } = useSession();
  const { navigate } = useRouter();
  const suggestions = usePermissionSuggestions();
  const { data: integration, error, reload } = useLoad(() => api.get('/admin/integrations/:id', { params: { id } }), [api, id]);
  const [editing, setEditing] = useState(false);
  const [rotated, setRotated] = useState<IntegrationWithSecret>();
  // Bumped after every change to the integration: its live tokens are re-read too (disabling revokes them).
  const [tokensGeneration, setTokensGeneration] = useState(0);
  const changed = () => {
    reload();
    setTokensGeneration((g) => g + 1);
  };
  const action = useAction(reload, () => setTokensGeneration((g) => g + 1));

  if (rotated && showsSecret(rotated))
    return (
      <SecretOnce
        integration={rotated}
        rotated
        onDone={() => {
          setRotated(undefined);
          changed();
        }}
      />
    );
  const back = (
    <p>
      <Link to="/integrations">← Integrations</Link>
    </p>
  );
  if (error)
    return (
      <>
        {back}
        <ErrorBanner error={error} />
      </>
    );
  if (!integration) return <Loading what="the integration" />;

  // What this role may not hand on, it may not re-open or re-key either: only taking away (disable, delete) is left.
  const beyond = user?.role ? beyondRole(user.role, integration.permissions) : [];
  const setEnabled = (enabled: boolean) => action.run(() => api.patch('/admin/integrations/:id', { params: { id }, body: { enabled } }));
  const remove = async () => {
    const deleted = await action.run(async () => {
      await api.delete('/admin/integrations/:id', { params: { id } });
      return true;
    });
    if (deleted) navigate('/integrations');
  };

  return (
    <>
      {back}
      <div className="page-header">
        <h1>{integration.name}</h1>
        <span className={`badge ${integration.enabled ? 'state-valid' : 'state-inactive'}`}>{integration.enabled ? 'enabled' : 'disabled'}</span>
      </div>
      <ErrorBanner error={action.error} />
      {editing ? (
        <IntegrationForm
          initial={integration}
          suggestions={suggestions}
          submitLabel="Save changes"
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => {
            await api.patch('/admin/integrations/:id', { params: { id }, body });
            setEditing(false);
            changed();
          }}
        />
      ) : (
        <IntegrationSettings
          integration={integration}
          beyondRole={beyond.length ? { permissions: beyond, role: user?.role } : undefined}
          onEdit={() => setEditing(true)}
          onSetEnabled={setEnabled}
          onDelete={remove}
        />
      )}
      {!beyond.length && integration.tokenEndpointAuthMethod !== 'private_key_jwt' && <RotateSecretPanel id={id} onRotated={setRotated} />}
      <LiveTokensPanel id={id} generation={tokensGeneration} />
    </>
  );
}
