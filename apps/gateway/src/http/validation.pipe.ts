import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { fieldMessages } from '@tessera/contracts';

/** 400 with a message per field, the same shape as validation errors that come back from a service. */
export const restValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) =>
    new BadRequestException({ error: 'validation_failed', message: 'The request has invalid fields', fields: fieldMessages(errors) }),
});
