import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { PermissionChips, permissionMeaning, permissionProblem } from './PermissionChips';

function Harness({ initial = [] as string[] }) {
  const [value, setValue] = useState(initial);
  return <PermissionChips value={value} onChange={setValue} />;
}

describe('PermissionChips', () => {
  it('checks the grammar as you type and adds only valid permissions', () => {
    render(<Harness />);
    const input = screen.getByLabelText('Permissions');
    fireEvent.change(input, { target: { value: 'orgs=read' } });
    expect(screen.getByText(/Start with the instance name/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.queryByRole('button', { name: /Remove permission/ })).toBeNull();

    fireEvent.change(input, { target: { value: '*:orgs=read' } });
    expect(input.getAttribute('aria-invalid')).toBeNull();
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByRole('button', { name: 'Remove permission *:orgs=read' })).toBeTruthy();
    expect((input as HTMLInputElement).value).toBe('');
  });

  it('removes a chip with its button and the last one with Backspace', () => {
    render(<Harness initial={['*:orgs=read', 'acme:users=read']} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove permission *:orgs=read' }));
    expect(screen.queryByText('*:orgs=read')).toBeNull();
    fireEvent.keyDown(screen.getByLabelText('Permissions'), { key: 'Backspace' });
    expect(screen.queryByText('acme:users=read')).toBeNull();
  });

  it('explains what is wrong in the grammar’s words', () => {
    expect(permissionProblem('*:Orgs=read')).toMatch(/lowercase/);
    expect(permissionProblem('*:orgs')).toMatch(/=action/);
    expect(permissionProblem('acme:users=read')).toBeUndefined();
  });

  it('refuses, as typed, a permission beyond the signed-in role', () => {
    expect(permissionProblem('*:platform=owner', 'admin')).toMatch(/beyond your role \(admin\)/);
    expect(permissionProblem('*:platform=admin', 'admin')).toBeUndefined();
    expect(permissionProblem('*:platform=owner')).toBeUndefined();
  });

  it('knows the token forms: one token, one instance, read or proxy', () => {
    expect(permissionProblem('*:tokens/acme-crm=read')).toBeUndefined();
    expect(permissionProblem('*:tokens/acme.crm_v2=proxy')).toBeUndefined();
    expect(permissionProblem('acme:p2pi=proxy')).toBeUndefined();
    expect(permissionProblem('acme:tokens=read')).toMatch(/acme:p2pi=read/);
    expect(permissionProblem('*:tokens=use')).toMatch(/read .*proxy/);
    expect(permissionProblem('*:tokens/Acme=read')).toMatch(/lowercase/);
    expect(permissionMeaning('*:tokens/acme-crm=read')).toBe('Reads the raw access token of the outbound token acme-crm');
    expect(permissionMeaning('*:tokens=proxy')).toMatch(/every outbound token \(not P2PI/);
    expect(permissionMeaning('acme:p2pi=proxy')).toMatch(/instance acme/);
    expect(permissionMeaning('*:orgs=read')).toBeUndefined();
  });

  it('refuses a token permission that would grant nothing, and explains the chip it adds', () => {
    render(<Harness />);
    const input = screen.getByLabelText('Permissions');
    fireEvent.change(input, { target: { value: 'acme:tokens=read' } });
    expect(screen.getByText(/outbound tokens belong to no instance/)).toBeTruthy();
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.queryByRole('button', { name: /Remove permission/ })).toBeNull();
    fireEvent.change(input, { target: { value: '*:tokens/acme-crm=proxy' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByRole('button', { name: 'Remove permission *:tokens/acme-crm=proxy' })).toBeTruthy();
    expect(screen.getByText(/Calls through the proxy with the outbound token acme-crm/)).toBeTruthy();
  });
});
