import { type CanActivate, Injectable } from '@nestjs/common';

/**
 * Guards every /admin route. This is the one swappable piece for admin authentication: the integrations issue
 * replaces it with bearer-token checks for the `*:platform=admin` permission.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
