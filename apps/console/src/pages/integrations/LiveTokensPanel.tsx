import { useEffect, useState } from 'react';
import type { RefreshTokenFamilyView } from '../../api/types';
import { EmptyState, ErrorBanner, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/useAction';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';

const LIVE_TOKENS_PAGE = 100;

/** The live grants a page at a time (the API pages by cursor), with one-by-one revocation and "revoke all". */
export function LiveTokensPanel({ id, generation }: { id: string; generation: number }) {
  const { api } = useSession();
  const { data, error, reload } = useLoad(
    () => api.get('/admin/integrations/:id/tokens', { params: { id }, query: { limit: LIVE_TOKENS_PAGE } }),
    [api, id, generation],
  );
  const [more, setMore] = useState<{ items: RefreshTokenFamilyView[]; nextCursor: string | null }>();
  const [revokeError, setRevokeError] = useState<unknown>();
  useEffect(() => setMore(undefined), [data]);
  const items = data && [...data.items, ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.get('/admin/integrations/:id/tokens', { params: { id }, query: { limit: LIVE_TOKENS_PAGE, cursor: nextCursor } });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setRevokeError(err);
    }
  };
  const action = useAction(reload);
  const revoke = (familyId: string) => action.run(() => api.delete('/admin/integrations/:id/tokens/:familyId', { params: { id, familyId } }));
  const revokeAll = () => action.run(() => api.delete('/admin/integrations/:id/tokens', { params: { id } }));
  return (
    <section className="panel" aria-labelledby="tokens-title">
      <div className="page-header">
        <h2 id="tokens-title">Live tokens</h2>
        <div className="row">
          <button type="button" onClick={reload}>
            Refresh list
          </button>
          <ConfirmButton label="Revoke all" title="Revoke every token of this integration?" onConfirm={revokeAll}>
            Every grant and every access token issued to it so far stops working at once; its applications must get new ones with their ID and secret.
          </ConfirmButton>
        </div>
      </div>
      <ErrorBanner error={action.error ?? error ?? revokeError} />
      <ResourceTable
        rows={items}
        error={error}
        loading="live tokens"
        caption="Live refresh-token families"
        rowKey={(family) => family.id}
        rowProps={() => ({ 'data-testid': 'token-family' })}
        columns={[
          { header: 'Grant', cell: (family) => family.grantType.replace(/_/g, ' ') },
          {
            header: 'Scope',
            cell: (family) =>
              family.scope.split(' ').map((s) => (
                <code className="chip small" key={s}>
                  {s}
                </code>
              )),
          },
          { header: 'Issued', cell: (family) => <Time iso={family.createdAt} /> },
          { header: 'Last used', cell: (family) => <Time iso={family.lastUsedAt} /> },
          { header: 'Expires', cell: (family) => (family.expiresAt ? <Time iso={family.expiresAt} /> : 'when revoked') },
        ]}
        actions={(family) => (
          <ConfirmButton
            label="Revoke"
            ariaLabel={`Revoke token issued ${new Date(family.createdAt).toLocaleString()}`}
            title="Revoke this token?"
            onConfirm={() => revoke(family.id)}
          >
            Its refresh token and every access token issued from it ({family.grantType.replace(/_/g, ' ')}, {family.scope}) stop working at once.
          </ConfirmButton>
        )}
        empty={<EmptyState title="No live tokens">Tokens appear here once the application gets one from the token endpoint with its ID and secret.</EmptyState>}
        more={nextCursor ? { label: 'Show more', onMore: () => void loadMore() } : undefined}
      />
    </section>
  );
}
