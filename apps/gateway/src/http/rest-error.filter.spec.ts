import { NotFoundException } from '@nestjs/common';
import { BusError } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { httpStatusFor } from './rest-error.filter.js';

describe('httpStatusFor: services raise codes, the gateway picks the status', () => {
  it.each([
    [BusError.oauth('invalid_client', 'no'), 401],
    [BusError.oauth('invalid_grant', 'no'), 400],
    [BusError.oauth('unauthorized_client', 'no'), 400],
    [BusError.oauth('temporarily_unavailable', 'later'), 503],
    [new BusError('validation_failed', 'bad'), 400],
    [new BusError('not_found', 'gone'), 404],
    [new BusError('conflict', 'taken'), 409],
    [new BusError('rate_limited', 'slow down'), 429],
    [new BusError('unavailable', 'down'), 503],
    [new BusError('internal', 'bug'), 500],
    [new NotFoundException(), 404],
    [Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }), 400],
    [new Error('anything else'), 500],
  ])('%s → %i', (error, status) => {
    expect(httpStatusFor(error)).toBe(status);
  });
});
