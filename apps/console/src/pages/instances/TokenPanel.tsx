import { useState } from 'react';
import type { IntegrationWithSecret, PlatformInstanceView } from '../../api/types';
import { StateBadge, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { usePolling } from '../../components/usePolling';
import { useSession } from '../../session';

/**
 * The authorization link last opened, and the token's updatedAt when an action started: the page polls until the record
 * moves on from it (the token arrives from the other platform's consent page, or the broker's revocation reaches the
 * record). Held by the page, so it outlives the panel while a new integration's secret is on screen.
 */
export function useTokenWait(instance: PlatformInstanceView | undefined, reload: () => void) {
  const [authorizationUrl, setAuthorizationUrl] = useState<string>();
  const [waitingFrom, setWaitingFrom] = useState<{ updatedAt: string | null }>();
  const waiting = Boolean(waitingFrom && instance && (instance.token?.updatedAt ?? null) === waitingFrom.updatedAt);
  usePolling(waiting, reload);
  return { authorizationUrl, setAuthorizationUrl, waiting, waitFrom: setWaitingFrom };
}

interface Props {
  instance: PlatformInstanceView;
  wait: ReturnType<typeof useTokenWait>;
  /** Runs an action with the page's error handling; `undefined` when it failed. */
  act<T>(run: () => Promise<T>): Promise<T | undefined>;
  onIntegration(integration: IntegrationWithSecret): void;
}

/** The OAuth token this platform holds for the instance: request it (the consent flow), deauthorize it, and the reverse integration. */
export function TokenPanel({ instance, wait, act, onIntegration }: Props) {
  const { api } = useSession();
  const { id, name, token } = instance;
  const oauth = instance.auth.type === 'oauth' && Boolean(instance.auth.clientAppId);
  const from = { updatedAt: token?.updatedAt ?? null };
  const request = async () => {
    const reply = await act(() => api.post('/admin/instances/:id/authorize', { params: { id } }));
    if (!reply) return;
    wait.setAuthorizationUrl(reply.authorizationUrl);
    wait.waitFrom(from);
  };
  const deauthorize = async () => {
    const reply = await act(() => api.post('/admin/instances/:id/deauthorize', { params: { id } }));
    if (!reply) return;
    wait.setAuthorizationUrl(undefined);
    // The reply can predate the broker's revocation event reaching the record: keep reading until it does.
    if (reply.token?.state !== 'revoked') wait.waitFrom(from);
  };
  const [keyed, setKeyed] = useState<IntegrationWithSecret>();
  const createIntegration = async (tokenEndpointAuthMethod: 'client_secret_basic' | 'private_key_jwt') => {
    setKeyed(undefined);
    const created = await act(() => api.post('/admin/instances/:id/integration', { params: { id }, body: { tokenEndpointAuthMethod } }));
    if (!created) return;
    // private_key_jwt: no secret to show once, only the client ID to hand over.
    if (tokenEndpointAuthMethod === 'private_key_jwt') setKeyed(created);
    else onIntegration(created);
  };
  return (
    <section className="panel" aria-labelledby="request-title">
      <h2 id="request-title">OAuth token</h2>
      {token ? (
        <dl className="facts" aria-label="Token held for this instance">
          <dt>State</dt>
          <dd data-testid="instance-token-state">
            <StateBadge state={token.state} />
          </dd>
          <dt>Expires</dt>
          <dd>{token.state === 'valid' ? <Time iso={token.expiresAt} /> : '—'}</dd>
          <dt>Scope</dt>
          <dd>{token.scope ?? '—'}</dd>
          <dt>Last message</dt>
          <dd className="message">{token.lastMessage ?? '—'}</dd>
          <dt>Updated</dt>
          <dd>
            <Time iso={token.updatedAt} />
          </dd>
          <dt>Outbound token</dt>
          <dd>
            <code>{token.tokenId}</code>
          </dd>
        </dl>
      ) : (
        <p data-testid="instance-token-state">No token yet.</p>
      )}
      <p>
        {oauth ? (
          <>The "request" link runs the OAuth flow: an admin of {name} signs in and consents there, and the token is kept fresh here.</>
        ) : (
          <>Choose "Use OAuth-based authentication" with the client ID and secret {name} issued to this platform, then request a token.</>
        )}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void request()} disabled={!oauth}>
          Request
        </button>
        <ConfirmButton
          label="Deauthorize"
          className=""
          title={`Revoke this platform's token for ${name}?`}
          disabled={!token || token.state === 'revoked'}
          onConfirm={deauthorize}
        >
          The token is revoked at {name} (RFC 7009) and forgotten here: calls to /proxy/instances/{name}/… fail until an admin of {name} consents again through
          "Request".
        </ConfirmButton>
        <button type="button" onClick={() => void createIntegration('client_secret_basic')}>
          Create its integration on this platform
        </button>
        <button type="button" onClick={() => void createIntegration('private_key_jwt')}>
          Create its integration with its published keys (no secret)
        </button>
      </div>
      {keyed && (
        <p className="notice" role="status" data-testid="keyed-integration">
          Integration created: client ID <code>{keyed.applicationId}</code>, authenticating with private_key_jwt against {name}'s keys at{' '}
          <code>{keyed.jwksUri}</code>. Give {name}'s admin the client ID; no secret crosses between the platforms.
        </p>
      )}
      {wait.authorizationUrl && (
        <p className="notice" role="status">
          <a href={wait.authorizationUrl} target="_blank" rel="noopener noreferrer" data-testid="authorization-link">
            Open the authorization page on {name}
          </a>{' '}
          (new tab).
          {wait.waiting ? ' This page updates once you have consented there.' : ''}
        </p>
      )}
    </section>
  );
}
