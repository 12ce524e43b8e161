import { BusError } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { fillTemplate, templateVariables } from './url-template.js';

describe('fillTemplate', () => {
  it('fills every placeholder, URL-encoding the values so they cannot change the URL structure', () => {
    expect(fillTemplate('https://oauth.myapp.com/token/{{account}}?region={{ region }}', { account: 'a/b?c', region: 'eu west' })).toBe(
      'https://oauth.myapp.com/token/a%2Fb%3Fc?region=eu%20west',
    );
  });

  it('leaves a URL without placeholders untouched', () => {
    expect(fillTemplate('https://x.test/token', {})).toBe('https://x.test/token');
  });

  it('rejects a missing or empty variable with a validation error naming it', () => {
    const attempt = () => fillTemplate('https://x.test/{{account}}/{{tenant}}', { account: '' }, 'tokenUrl');
    expect(attempt).toThrow(BusError);
    try {
      attempt();
    } catch (error) {
      expect((error as BusError).code).toBe('validation_failed');
      expect((error as BusError).message).toBe('tokenUrl needs the variables account, tenant');
      expect((error as BusError).details).toHaveProperty(['variables.account']);
    }
  });

  it('lists the variables a template needs once each', () => {
    expect(templateVariables('https://{{a}}.x/{{b}}/{{a}}')).toEqual(['a', 'b']);
  });
});
