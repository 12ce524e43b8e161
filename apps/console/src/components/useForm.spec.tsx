import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { Checkbox, FormError, TextField } from './forms';
import { useForm } from './useForm';

interface Draft {
  name: string;
  username: string;
  clientId: string;
  enabled: boolean;
}

const refusal = (fields: Record<string, string[]>) =>
  new ApiError(400, { statusCode: 400, error: 'validation_failed', message: 'The request is not valid', fields });

function Form({ action }: { action(values: Draft): Promise<void> }) {
  const form = useForm<Draft>({ name: 'acme', username: '', clientId: '', enabled: true }, action);
  return (
    <form onSubmit={(e) => void form.submit(e)} noValidate aria-label="Test form">
      <FormError error={form.error} shownFields={['name', 'auth.username', 'clientId', 'auth.clientAppId']} />
      <TextField {...form.bind('name')} label="Name" />
      <TextField {...form.bind('username', { field: 'auth.username' })} label="Username" />
      <TextField {...form.bind('clientId', { field: ['clientId', 'auth.clientAppId'] })} label="Client ID" />
      <Checkbox {...form.check('enabled')} label="Enabled" />
      <button type="submit" disabled={form.busy}>
        {form.busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const errorsOf = (label: string) => {
  const id = input(label).getAttribute('aria-describedby');
  return id ? (document.getElementById(id)?.textContent ?? '') : '';
};

describe('useForm', () => {
  it('binds each control to its value and change handler, and submits the draft as edited', async () => {
    const action = vi.fn(async () => undefined);
    render(<Form action={action} />);
    expect(input('Name').value).toBe('acme');
    expect(input('Enabled').checked).toBe(true);
    fireEvent.change(input('Name'), { target: { value: 'globex' } });
    fireEvent.change(input('Username'), { target: { value: 'otto' } });
    fireEvent.click(input('Enabled'));
    expect(input('Name').value).toBe('globex');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(action).toHaveBeenCalledWith({ name: 'globex', username: 'otto', clientId: '', enabled: false });
  });

  it("shows the API's field errors at the control that sent the field, under whichever name the request gave it", async () => {
    const action = vi.fn(async () => {
      throw refusal({ name: ['name must be lowercase'], 'auth.username': ['username is required'], 'auth.clientAppId': ['no such client app'] });
    });
    render(<Form action={action} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(errorsOf('Name')).toBe('name must be lowercase');
    expect(input('Name').getAttribute('aria-invalid')).toBe('true');
    expect(errorsOf('Username')).toBe('username is required');
    expect(errorsOf('Client ID')).toBe('no such client app');
    // Each message is shown once, at its field: the form's banner repeats none of them.
    expect(screen.getByText('The request is not valid').closest('.form-error')?.querySelector('ul')).toBeNull();
  });

  it('marks the form busy while the request runs, and forgets the last error when submitted again', async () => {
    let finish: () => void = () => undefined;
    const action = vi
      .fn<(values: Draft) => Promise<void>>()
      .mockRejectedValueOnce(refusal({ name: ['name is taken'] }))
      .mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)));
    render(<Form action={action} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(errorsOf('Name')).toBe('name is taken');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect((screen.getByRole('button', { name: 'Saving…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByText('name is taken')).toBeNull();
    await act(async () => finish());
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
