import type { CreateProviderRequest } from '@tessera/contracts';
import { useState } from 'react';
import { ErrorBanner, Loading } from '../../components/common';
import { FormError, SelectField, TextAreaField, TextField } from '../../components/forms';
import { useForm } from '../../components/useForm';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { CallbackUrl } from './CallbackUrl';

/** What this form reads of a template (libs/catalog/schema/provider-template.schema.json; the console stays off that library). */
interface ProviderTemplate {
  id: string;
  version: number;
  name: string;
  description?: string;
  docsUrl: string;
  grantTypes: ('authorization_code' | 'client_credentials' | 'password')[];
  variables?: { name: string; label?: string; description: string; example: string; default?: string; from: string; key?: string }[];
  defaultScopes?: string[];
  notes?: string;
}

/**
 * "Add provider" from the catalog: search and pick a template, then give only what it asks for — its variables, the
 * client the provider issued and, if wished, a name and scopes. The template's URLs and quirks are not typed here.
 */
export function FromCatalog({ onCreated, onCancel, onManual }: { onCreated(): void; onCancel(): void; onManual(): void }) {
  const { api } = useSession();
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [chosen, setChosen] = useState<string>();
  const { data, error } = useLoad(() => api.get('/admin/catalog', { query: { search, category } }), [api, search, category]);
  if (chosen) return <TemplateForm id={chosen} onBack={() => setChosen(undefined)} onCreated={onCreated} />;
  return (
    <div className="panel" aria-label="Provider catalog">
      <div className="grid-2">
        <TextField label="Search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Zendesk, Microsoft, crm …" />
        <SelectField
          label="Category"
          value={category}
          onChange={(e) => setCategory(e.target.value)}
          options={[{ value: '', label: 'All categories' }, ...(data?.categories ?? []).map((c) => ({ value: c, label: c.replace(/-/g, ' ') }))]}
        />
      </div>
      <ErrorBanner error={error} />
      {!data && !error && <Loading what="the catalog" />}
      <ul className="catalog" aria-label="Templates">
        {data?.items.map((item) => (
          <li key={item.id}>
            <button type="button" onClick={() => setChosen(item.id)} aria-label={`Use template ${item.name}`}>
              <strong>{item.name}</strong>
              {item.custom && <span className="badge">custom</span>}
              <span className="hint">
                {item.categories.join(', ')} · {item.grantTypes.map((g) => g.replace(/_/g, ' ')).join(', ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {data && !data.items.length && <p>No template matches. Type the provider in yourself instead.</p>}
      <div className="actions">
        <button type="button" onClick={onManual}>
          Type one in yourself
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** A pasted service-account key file goes as serviceAccount (the server reads the client and key from it); any other key as assertionKey. */
function signingKeyFields(values: Record<string, string>): Partial<CreateProviderRequest> {
  if (values.grantType !== 'jwt_bearer') return {};
  const subject = values.assertionSubject.trim() ? { assertionSubject: values.assertionSubject.trim() } : {};
  const key = values.signingKey.trim();
  if (!key) return subject;
  try {
    const parsed = JSON.parse(key) as { client_email?: unknown };
    if (typeof parsed.client_email === 'string') return { ...subject, serviceAccount: parsed as CreateProviderRequest['serviceAccount'] };
  } catch {
    /* a PEM key */
  }
  return { ...subject, assertionKey: key };
}

function TemplateForm({ id, onBack, onCreated }: { id: string; onBack(): void; onCreated(): void }) {
  const { api } = useSession();
  const { data, error } = useLoad(() => api.get('/admin/catalog/:id', { params: { id } }), [api, id]);
  const template = data?.template as ProviderTemplate | undefined;
  if (error) return <ErrorBanner error={error} />;
  if (!template) return <Loading what="the template" />;
  return <TemplateFields template={template} onBack={onBack} onCreated={onCreated} />;
}

function TemplateFields({ template, onBack, onCreated }: { template: ProviderTemplate; onBack(): void; onCreated(): void }) {
  const { api } = useSession();
  const variables = (template.variables ?? []).filter((v) => v.from === 'provider');
  const fromAnswers = (template.variables ?? []).filter((v) => v.from === 'tokenResponse');
  const initial: Record<string, string> = {
    name: template.id,
    grantType: template.grantTypes[0],
    clientId: '',
    clientSecret: '',
    signingKey: '',
    assertionSubject: '',
    scopes: (template.defaultScopes ?? []).join(' '),
    ...Object.fromEntries(variables.map((v) => [`var:${v.name}`, v.default ?? ''])),
  };
  const form = useForm(initial, async (values) => {
    // A service-account file names the client itself: a blank client id is left out rather than sent empty.
    const body = {
      template: template.id,
      name: values.name,
      grantType: values.grantType as CreateProviderRequest['grantType'],
      ...(values.clientId || values.grantType !== 'jwt_bearer' ? { clientId: values.clientId } : {}),
      ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
      ...signingKeyFields(values),
      scopes: values.scopes.split(/\s+/).filter(Boolean),
      ...(variables.length ? { variables: Object.fromEntries(variables.map((v) => [v.name, values[`var:${v.name}`]])) } : {}),
    } as CreateProviderRequest;
    await api.post('/admin/providers', { body });
    onCreated();
  });
  const fields = [
    'name',
    'grantType',
    'clientId',
    'clientSecret',
    'assertionKey',
    'assertionSubject',
    'scopes',
    ...variables.map((v) => `variables.${v.name}`),
  ];
  return (
    <form className="panel" onSubmit={(e) => void form.submit(e)} noValidate aria-label={`New provider from ${template.name}`}>
      <h2>{template.name}</h2>
      {template.description && <p>{template.description}</p>}
      <p>
        <a href={template.docsUrl} target="_blank" rel="noreferrer">
          {template.name}’s OAuth documentation
        </a>{' '}
        says how to register the client; its URLs and quirks come from the template (version {template.version}).
      </p>
      {template.grantTypes.includes('authorization_code') && <CallbackUrl />}
      {template.notes && <p className="hint">{template.notes}</p>}
      {fromAnswers.length > 0 && (
        <p className="hint" data-testid="answer-variables">
          Read from each token answer, not entered here: {fromAnswers.map((v) => `${v.label ?? v.name} (${v.key})`).join(', ')}.
        </p>
      )}
      <FormError error={form.error} shownFields={fields} />
      {variables.map((v) => (
        <TextField
          key={v.name}
          {...form.bind(`var:${v.name}`, { field: `variables.${v.name}` })}
          label={v.label ?? v.name}
          hint={v.description}
          placeholder={v.example}
        />
      ))}
      <div className="grid-2">
        <TextField {...form.bind('name')} label="Name" hint="Outbound tokens refer to it." />
        {template.grantTypes.length > 1 && (
          <SelectField {...form.bind('grantType')} label="Grant type" options={template.grantTypes.map((g) => ({ value: g, label: g.replace(/_/g, ' ') }))} />
        )}
        <TextField {...form.bind('clientId')} label="Client ID" />
        <TextField {...form.bind('clientSecret')} label="Client secret" type="password" autoComplete="new-password" hint="Write-only: stored encrypted." />
        {form.values.grantType === 'jwt_bearer' && (
          <>
            <TextAreaField
              {...form.bind('signingKey', { field: 'assertionKey' })}
              label="Signing key or service-account key file"
              hint="A Google key file (JSON) as downloaded, or a private key (PEM or JWK). Write-only: stored encrypted, never shown again. Blank: the broker makes a key pair and publishes its public key."
              rows={4}
              spellCheck={false}
            />
            <TextField
              {...form.bind('assertionSubject')}
              label="Assertion subject"
              hint="The user the token acts for (Salesforce: a username; DocuSign: a user id)."
            />
          </>
        )}
        <TextField
          {...form.bind('scopes')}
          label="Scopes"
          hint={`Space separated; the template suggests ${(template.defaultScopes ?? []).join(' ') || 'none'}.`}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={form.busy}>
          Create provider
        </button>
        <button type="button" onClick={onBack}>
          Back to the catalog
        </button>
      </div>
    </form>
  );
}
