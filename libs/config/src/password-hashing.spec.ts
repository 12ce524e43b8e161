import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('TESSERA_TEST_WEAK_PASSWORD_HASHES', () => {
  it('is off unless set to true: standard hashes by default', () => {
    expect(loadConfig({}).passwordHashing).toBe('standard');
    expect(loadConfig({ TESSERA_TEST_WEAK_PASSWORD_HASHES: 'false' }).passwordHashing).toBe('standard');
    expect(loadConfig({ TESSERA_TEST_WEAK_PASSWORD_HASHES: 'true' }).passwordHashing).toBe('test-weak');
  });

  it('is refused with NODE_ENV=production, and anything but true or false is refused', () => {
    expect(() => loadConfig({ TESSERA_TEST_WEAK_PASSWORD_HASHES: 'true', NODE_ENV: 'production' })).toThrow(/refused with NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production' }).passwordHashing).toBe('standard');
    expect(() => loadConfig({ TESSERA_TEST_WEAK_PASSWORD_HASHES: 'yes' })).toThrow(ConfigError);
  });
});
