import { BusError, Events } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { envelopeProblem, judgeFailure, MAX_DELIVERIES, MAX_HANDLER_FAILURES } from './consumer-policy.js';

const subject = 'tessera.events.integration.created';
const envelope = { id: '0b7c1b8e-5a39-4f55-9d6b-3f3c1e0c2a11', type: subject, occurredAt: '2026-12-01T10:00:00.000Z', data: {} };

describe('what a durable consumer does with a message', () => {
  it('takes only a well-formed envelope of the kind its subject carries', () => {
    expect(envelopeProblem(envelope, subject)).toBeUndefined();
    for (const bad of [
      null,
      'text',
      [envelope],
      { ...envelope, id: undefined },
      { ...envelope, id: 'x' },
      { ...envelope, occurredAt: 'now' },
      { ...envelope, data: null },
    ])
      expect(envelopeProblem(bad, subject), JSON.stringify(bad)).toBeDefined();
    expect(envelopeProblem(envelope, 'tessera.events.audit.recorded')).toMatch(/published on/);
  });

  it("takes only a payload that fits its kind's contracts class, nested fields included", () => {
    const revoked = { ...envelope, type: Events.tokenRevoked };
    const data = { clientId: 'c1', reason: 'admin', revokedAt: '2026-12-01T10:00:00.000Z', expiresAt: '2026-12-01T11:00:00.000Z' };
    expect(envelopeProblem({ ...revoked, data }, Events.tokenRevoked)).toBeUndefined();
    expect(envelopeProblem({ ...revoked, data: { ...data, newerField: 1 } }, Events.tokenRevoked)).toBeUndefined();
    expect(envelopeProblem({ ...revoked, data: {} }, Events.tokenRevoked)).toMatch(/^data: .*clientId/);
    expect(envelopeProblem({ ...revoked, data: { ...data, clientRevision: '999' } }, Events.tokenRevoked)).toMatch(/clientRevision/);
    expect(envelopeProblem({ ...revoked, data: { ...data, reason: 'because' } }, Events.tokenRevoked)).toMatch(/reason/);
    const change = { integrationId: 'i', applicationId: 'a', name: 'n', enabled: true, permissions: [], change: 'updated', revision: 2 };
    const updated = { ...envelope, type: Events.integrationUpdated };
    expect(envelopeProblem({ ...updated, data: change }, Events.integrationUpdated)).toBeUndefined();
    expect(envelopeProblem({ ...updated, data: { ...change, previous: { enabled: 'yes', permissions: [] } } }, Events.integrationUpdated)).toMatch(
      /enabled.*at previous\.enabled/,
    );
  });

  it('sets aside at once what its handler refuses, after a few tries what keeps failing, and waits out an outage', () => {
    expect(judgeFailure(new BusError('validation_failed', 'bad'), 1)).toMatchObject({ kind: 'dead', reason: 'rejected' });
    expect(judgeFailure(new Error('bug'), 1)).toMatchObject({ kind: 'retry', quiet: false });
    expect(judgeFailure(new Error('bug'), 2)).toMatchObject({ kind: 'retry', quiet: true });
    expect(judgeFailure(new Error('bug'), MAX_HANDLER_FAILURES)).toMatchObject({ kind: 'dead', reason: 'failed' });
    const outage = new BusError('unavailable', 'database down');
    expect(judgeFailure(outage, MAX_HANDLER_FAILURES * 10)).toMatchObject({ kind: 'retry', quiet: true, delayMs: 30_000 });
    expect(judgeFailure(outage, MAX_DELIVERIES)).toMatchObject({ kind: 'dead', reason: 'failed' });
  });
});
