import { useState } from 'react';
import type { IntegrationWithSecret } from '../../api/types';
import { ErrorBanner, isNotAvailable, Loading, NotAvailable } from '../../components/common';
import { SecretOnce, showsSecret } from '../../components/SecretOnce';
import { useLoad } from '../../components/useLoad';
import { Link } from '../../router';
import { useSession } from '../../session';
import { AuthenticationPanel } from './AuthenticationPanel';
import { DeleteInstance } from './DeleteInstance';
import { InstanceFacts } from './InstanceFacts';
import { TokenPanel, useTokenWait } from './TokenPanel';

/** A platform instance: its facts, how this platform authenticates to it, and the OAuth token held for it. */
export function InstanceDetail({ id }: { id: string }) {
  const { api } = useSession();
  const { data: instance, error, reload } = useLoad(() => api.get('/admin/instances/:id', { params: { id } }), [api, id]);
  const [unavailable, setUnavailable] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [integration, setIntegration] = useState<IntegrationWithSecret>();
  const wait = useTokenWait(instance, reload);

  if (integration && showsSecret(integration)) return <SecretOnce integration={integration} onDone={() => setIntegration(undefined)} />;
  const back = (
    <p>
      <Link to="/instances">← Platform instances</Link>
    </p>
  );
  if (error)
    return (
      <>
        {back}
        <ErrorBanner error={error} />
      </>
    );
  if (!instance) return <Loading what="the instance" />;

  /** Runs a P2PI action; a 404 for the route itself means this server has no platform-to-platform trust API yet. */
  const act = async <T,>(run: () => Promise<T>): Promise<T | undefined> => {
    setActionError(undefined);
    try {
      return await run();
    } catch (err) {
      if (isNotAvailable(err)) setUnavailable(true);
      else setActionError(err);
      return undefined;
    } finally {
      reload();
    }
  };

  return (
    <>
      {back}
      <div className="page-header">
        <h1>{instance.name}</h1>
        <DeleteInstance instance={instance} onError={setActionError} />
      </div>
      <InstanceFacts instance={instance} />
      {unavailable ? (
        <NotAvailable feature="Platform-to-platform trust" api={`/admin/instances/${id}/…`} />
      ) : (
        <>
          <ErrorBanner error={actionError} />
          <AuthenticationPanel instance={instance} onSaved={reload} onUnavailable={() => setUnavailable(true)} />
          <TokenPanel instance={instance} wait={wait} act={act} onIntegration={setIntegration} />
        </>
      )}
    </>
  );
}
