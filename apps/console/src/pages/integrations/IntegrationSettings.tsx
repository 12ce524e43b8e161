import { CLIENT_AUTHENTICATION_LABELS, type IntegrationView } from '../../api/types';
import { Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';

interface Props {
  integration: IntegrationView;
  /** The permissions it holds beyond the signed-in role: that role may only disable or delete it. */
  beyondRole?: { permissions: string[]; role: string | undefined };
  onEdit(): void;
  onSetEnabled(enabled: boolean): unknown;
  onDelete(): unknown;
}

/** An integration's settings as they stand, with Edit, Disable or Enable, and Delete (each destructive one asks first). */
export function IntegrationSettings({ integration, beyondRole: beyond, onEdit, onSetEnabled, onDelete }: Props) {
  return (
    <section className="panel" aria-label="Settings">
      <dl className="facts">
        <dt>Application ID</dt>
        <dd>
          <code>{integration.applicationId}</code>
        </dd>
        <dt>Permissions</dt>
        <dd>
          {integration.permissions.map((p) => (
            <code className="chip small" key={p}>
              {p}
            </code>
          ))}
        </dd>
        <dt>Redirect URIs</dt>
        <dd data-testid="redirect-uris">
          {integration.redirectUris.length
            ? integration.redirectUris.join(', ')
            : integration.grantTypes.includes('authorization_code')
              ? 'none yet: authorization_code needs one to send the browser back to'
              : 'none (client credentials only)'}
        </dd>
        <dt>Allowed grants</dt>
        <dd>
          {(integration.grantTypes ?? []).map((g) => (
            <code className="chip small" key={g}>
              {g}
            </code>
          ))}
        </dd>
        <dt>Client authentication</dt>
        <dd data-testid="client-authentication">
          {CLIENT_AUTHENTICATION_LABELS[integration.tokenEndpointAuthMethod] ?? integration.tokenEndpointAuthMethod}
          {integration.jwksUri ? `; keys at ${integration.jwksUri}` : integration.jwks ? `; ${integration.jwks.keys.length} public key(s)` : ''}
          {integration.dpopBoundAccessTokens ? '; DPoP-bound tokens only' : ''}
        </dd>
        <dt>Access token lifetime</dt>
        <dd>{integration.accessTokenTtlSeconds} s</dd>
        <dt>Refresh token reuse interval</dt>
        <dd>{integration.refreshTokenReuseIntervalSeconds ? `${integration.refreshTokenReuseIntervalSeconds} s` : 'off'}</dd>
        <dt>Refresh tokens</dt>
        <dd>
          {integration.refreshTokensValidUntilRevoked ? 'valid until revoked' : 'expire 28 days after issue'}
          {integration.refreshTokensOnClientCredentials ? '' : '; none on client_credentials'}
        </dd>
        <dt>Token quota</dt>
        <dd>{integration.clientCredentialsTokensPerHour ? `${integration.clientCredentialsTokensPerHour} client_credentials tokens per hour` : 'none'}</dd>
        <dt>Created</dt>
        <dd>
          <Time iso={integration.createdAt} />
        </dd>
      </dl>
      {beyond && (
        <p className="hint">
          It holds {beyond.permissions.join(', ')}, beyond your role ({beyond.role}): you may disable or delete it; changing it or its secret needs a higher
          role.
        </p>
      )}
      <div className="actions">
        {!beyond && (
          <button type="button" onClick={onEdit}>
            Edit
          </button>
        )}
        {integration.enabled ? (
          <ConfirmButton label="Disable" title={`Disable ${integration.name}?`} onConfirm={() => onSetEnabled(false)}>
            Every live token of {integration.name} is revoked at once, and its applications get no new ones until it is enabled again. Its ID and secret are
            kept.
          </ConfirmButton>
        ) : (
          !beyond && (
            <button type="button" onClick={() => void onSetEnabled(true)}>
              Enable
            </button>
          )
        )}
        <ConfirmButton label="Delete" title={`Delete ${integration.name}?`} onConfirm={onDelete}>
          Every live token of {integration.name} is revoked at once and its application ID and secret stop working for good. This cannot be undone.
        </ConfirmButton>
      </div>
    </section>
  );
}
