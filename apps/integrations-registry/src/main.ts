import 'reflect-metadata';
import { runServiceProcess } from '@tessera/runtime';
import { SERVICE_NAME, startIntegrationsRegistry } from './index.js';

await runServiceProcess(SERVICE_NAME, startIntegrationsRegistry);
