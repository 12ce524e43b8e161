import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configurationReference } from './reference.js';

// `npm run docs:config`: writes docs/configuration.md from the configuration's own definitions.
const target = fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url));
writeFileSync(target, configurationReference());
console.log(`wrote ${target}`);
