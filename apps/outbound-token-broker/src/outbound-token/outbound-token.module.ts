import { Module } from '@nestjs/common';
import type { Clock } from '@tessera/observability';
import { CLOCK } from '@tessera/runtime';
import { LEASE_HOLDER, OutboundTokenStore, SqlOutboundTokenStore } from './outbound-token.store.js';

/** The stored outbound token, shared by providers/, refresh/ and tokens/. */
@Module({
  providers: [
    // One holder per process: a replacement after a crash is a new holder, so the dead one's leases lapse with its beats.
    { provide: LEASE_HOLDER, useFactory: (clock: Clock) => clock.uuid(), inject: [CLOCK] },
    { provide: OutboundTokenStore, useClass: SqlOutboundTokenStore },
  ],
  exports: [OutboundTokenStore],
})
export class OutboundTokenModule {}
