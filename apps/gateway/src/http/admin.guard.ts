import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

export const PERMISSION_KEY = 'tessera:permission';
export const ADMIN_PERMISSION = '*:platform=admin';

/** Declares the permission (scope) a route needs, e.g. `@RequirePermission('*:tokens=read')`. */
export const RequirePermission = (permission: string) => SetMetadata(PERMISSION_KEY, permission);

/**
 * Guards routes that declare a permission (every /admin route declares `*:platform=admin`). This is the one
 * swappable piece for authentication: the integrations issue replaces its body with bearer-token verification.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const permission = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [context.getHandler(), context.getClass()]);
    return permission === undefined || true;
  }
}
