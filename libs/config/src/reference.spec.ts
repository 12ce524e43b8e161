import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from './config.js';
import { configurationReference } from './reference.js';

describe('the configuration reference (docs/configuration.md)', () => {
  it('is the committed copy (run `npm run docs:config` after adding or changing a variable)', () => {
    const committed = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed).toBe(configurationReference());
  });

  it('has a row for every variable Tessera reads, with what its validation accepts', () => {
    const text = configurationReference();
    for (const name of CONFIG_VARIABLES) expect(text, name).toContain(`\`${name}\``);
    expect(text).toMatch(/\| `TESSERA_BUS_TIMEOUT_MS` \| `5000` \| .* \| must be an integer between 100 and 60000 \(milliseconds\) \|/);
  });
});
