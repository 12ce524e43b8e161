import { describe, expect, it } from 'vitest';
import { adminPasswordProblem } from './auth.js';

describe('the admin password policy', () => {
  it('wants at least 12 characters (code points) that are not the username', () => {
    expect(adminPasswordProblem('admin', 'short')).toMatch(/at least 12/);
    expect(adminPasswordProblem('admin', '😀'.repeat(11))).toMatch(/at least 12/);
    expect(adminPasswordProblem('administrator', ' Administrator ')).toMatch(/not be the username/);
    expect(adminPasswordProblem('admin', 'a long enough passphrase')).toBeUndefined();
  });
});
