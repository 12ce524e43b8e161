import { Module } from '@nestjs/common';
import { PlatformClientKeyStore, SqlPlatformClientKeyStore } from './platform-client-key.store.js';
import { PlatformClientKeysHandler } from './platform-client-keys.handler.js';
import { PlatformClientKeysService } from './platform-client-keys.service.js';

@Module({
  controllers: [PlatformClientKeysHandler],
  providers: [PlatformClientKeysService, { provide: PlatformClientKeyStore, useClass: SqlPlatformClientKeyStore }],
})
export class PlatformClientKeysModule {}
