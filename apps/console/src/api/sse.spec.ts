import { describe, expect, it } from 'vitest';
import { SseParser, type ServerSentEvent } from './sse';

describe('SseParser', () => {
  it('assembles events split across chunks, skipping comments and heartbeats', () => {
    const events: ServerSentEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push(': connected\n\nid: 1\nevent: tessera.events.registry.integration.created\nda');
    parser.push('ta: {"id":"1"}\n\n: heartbeat\n\n');
    parser.push('data: line one\r\ndata: line two\r\n\r\n');
    expect(events).toEqual([
      { id: '1', event: 'tessera.events.registry.integration.created', data: '{"id":"1"}' },
      { id: '1', event: 'message', data: 'line one\nline two' },
    ]);
  });
});
