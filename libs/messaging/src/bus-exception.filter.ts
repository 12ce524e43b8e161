import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands every error a bus handler throws to BusServer unchanged. Without it Nest's default RPC filter replaces
 * anything that is not an RpcException (our typed BusError included) with a generic "Internal server error", so a
 * 404 or 409 from a domain service would reach the gateway as a 500. BusServer maps the error to its payload.
 */
@Catch()
export class BusExceptionPassThrough implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
