import { describe, expect, it } from 'vitest';
import { isAssetPath } from '../console/console-files.js';
import { SEQUENCE_HEADER } from '@tessera/messaging';
import { replayMs, resumeAfter, serverSentEvent } from './events-stream.controller.js';

describe('event stream', () => {
  it('writes an event as one server-sent event with its id and type', () => {
    const text = serverSentEvent({ id: 'e1', type: 'tessera.events.auth.token.revoked', occurredAt: '2026-11-20T12:00:00.000Z', data: { note: 'two\nlines' } });
    expect(text).toBe(
      'id: e1\nevent: tessera.events.auth.token.revoked\ndata: {"id":"e1","type":"tessera.events.auth.token.revoked","occurredAt":"2026-11-20T12:00:00.000Z","data":{"note":"two\\nlines"}}\n\n',
    );
  });

  it('names an event by its place in the stream when the bus gives one, so Last-Event-ID resumes after it', () => {
    const event = { id: 'e1', type: 'tessera.events.auth.token.revoked', occurredAt: '2026-11-20T12:00:00.000Z', data: {} };
    expect(serverSentEvent(event, { [SEQUENCE_HEADER]: '42' })).toMatch(/^id: 42\n/);
    expect(resumeAfter('42')).toBe(42);
    expect(resumeAfter(' 42 ')).toBe(42);
    expect(resumeAfter('e1')).toBeUndefined();
    expect(resumeAfter(undefined)).toBeUndefined();
  });

  it('replays at most an hour, and nothing for a missing or bad value', () => {
    expect(replayMs('600')).toBe(600_000);
    expect(replayMs('86400')).toBe(3_600_000);
    expect(replayMs(undefined)).toBe(0);
    expect(replayMs('-5')).toBe(0);
    expect(replayMs('soon')).toBe(0);
  });
});

describe('console files', () => {
  it('serves files as files and every other path as the app', () => {
    expect(isAssetPath('assets/index-C4JqQYMw.js')).toBe(true);
    expect(isAssetPath('favicon.ico')).toBe(true);
    expect(isAssetPath('integrations/6f1c1f9e-2c49-4d0e-9f0a-1b2c3d4e5f60')).toBe(false);
    expect(isAssetPath('')).toBe(false);
  });
});
