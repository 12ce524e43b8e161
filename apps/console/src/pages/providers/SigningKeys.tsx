import { useState } from 'react';
import type { ProviderView } from '../../api/types';
import { ErrorBanner } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useAction } from '../../components/useAction';
import { useSession } from '../../session';

/**
 * A provider's signing keys (private_key_jwt, jwt_bearer): the URL its public keys are published at, to register at
 * the provider, and rotation of a key the broker made (the previous one stays published until the next rotation).
 */
export function SigningKeys({ provider }: { provider: ProviderView }) {
  const { api } = useSession();
  const [keys, setKeys] = useState(provider.assertionKeys);
  const action = useAction();
  if (!provider.jwksUrl || !keys.length) return null;
  const rotate = () => action.run(async () => setKeys((await api.post('/admin/providers/:id/signing-key', { params: { id: provider.id } })).assertionKeys));
  return (
    <section className="panel" aria-label="Signing keys">
      <h2>Signing keys</h2>
      <p>
        Register this URL (its public keys) at the provider: <code>{provider.jwksUrl}</code>
      </p>
      <ErrorBanner error={action.error} />
      <ul>
        {keys.map((key) => (
          <li key={key.kid}>
            <code>{key.kid}</code> {key.alg} · {key.signing ? 'signs now' : 'previous, still published'} · {key.generated ? 'made here' : 'given'}
          </li>
        ))}
      </ul>
      {keys[0].generated && (
        <ConfirmButton
          label="Rotate key"
          ariaLabel={`Rotate the signing key of ${provider.name}`}
          title="Rotate the signing key?"
          className=""
          onConfirm={rotate}
        >
          A new key signs from now on; the current one stays published until the next rotation.
        </ConfirmButton>
      )}
    </section>
  );
}
