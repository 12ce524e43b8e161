import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { BusError, fieldMessages } from '@tessera/contracts';
import { validate } from 'class-validator';
import { messageInstance } from './message-instance.js';
import { memoizeValidationMetadata } from './validation-metadata.js';

const NOT_A_MESSAGE_CLASS: unknown[] = [Object, String, Number, Boolean, Array];

/**
 * Validates every message where it is received: a `@Payload()` declared as a contracts class (class-validator
 * decorators) is checked and handed over as an instance of it; a bad one answers `validation_failed` with a message
 * per field. Unknown properties are refused rather than ignored, so a typo in a field name is an error the sender
 * sees, not a silently dropped value. Registered for every handler of a service (`bootMicroservice`).
 */
@Injectable()
export class MessageValidationPipe implements PipeTransform {
  constructor() {
    memoizeValidationMetadata();
  }

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    // Nest names a `@Payload()` parameter 'body' (its RpcParamtype shares the number of RouteParamtypes.BODY); `@Ctx()` is 'custom'.
    if (metadata.type !== 'body' || !type || NOT_A_MESSAGE_CLASS.includes(type)) return value;
    // An absent message is an empty one: lists take no fields, and anything else then names what it lacks.
    const payload = value ?? {};
    if (typeof payload !== 'object' || Array.isArray(payload)) {
      throw new BusError('validation_failed', 'The message body must be a JSON object', { body: ['must be a JSON object'] });
    }
    const instance = messageInstance(type as new () => object, payload);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length) throw new BusError('validation_failed', 'The request has invalid fields', fieldMessages(errors));
    // Postgres text cannot hold U+0000: such a value would fail deep in a query as a 500, so it is refused here as a 400.
    const withNul = fieldsWithNul(instance);
    if (withNul.length) {
      throw new BusError(
        'validation_failed',
        'The request has invalid fields',
        Object.fromEntries(withNul.map((field) => [field, [`${field} must not contain NUL characters`]])),
      );
    }
    return instance;
  }
}

function fieldsWithNul(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || 'body'] : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => fieldsWithNul(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key));
}
