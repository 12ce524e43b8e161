/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Drives the built admin console in Debian's Chromium (/usr/bin/chromium; .ci/run installs it). Screenshots go into
// docs/screenshots with CONSOLE_SCREENSHOTS=1 (to refresh the docs), else into a temporary folder, so a test run
// leaves the tree clean.
const ROOT = resolve(import.meta.dirname, '../../../..');
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : join(tmpdir(), 'tessera-console-screenshots');
const CHROMIUM = '/usr/bin/chromium';

export interface ConsoleBrowser {
  context: BrowserContext;
  page: Page;
  /** Script errors and console errors seen so far (CSP violations are reported as console errors). */
  problems: string[];
  shoot(name: string, target?: Page): Promise<void>;
  close(): Promise<void>;
}

/** Bundles the console only if its sources changed since the last build (what `npm start` and `npm test` do). */
export function buildConsole(): void {
  const build = spawnSync(process.execPath, ['tools/build.mjs', 'apps/console'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`console build failed: ${build.stderr}`);
}

export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  // A fresh, empty profile each run (Playwright passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return {
    context,
    page,
    problems,
    shoot: async (name, target = page) => {
      await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
