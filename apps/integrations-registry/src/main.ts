import 'reflect-metadata';
import { runServiceProcess } from '@tessera/service-runtime';
import { SERVICE_NAME, startIntegrationsRegistry } from './index.js';

await runServiceProcess(SERVICE_NAME, startIntegrationsRegistry);
