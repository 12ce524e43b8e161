import { useState, type FormEvent } from 'react';
import type { Page } from '../../api/client';
import { TOKEN_STATES, type AuthorizeReply, type OutboundTokenView, type ProviderView } from '../../api/types';
import { EmptyState, ErrorBanner, isNotAvailable, NotAvailable, Pager, StateBadge, Time } from '../../components/common';
import { Field, fieldErrors, FormError, SelectField, TextField } from '../../components/forms';
import { parseRecord } from '../../components/records';
import { useLoad } from '../../components/useLoad';
import { usePolling } from '../../components/usePolling';
import { useSession } from '../../session';

const PAGE_SIZE = 20;

export function OutboundTokensPage() {
  const { api } = useSession();
  const [offset, setOffset] = useState(0);
  const [state, setState] = useState('');
  const [creating, setCreating] = useState(false);
  // The token whose authorization page is open elsewhere, and its updatedAt then: the list is re-read until it changes.
  const [authorizing, setAuthorizing] = useState<{ id: string; name: string; url: string; updatedAt: string }>();
  const [actionError, setActionError] = useState<unknown>();
  const { data, error, reload } = useLoad(() => api.get<Page<OutboundTokenView>>('/admin/tokens', { limit: PAGE_SIZE, offset, state }), [api, offset, state]);
  const { data: providers } = useLoad(() => api.get<Page<ProviderView>>('/admin/providers', { limit: 500 }).catch(() => undefined), [api]);
  const providerName = (id: string) => providers?.items.find((p) => p.id === id)?.name ?? '—';
  const pending = authorizing && data?.items.find((t) => t.id === authorizing.id);
  const awaitingConsent = Boolean(pending && pending.updatedAt === authorizing?.updatedAt);
  usePolling(awaitingConsent, reload);
  if (isNotAvailable(error)) return <><h1>Outbound tokens</h1><NotAvailable feature="The outbound token broker" api="/admin/tokens" /></>;
  if (creating) return <><h1>New outbound token</h1><CreateToken onDone={() => { setCreating(false); reload(); }} /></>;

  const act = async (token: OutboundTokenView, action: 'authorize' | 'refresh' | 'revoke') => {
    setActionError(undefined);
    try {
      const reply = await api.post<AuthorizeReply | OutboundTokenView>(`/admin/tokens/${token.id}/${action}`);
      if (action === 'authorize' && 'authorizationUrl' in reply) setAuthorizing({ id: token.id, name: token.name, url: reply.authorizationUrl, updatedAt: token.updatedAt });
      reload();
    } catch (err) { setActionError(err); }
  };
  const upcoming = (data?.items ?? []).filter((t) => t.nextRefreshAt).sort((a, b) => a.nextRefreshAt!.localeCompare(b.nextRefreshAt!));
  return (
    <>
      <div className="page-header">
        <h1>Outbound tokens</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>New outbound token</button>
      </div>
      <p>Tokens this platform holds for third-party APIs, kept fresh by the broker.</p>
      <form className="filters" role="search" aria-label="Filter outbound tokens" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="token-state">State</label>
        <select id="token-state" value={state} onChange={(e) => { setState(e.target.value); setOffset(0); }}>
          <option value="">All</option>
          {TOKEN_STATES.map((s) => <option key={s} value={s}>{s.replace(/_/g, ' ')}</option>)}
        </select>
      </form>
      <ErrorBanner error={error ?? actionError} />
      {authorizing && awaitingConsent && (
        <p className="notice" role="status"><a href={authorizing.url} target="_blank" rel="noopener noreferrer" data-testid="authorization-link">Open the provider's authorization page for {authorizing.name}</a> (new tab); this list updates once you have consented.</p>
      )}
      {data && data.items.length === 0 && <EmptyState title={state ? 'No token in this state' : 'No outbound tokens yet'}>{state ? 'Choose another state.' : 'Create one for a provider with New outbound token; for authorization-code providers, then use "Get authorization token".'}</EmptyState>}
      {data && data.items.length > 0 && (
        <table>
          <caption className="visually-hidden">Outbound tokens</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Provider</th><th scope="col">State</th><th scope="col">Expires</th><th scope="col">Last refresh</th><th scope="col">Last message</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {data.items.map((token) => (
              <tr key={token.id} data-testid="outbound-token" data-name={token.name} data-state={token.state}>
                <td>{token.name}{token.scope && <div className="hint">{token.scope}</div>}</td>
                <td>{providerName(token.providerId)}</td>
                <td><StateBadge state={token.state} />{token.consecutiveFailures > 0 && <div className="hint">{token.consecutiveFailures} failed attempts</div>}</td>
                <td><Time iso={token.expiresAt} /></td>
                <td><Time iso={token.lastRefreshedAt} /></td>
                <td className="message">{token.lastMessage ?? token.lastTransientError ?? '—'}</td>
                <td className="actions">
                  <button type="button" onClick={() => void act(token, 'authorize')} aria-label={`Get authorization token for ${token.name}`}>Get authorization token</button>
                  <button type="button" onClick={() => void act(token, 'refresh')} aria-label={`Refresh ${token.name}`}>Refresh</button>
                  <button type="button" className="danger" onClick={() => void act(token, 'revoke')} aria-label={`Revoke ${token.name}`}>Revoke</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <Pager label="Outbound tokens" total={data.total} limit={data.limit} offset={data.offset} onChange={setOffset} />}
      {upcoming.length > 0 && (
        <section className="panel" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Upcoming refreshes</h2>
          <ol className="timeline">
            {upcoming.map((token) => <li key={token.id}><Time iso={token.nextRefreshAt} /> — <strong>{token.name}</strong> (expires <Time iso={token.expiresAt} />)</li>)}
          </ol>
        </section>
      )}
    </>
  );
}

function CreateToken({ onDone }: { onDone(): void }) {
  const { api } = useSession();
  const { data: providers } = useLoad(() => api.get<Page<ProviderView>>('/admin/providers', { limit: 500 }), [api]);
  const [draft, setDraft] = useState({ name: '', providerId: '', scopes: '', prompt: '', variables: '', baseUrl: '', username: '', password: '' });
  const [error, setError] = useState<unknown>();
  const provider = providers?.items.find((p) => p.id === draft.providerId);
  const set = (key: keyof typeof draft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const body: Record<string, unknown> = { name: draft.name.trim(), providerId: draft.providerId };
    if (draft.scopes.trim()) body.scopes = draft.scopes.split(/\s+/).filter(Boolean);
    if (draft.prompt.trim()) body.prompt = draft.prompt.trim();
    if (draft.variables.trim()) body.variables = parseRecord(draft.variables);
    if (draft.baseUrl.trim()) body.baseUrl = draft.baseUrl.trim();
    if (provider?.grantType === 'password') Object.assign(body, { username: draft.username, password: draft.password });
    try { await api.post('/admin/tokens', body); onDone(); } catch (err) { setError(err); }
  };
  if (providers && providers.items.length === 0) return <EmptyState title="Add a provider first">An outbound token belongs to a provider: create one on the Providers page.</EmptyState>;
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-label="New outbound token">
      <FormError error={error} shownFields={['name', 'providerId', 'scopes', 'prompt', 'variables', 'baseUrl', 'username', 'password']} />
      <div className="grid-2">
        <TextField label="Name" value={draft.name} onChange={(e) => set('name', e.target.value)} errors={fieldErrors(error, 'name')} hint="How services refer to it: /tokens/<name>, /proxy/<name>/…" autoFocus />
        <SelectField label="Provider" value={draft.providerId} onChange={(e) => set('providerId', e.target.value)} errors={fieldErrors(error, 'providerId')}
          options={[{ value: '', label: 'Choose a provider' }, ...(providers?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.grantType.replace(/_/g, ' ')})` }))]} />
        <TextField label="Scopes" value={draft.scopes} onChange={(e) => set('scopes', e.target.value)} errors={fieldErrors(error, 'scopes')} hint="Space separated; blank uses the provider's defaults." />
        <TextField label="Base URL" type="url" value={draft.baseUrl} onChange={(e) => set('baseUrl', e.target.value)} errors={fieldErrors(error, 'baseUrl')} hint="Where /proxy/<name>/… forwards to." />
        {provider?.grantType === 'authorization_code' && <TextField label="Prompt" value={draft.prompt} onChange={(e) => set('prompt', e.target.value)} errors={fieldErrors(error, 'prompt')} hint="Overrides the provider's prompt." />}
        {provider?.grantType === 'password' && <>
          <TextField label="Username" value={draft.username} onChange={(e) => set('username', e.target.value)} errors={fieldErrors(error, 'username')} autoComplete="off" />
          <TextField label="Password" type="password" value={draft.password} onChange={(e) => set('password', e.target.value)} errors={fieldErrors(error, 'password')} autoComplete="new-password" hint="Stored encrypted; never shown again." />
        </>}
      </div>
      <Field label="Variables" errors={fieldErrors(error, 'variables')} hint="key=value per line; fill {{variable}} placeholders in the provider's URLs.">
        {(aria) => <textarea {...aria} rows={2} value={draft.variables} onChange={(e) => set('variables', e.target.value)} spellCheck={false} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary">Create token</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}
