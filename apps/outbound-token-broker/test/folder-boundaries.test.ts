import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The broker's folders depend one way: tokens/ may use refresh/, refresh/ never tokens/ (lint enforces it). */
describe('broker folder boundaries', () => {
  const eslint = new ESLint();
  const lint = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath }))[0].messages.filter((m) => m.ruleId === 'no-restricted-imports');

  it('refuses an import of tokens/ from refresh/', async () => {
    const messages = await lint(
      'apps/outbound-token-broker/src/refresh/fixture.ts',
      "import { TokensService } from '../tokens/tokens.service.js';\nexport const used = TokensService;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toMatch(/refresh\/ never imports tokens\//);
  });

  it('lets tokens/ import refresh/, and refresh/ import the stored token from outbound-token/', async () => {
    expect(
      await lint(
        'apps/outbound-token-broker/src/tokens/fixture.ts',
        "import { RefreshService } from '../refresh/refresh.service.js';\nexport const used = RefreshService;\n",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'apps/outbound-token-broker/src/refresh/fixture.ts',
        "import { OutboundToken } from '../outbound-token/outbound-token.entity.js';\nexport const used = OutboundToken;\n",
      ),
    ).toEqual([]);
  });
});
