import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { RotateClientKeyRequest, Subjects, type PlatformClientKeyList } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ADMIN, PermissionGuard, RequirePermission, VIEWER } from '../http/permission.guard.js';
import { Answers } from '../openapi/decorators.js';

/** The keys this platform signs its client assertions with when it calls other platforms (P2PI with private_key_jwt). */
@Controller('admin/client-keys')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class ClientKeysController {
  constructor(private readonly bus: BusClient) {}

  @RequirePermission(VIEWER)
  @Answers(200, "This platform's client keys (public parts only) and the JWKS URL other platforms register for it")
  @Get()
  list(): Promise<PlatformClientKeyList> {
    return this.bus.call(Subjects.registry.clientKey.list, {});
  }

  /** A new key, published at once and signing after the overlap; the current one stays published until its assertions expire. */
  @Answers(200, 'Rotate: a new key published now, signing after activateAfterSeconds; the old one retired after its last assertion expires')
  @Post('rotate')
  @HttpCode(200)
  rotate(@Body() body: RotateClientKeyRequest): Promise<PlatformClientKeyList> {
    return this.bus.call(Subjects.registry.clientKey.rotate, body);
  }
}
