import type { InstanceAuthView, PlatformInstanceView } from '../../api/types';
import { Time } from '../../components/common';

export function authLabel(auth: InstanceAuthView | undefined): string {
  if (!auth || auth.type === 'none') return 'not set';
  return auth.type === 'oauth' ? 'OAuth' : `password (${auth.username ?? '?'})`;
}

/** Where the other platform answers, how this one authenticates to it, and since when it is registered. */
export function InstanceFacts({ instance }: { instance: PlatformInstanceView }) {
  return (
    <section className="panel" aria-label="Instance">
      <dl className="facts">
        <dt>Base URL</dt>
        <dd>
          <code>{instance.baseUrl}</code>
        </dd>
        <dt>Authentication</dt>
        <dd data-testid="instance-auth">{authLabel(instance.auth)}</dd>
        <dt>Registered</dt>
        <dd>
          <Time iso={instance.createdAt} />
        </dd>
      </dl>
    </section>
  );
}
