import { BadRequestException, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/** Query parameters are counts, offsets and limits: none is meaningful beyond a 32-bit integer, and SQL refuses more. */
const QUERY_LIMIT = 2 ** 31 - 1;

function firstOutOfRange(value: unknown, limit: number, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return !Number.isFinite(value) || Math.abs(value) > limit ? path || 'value' : undefined;
  if (!value || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = firstOutOfRange(inner, limit, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Gateway-wide range rule, after validation has turned strings into numbers: a number in a query beyond ±(2³¹−1), or
 * one in a body that is not finite or not exactly representable (beyond 2⁵³), is a 400 naming the field — never a
 * database error (`?offset=9223372036854775807` once reached Postgres and answered 500).
 */
export class BoundedNumbersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'query' && metadata.type !== 'body') return value;
    const field = firstOutOfRange(
      value,
      metadata.type === 'query' ? QUERY_LIMIT : Number.MAX_SAFE_INTEGER,
      metadata.type === 'query' && metadata.data ? metadata.data : '',
    );
    if (field)
      throw new BadRequestException({
        error: 'validation_failed',
        message: 'The request has invalid fields',
        fields: { [field]: [`${field} is out of range`] },
      });
    return value;
  }
}
