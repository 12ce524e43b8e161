import 'reflect-metadata';
import { Controller, Get, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { describe, expect, it } from 'vitest';
import { Answers } from '../src/openapi/decorators.js';
import { buildOpenApiDocument } from '../src/openapi/document.js';

/** The document of an app made of these controllers alone (never listening). */
async function documentOf(...controllers: Type[]) {
  @Module({ controllers })
  class Routes {}
  const app = await NestFactory.create(Routes, new FastifyAdapter(), { logger: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

@Controller('admin/unlisted')
class UnlistedController {
  @Answers(200, 'A JSON answer no route in HTTP_API describes')
  @Get()
  read() {
    return {};
  }
}

@Controller('admin/users')
class UsersOnlyController {
  @Answers(200, 'List the administrators')
  @Get()
  list() {
    return { items: [] };
  }
}

describe('the route table and the routes agree, or there is no document', () => {
  it('refuses a JSON route that HTTP_API does not name', async () => {
    await expect(documentOf(UnlistedController)).rejects.toThrow('GET /admin/unlisted answers JSON but has no route in HTTP_API');
  });

  it('refuses an HTTP_API route that the gateway lacks', async () => {
    await expect(documentOf(UsersOnlyController)).rejects.toThrow(/HTTP_API \(libs\/contracts\) names routes the gateway lacks: .*post \/admin\/users/);
  });
});
