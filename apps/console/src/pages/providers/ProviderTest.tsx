import { useState, type FormEvent } from 'react';
import type { ProviderTestReply, ProviderView } from '../../api/types';
import { fieldErrors, FormError, TextField } from '../../components/forms';
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
      <table>
        <caption className="visually-hidden">Test steps</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">URL</th>
            <th scope="col">Status</th>
            <th scope="col">Time</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {result.steps.map((step, index) => (
            <tr key={index}>
              <td>{step.name}</td>
              <td>
                <code className="truncate">{step.url}</code>
              </td>
              <td>{step.status ?? 'no answer'}</td>
              <td>{step.ms} ms</td>
              <td>
                <span className={`badge ${step.ok ? 'state-valid' : 'state-refresh_failed'}`}>{step.ok ? 'ok' : 'failed'}</span> {step.outcome}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
  const [variables, setVariables] = useState<Record<string, string>>({});
  const [scopes, setScopes] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ProviderTestReply>();
  const [error, setError] = useState<unknown>();
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setRunning(true);
    setError(undefined);
    setResult(undefined);
    const chosenScopes = scopes.split(/[\s,]+/).filter(Boolean);
    try {
      setResult(
        await api.post('/admin/providers/:id/test', {
          params: { id: provider.id },
          body: {
            ...(variableNames.length ? { variables: Object.fromEntries(variableNames.map((name) => [name, variables[name] ?? ''])) } : {}),
            ...(chosenScopes.length ? { scopes: chosenScopes } : {}),
            ...(provider.grantType === 'password' ? { username, password } : {}),
          },
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void run(e)} noValidate aria-label={`Test provider ${provider.name}`}>
      <h2>Test</h2>
      <p className="hint">
        {provider.grantType === 'authorization_code'
          ? 'Checks that the authorization endpoint answers and that the token endpoint refuses a made-up code with an OAuth error.'
          : 'Requests a token from the provider. Nothing is stored; tokens in the answer are redacted.'}
      </p>
      <FormError error={error} shownFields={['username', 'password', 'scopes', ...variableNames.map((n) => `variables.${n}`)]} />
      <div className="grid-2">
        {variableNames.map((name) => (
          <TextField
            key={name}
            label={`Variable ${name}`}
            value={variables[name] ?? ''}
            onChange={(e) => setVariables({ ...variables, [name]: e.target.value })}
            errors={fieldErrors(error, `variables.${name}`)}
          />
        ))}
        {provider.grantType !== 'authorization_code' && (
          <TextField
            label="Scopes (optional)"
            hint={`Space-separated; empty: the provider's (${provider.scopes.join(' ') || 'none'})`}
            value={scopes}
            onChange={(e) => setScopes(e.target.value)}
            errors={fieldErrors(error, 'scopes')}
          />
        )}
        {provider.grantType === 'password' && (
          <>
            <TextField
              label="Username"
              autoComplete="off"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              errors={fieldErrors(error, 'username')}
            />
            <TextField
              label="Password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              errors={fieldErrors(error, 'password')}
            />
          </>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={running}>
          {running ? 'Testing…' : 'Test'}
        </button>
      </div>
      {result && <ProviderTestResult result={result} />}
    </form>
  );
}
