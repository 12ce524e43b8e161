import type { PlatformInstanceView } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useRouter } from '../../router';
import { useSession } from '../../session';

/** "Delete instance", after saying what goes with it (its token, client app and password) and what stays (its integration). */
export function DeleteInstance({ instance, onError }: { instance: PlatformInstanceView; onError(error: unknown): void }) {
  const { api } = useSession();
  const { navigate } = useRouter();
  const token = instance.token;
  const remove = async () => {
    onError(undefined);
    try {
      await api.delete('/admin/instances/:id', { params: { id: instance.id } });
      navigate('/instances');
    } catch (err) {
      onError(err);
    }
  };
  return (
    <ConfirmButton label="Delete instance" title={`Delete platform instance ${instance.name}?`} onConfirm={remove}>
      {token && token.state !== 'revoked' ? <>This platform's OAuth token for {instance.name} is revoked there (RFC 7009) and forgotten here. </> : null}
      Its outbound token and client app on this platform are deleted, and any stored password is forgotten; calls to /proxy/instances/{instance.name}/… stop at
      once. The integration {instance.name} uses to call this platform is not touched: delete it under Integrations if it should go too.
    </ConfirmButton>
  );
}
