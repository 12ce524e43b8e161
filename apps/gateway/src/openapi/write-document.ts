import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_FILE, documentText, offlineDocument } from './offline.js';

// `npm run openapi`: writes docs/openapi.json (or the path given) from the gateway's code.
const target = process.argv[2] ?? fileURLToPath(DOCUMENT_FILE);
writeFileSync(target, documentText(await offlineDocument()));
console.log(`wrote ${target}`);
