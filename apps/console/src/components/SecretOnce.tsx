import { useEffect, useRef } from 'react';
import type { IntegrationWithSecret } from '../api/types';

/** An answer that carries a secret (a secret-method integration's creation or rotation). */
export type WithSecretShown = IntegrationWithSecret & Required<Pick<IntegrationWithSecret, 'appSecret' | 'config'>>;

export function showsSecret(integration: IntegrationWithSecret): integration is WithSecretShown {
  return integration.appSecret !== undefined && integration.config !== undefined;
}
import { CopyButton } from './common';

function envBlock(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/**
 * The application secret and the ready-to-paste configuration, shown once: the server stores only a keyed hash, so
 * neither it nor this console can show the secret again. Focus moves here so a screen reader announces it.
 */
export function SecretOnce({ integration, onDone, rotated = false }: { integration: WithSecretShown; onDone(): void; rotated?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const env = envBlock(integration.config.env);
  return (
    <section className="secret-once" aria-labelledby="secret-once-title">
      <h2 id="secret-once-title" tabIndex={-1} ref={heading}>
        {rotated ? 'New secret' : 'Integration created'}: {integration.name}
      </h2>
      <p className="warning" role="alert">
        <strong>Copy the secret now: you won't see it again.</strong> Tessera keeps only a hash of it. If it is lost, rotate the secret.
      </p>
      <dl className="credentials">
        <dt>Application ID</dt>
        <dd>
          <code data-testid="application-id">{integration.applicationId}</code> <CopyButton text={integration.applicationId} label="Copy application ID" />
        </dd>
        <dt>Application secret</dt>
        <dd>
          <code data-testid="app-secret">{integration.appSecret}</code> <CopyButton text={integration.appSecret} label="Copy application secret" />
        </dd>
      </dl>
      <h3>application.conf</h3>
      <p className="hint" data-testid="config-explained">
        The <code>p6auth</code> block a Platform 6 (P6) instance reads from its <code>application.conf</code>: paste it there, or set the same values as the{' '}
        <code>P6AUTH_*</code> environment variables below.
      </p>
      <div className="config">
        <pre data-testid="config-hocon">{integration.config.hocon}</pre>
        <CopyButton text={integration.config.hocon} label="Copy application.conf block" />
      </div>
      <h3>Environment variables</h3>
      <div className="config">
        <pre data-testid="config-env">{env}</pre>
        <CopyButton text={env} label="Copy environment variables" />
      </div>
      <button type="button" className="primary" onClick={onDone}>
        I have stored the secret
      </button>
    </section>
  );
}
