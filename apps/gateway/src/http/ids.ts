import { NotFoundException, ParseUUIDPipe } from '@nestjs/common';

/** An id that is not even a UUID names nothing: 404, like any unknown id. */
export const notFoundUnlessUuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException({ error: 'not_found', message: 'Nothing has that id' }) });
