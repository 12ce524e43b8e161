import { BusError, RegisterInstanceRequest } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { MessageValidationPipe } from './message-validation.pipe.js';

const pipe = new MessageValidationPipe();
const asPayload = { type: 'body', metatype: RegisterInstanceRequest } as const;
const failure = (value: unknown) =>
  pipe.transform(value, asPayload).then(
    () => undefined,
    (error: unknown) => error,
  );

describe('MessageValidationPipe', () => {
  it('hands over a valid payload as an instance of its contracts class', async () => {
    const message = await pipe.transform({ name: 'acme', baseUrl: 'https://acme.example' }, asPayload);
    expect(message).toBeInstanceOf(RegisterInstanceRequest);
    expect(message).toEqual({ name: 'acme', baseUrl: 'https://acme.example' });
  });

  it('answers validation_failed with a message per field', async () => {
    const error = await failure({ name: 'Not A Name' });
    expect(error).toBeInstanceOf(BusError);
    expect(error).toMatchObject({ code: 'validation_failed', details: { name: [expect.any(String)], baseUrl: expect.any(Array) } });
  });

  it('refuses unknown properties, NUL characters and a body that is not an object', async () => {
    expect(await failure({ name: 'acme', baseUrl: 'https://acme.example', extra: 1 })).toMatchObject({
      code: 'validation_failed',
      details: { extra: [expect.any(String)] },
    });
    expect(await failure({ name: 'acme', baseUrl: 'https://acme.example/\u0000' })).toMatchObject({
      code: 'validation_failed',
      details: { baseUrl: expect.any(Array) },
    });
    expect(await failure([1])).toMatchObject({ code: 'validation_failed', details: { body: ['must be a JSON object'] } });
  });

  it('leaves alone what is not a payload of a contracts class (@Ctx(), an untyped or interface payload)', async () => {
    const context = { subject: 'x' };
    expect(await pipe.transform(context, { type: 'custom', metatype: RegisterInstanceRequest })).toBe(context);
    expect(await pipe.transform(context, { type: 'body', metatype: Object })).toBe(context);
    expect(await pipe.transform(context, { type: 'body' })).toBe(context);
  });
});
