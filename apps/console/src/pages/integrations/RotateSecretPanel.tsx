import type { FormEvent } from 'react';
import type { IntegrationWithSecret } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError, TextField } from '../../components/forms';
import { useForm } from '../../components/useForm';
import { useSession } from '../../session';

/** A new application secret, the old one kept for a grace period so clients can be redeployed without downtime. */
export function RotateSecretPanel({ id, onRotated }: { id: string; onRotated(result: IntegrationWithSecret): void }) {
  const { api } = useSession();
  const form = useForm({ graceSeconds: '3600' }, async ({ graceSeconds }) =>
    onRotated(await api.post('/admin/integrations/:id/secret', { params: { id }, body: { graceSeconds: Number(graceSeconds || 0) } })),
  );
  const immediate = form.values.graceSeconds.trim() === '0';
  // Without a grace period the rotation is destructive: it goes through the confirmation, not a bare Enter.
  const submit = (event: FormEvent) => (immediate ? event.preventDefault() : void form.submit(event));
  return (
    <form className="panel" aria-labelledby="rotate-title" onSubmit={submit} noValidate>
      <h2 id="rotate-title">Rotate secret</h2>
      <p>Issues a new application secret. The old one keeps working for the grace period, so clients can be redeployed without downtime.</p>
      <FormError error={form.error} shownFields={['graceSeconds']} />
      <TextField
        {...form.bind('graceSeconds')}
        label="Grace period (seconds)"
        type="number"
        min={0}
        max={2592000}
        hint="0 ends the old secret at once; at most 30 days (2592000)."
      />
      {immediate ? (
        <ConfirmButton label="Rotate secret" className="" title="Rotate the secret with no grace period?" onConfirm={() => form.submit()}>
          The old secret stops working at once and the access tokens issued before are revoked: every application still using it fails until it has the new one.
        </ConfirmButton>
      ) : (
        <button type="submit">Rotate secret</button>
      )}
    </form>
  );
}
