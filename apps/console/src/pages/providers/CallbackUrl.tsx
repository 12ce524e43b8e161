import { CopyButton } from '../../components/common';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';

/** This platform's OAuth callback: the redirect URI to register at an authorization-code provider. */
function useCallbackUrl(): string {
  const { api } = useSession();
  // The issuer is the platform's public URL (TESSERA_ISSUER), which can differ from where the console is open.
  const { data } = useLoad(() => api.get('/.well-known/oauth-authorization-server').catch(() => undefined), [api]);
  const origin = data?.issuer?.replace(/\/+$/, '') || window.location.origin;
  return `${origin}/oauth/callback`;
}

export function CallbackUrl() {
  const url = useCallbackUrl();
  return (
    <div className="notice callback-url">
      <p>
        <strong>Callback URL</strong>: register this redirect URI at the provider.
      </p>
      <div className="row">
        <code data-testid="callback-url">{url}</code>
        <CopyButton text={url} label="Copy callback URL" />
      </div>
    </div>
  );
}
