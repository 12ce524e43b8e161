#!/usr/bin/env node
// Records each catalog template's version and content hash in catalog.lock.json (npm run catalog:lock). Refuses a
// template whose content changed while its version did not: providers made from it would never be offered the change.
import { existsSync, writeFileSync } from 'node:fs';
import { loadCatalog } from './catalog.js';
import { LOCK_FILE, nextLock, readLock } from './lock.js';
import { describeProblem } from './problem.js';

const catalog = loadCatalog();
const { lock, problems } = nextLock(catalog.templates(), existsSync(LOCK_FILE) ? readLock() : {});
if (problems.length) {
  for (const p of problems) console.error(describeProblem(p));
  process.exit(1);
}
writeFileSync(LOCK_FILE, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`catalog.lock.json: ${Object.keys(lock).length} templates`);
