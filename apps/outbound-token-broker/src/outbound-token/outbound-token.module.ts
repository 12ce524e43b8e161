import { Module } from '@nestjs/common';
import { OutboundTokenStore, SqlOutboundTokenStore } from './outbound-token.store.js';

/** The stored outbound token, shared by providers/, refresh/ and tokens/. */
@Module({
  providers: [{ provide: OutboundTokenStore, useClass: SqlOutboundTokenStore }],
  exports: [OutboundTokenStore],
})
export class OutboundTokenModule {}
