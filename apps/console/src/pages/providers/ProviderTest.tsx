import { useState } from 'react';
import type { ProviderTestReply, ProviderView } from '../../api/types';
import { FormError, TextField } from '../../components/forms';
import { ResourceTable } from '../../components/ResourceTable';
import { useForm } from '../../components/useForm';
import { useSession } from '../../session';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The `{{variable}}` names the provider's URLs use: the test asks for a value for each. */
export function urlVariables(provider: Pick<ProviderView, 'tokenUrl' | 'authorizationUrl'>): string[] {
  const urls = [provider.tokenUrl, provider.authorizationUrl ?? ''];
  return [...new Set(urls.flatMap((url) => [...url.matchAll(PLACEHOLDER)].map((m) => m[1])))];
}

/** The steps the broker ran and the provider's answer, its tokens already redacted by the broker. */
export function ProviderTestResult({ result }: { result: ProviderTestReply }) {
  return (
    <section aria-label="Test result" className="panel">
      <p>
        <span className={`badge ${result.ok ? 'state-valid' : 'state-refresh_failed'}`}>{result.ok ? 'passed' : 'failed'}</span>{' '}
        {result.grantType.replace(/_/g, ' ')} flow
      </p>
      <ResourceTable
        rows={result.steps}
        caption="Test steps"
        rowKey={(_step, index) => index}
        columns={[
          { header: 'Step', cell: (step) => step.name },
          { header: 'URL', cell: (step) => <code className="truncate">{step.url}</code> },
          { header: 'Status', cell: (step) => step.status ?? 'no answer' },
          { header: 'Time', cell: (step) => `${step.ms} ms` },
          {
            header: 'Outcome',
            cell: (step) => (
              <>
                <span className={`badge ${step.ok ? 'state-valid' : 'state-refresh_failed'}`}>{step.ok ? 'ok' : 'failed'}</span> {step.outcome}
              </>
            ),
          },
        ]}
      />
      <h3>Provider's answer</h3>
      {result.answer === null || result.answer === undefined ? (
        <p className="hint">No answer (the provider could not be reached).</p>
      ) : (
        <pre aria-label="Provider's answer">{typeof result.answer === 'string' ? result.answer : JSON.stringify(result.answer, null, 2)}</pre>
      )}
    </section>
  );
}

/** "Test": runs the provider's flow once through the broker (nothing is stored) and shows what happened. */
export function ProviderTest({ provider }: { provider: ProviderView }) {
  const { api } = useSession();
  const variableNames = urlVariables(provider);
  const [result, setResult] = useState<ProviderTestReply>();
  // Flat keys, named as the request's fields are (`variables.account`), so each control shows its own field's errors.
  const form = useForm<Record<string, string>>({}, async (values) => {
    setResult(undefined);
    const chosenScopes = (values.scopes ?? '').split(/[\s,]+/).filter(Boolean);
    setResult(
      await api.post('/admin/providers/:id/test', {
        params: { id: provider.id },
        body: {
          ...(variableNames.length ? { variables: Object.fromEntries(variableNames.map((name) => [name, values[`variables.${name}`] ?? ''])) } : {}),
          ...(chosenScopes.length ? { scopes: chosenScopes } : {}),
          ...(provider.grantType === 'password' ? { username: values.username ?? '', password: values.password ?? '' } : {}),
        },
      }),
    );
  });
  return (
    <form className="panel" onSubmit={(e) => void form.submit(e)} noValidate aria-label={`Test provider ${provider.name}`}>
      <h2>Test</h2>
      <p className="hint">
        {provider.grantType === 'authorization_code'
          ? 'Checks that the authorization endpoint answers and that the token endpoint refuses a made-up code with an OAuth error.'
          : 'Requests a token from the provider. Nothing is stored; tokens in the answer are redacted.'}
      </p>
      <FormError error={form.error} shownFields={['username', 'password', 'scopes', ...variableNames.map((n) => `variables.${n}`)]} />
      <div className="grid-2">
        {variableNames.map((name) => (
          <TextField key={name} {...form.bind(`variables.${name}`)} label={`Variable ${name}`} />
        ))}
        {provider.grantType !== 'authorization_code' && (
          <TextField
            {...form.bind('scopes')}
            label="Scopes (optional)"
            hint={`Space-separated; empty: the provider's (${provider.scopes.join(' ') || 'none'})`}
          />
        )}
        {provider.grantType === 'password' && (
          <>
            <TextField {...form.bind('username')} label="Username" autoComplete="off" />
            <TextField {...form.bind('password')} label="Password" type="password" autoComplete="new-password" />
          </>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {form.busy ? 'Testing…' : 'Test'}
        </button>
      </div>
      {result && <ProviderTestResult result={result} />}
    </form>
  );
}
