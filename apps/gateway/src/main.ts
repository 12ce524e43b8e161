import 'reflect-metadata';
import { runServiceProcess } from '@tessera/runtime';
import { SERVICE_NAME, startGateway } from './index.js';

await runServiceProcess(SERVICE_NAME, (runtime) => startGateway(runtime));
