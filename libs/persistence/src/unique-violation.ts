import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE for a unique constraint or index refusing a row. */
const UNIQUE_VIOLATION = '23505';

/**
 * Whether a statement failed on a unique constraint (a name or id already taken), so a service can answer 409 instead
 * of 500. With `constraint`, only when that constraint (or a column it names in the error's detail) is the one violated.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string; detail?: string } | undefined;
  if (driverError?.code !== UNIQUE_VIOLATION) return false;
  return constraint === undefined || `${driverError.constraint ?? ''} ${driverError.detail ?? ''}`.includes(constraint);
}
