import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const lib = (name: string, file = 'index.ts') => fileURLToPath(new URL(`../../libs/${name}/src/${file}`, import.meta.url));

// Served by the gateway at /console. The permission grammar is bundled from its TypeScript source, so the console
// checks permissions as you type with exactly the pattern the API validates against. The grammar and the admin roles
// are contracts' (the only values the console takes from there: its other contract imports are type-only), so
// contracts resolves to `browser.ts`, which exports just those, and none of its validators reaches the bundle.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  resolve: { alias: { '@tessera/permissions': lib('permissions'), '@tessera/contracts': lib('contracts', 'browser.ts') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or data: URLs, so the strict Content-Security-Policy (script-src 'self') holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { proxy: { '/admin': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000', '/oauth': 'http://127.0.0.1:3000' } },
  test: {
    name: 'console',
    environment: 'happy-dom',
    include: ['src/**/*.spec.{ts,tsx}'],
    restoreMocks: true,
    setupFiles: ['src/test-setup.ts'],
  },
});
