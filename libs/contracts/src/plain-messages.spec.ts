import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, validate } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { fieldMessages } from './validation.js';

class Sample {
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsOptional() @IsInt() @Min(0) @Max(2592000) graceSeconds?: number;
  @IsOptional() @Matches(/^[a-z]+$/, { message: 'slug must be lowercase letters' }) slug?: string;
}

async function messages(body: object) {
  return fieldMessages(await validate(plainToInstance(Sample, body), { whitelist: true, forbidNonWhitelisted: true }));
}

describe('field messages', () => {
  it('say one plain thing per field, the type before the length or range', async () => {
    expect(await messages({ name: 'x'.repeat(201), graceSeconds: '300' })).toEqual({
      name: ['must be at most 200 characters'],
      graceSeconds: ['must be a number'],
    });
    expect(await messages({ name: 7 })).toEqual({ name: ['must be text'] });
    expect(await messages({ name: '' })).toEqual({ name: ['must not be empty'] });
    expect(await messages({})).toEqual({ name: ['is required'] });
    expect(await messages({ name: 'a', graceSeconds: 1.5 })).toEqual({ graceSeconds: ['must be a whole number'] });
    expect(await messages({ name: 'a', graceSeconds: -1 })).toEqual({ graceSeconds: ['must be at least 0'] });
    expect(await messages({ name: 'a', graceSeconds: 3e9 })).toEqual({ graceSeconds: ['must be at most 2592000'] });
  });

  it('keeps a decorator’s own words without the field name, and names an unknown field as such', async () => {
    expect(await messages({ name: 'a', slug: 'A1' })).toEqual({ slug: ['must be lowercase letters'] });
    expect(await messages({ name: 'a', colour: 'red' })).toEqual({ colour: ['is not a field this request takes'] });
  });
});
