import { Events, EventsByOwner } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { defaultReplicas, streamOf, streamsHolding } from './event-streams.js';

describe('the event streams', () => {
  it('stores every owned event in exactly one stream: token.issued with the notices, every other in the changes', () => {
    for (const subject of Object.values(EventsByOwner).flatMap((owned) => Object.values(owned) as string[])) {
      const holding = streamsHolding('p', subject);
      expect(holding, subject).toHaveLength(1);
      expect(streamOf('p', subject)?.name).toBe(subject === Events.tokenIssued ? 'TESSERA_NOTICES_p' : 'TESSERA_EVENTS_p');
    }
    expect(streamOf('', 'tessera.events.nobody.happened')).toBeUndefined();
  });

  it('a feed of everything reads both streams; a feed of one branch only the one holding it', () => {
    expect(streamsHolding('', 'tessera.events.>').map((s) => s.name)).toEqual(['TESSERA_EVENTS', 'TESSERA_NOTICES']);
    expect(streamsHolding('', 'tessera.events.registry.integration.>').map((s) => s.name)).toEqual(['TESSERA_EVENTS']);
    expect(streamsHolding('', Events.tokenRevoked).map((s) => s.name)).toEqual(['TESSERA_EVENTS']);
  });

  it('replicates three times on a cluster of three or more servers, once otherwise', () => {
    expect(defaultReplicas({})).toBe(1);
    expect(defaultReplicas({ cluster: 'c', connect_urls: ['a:4222', 'b:4222'] })).toBe(1);
    expect(defaultReplicas({ cluster: 'c', connect_urls: ['a:4222', 'b:4222', 'c:4222'] })).toBe(3);
  });
});
