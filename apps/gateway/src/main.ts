import 'reflect-metadata';
import { runProcess } from '@tessera/runtime';
import { SERVICE_NAME, startGateway } from './index.js';

// The gateway opens no database: NATS_URL is all it needs, and nothing of TypeORM or pg is loaded (gateway-process test).
await runProcess(SERVICE_NAME, { opensDatabase: false }, (runtime) => startGateway(runtime));
