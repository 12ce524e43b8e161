import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from './unique-violation.js';

const failure = (driverError: object) => new QueryFailedError('INSERT …', [], Object.assign(new Error('failed'), driverError));

describe('isUniqueViolation', () => {
  it('is true for SQLSTATE 23505 and false for other failures and other errors', () => {
    expect(isUniqueViolation(failure({ code: '23505', constraint: 'integration_name_key' }))).toBe(true);
    expect(isUniqueViolation(failure({ code: '23503' }))).toBe(false);
    expect(isUniqueViolation(new Error('23505'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });

  it('with a constraint, matches it in the constraint name or the detail', () => {
    const onApplicationId = failure({ code: '23505', constraint: 'UQ_x', detail: 'Key (application_id)=(a) already exists.' });
    expect(isUniqueViolation(onApplicationId, 'application_id')).toBe(true);
    expect(isUniqueViolation(onApplicationId, 'name')).toBe(false);
  });
});
