import type { PlatformOptions } from '../../src/index.js';

/** The broker options every broker test platform runs with, the shared one too: a fast refresh scheduler. */
export const TEST_BROKER_OPTIONS: NonNullable<PlatformOptions['broker']> = { scheduler: { pollMs: 100 } };
