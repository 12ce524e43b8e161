// Development only (imports ajv and prettier, which production does not install): the source of
// generated/template-validator.ts, compiled ahead of time from the JSON Schema. Compiling the schema with ajv at start-up
// costs far more than the 100 ms the whole catalog may add to it; the compiled validator costs almost nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { format, resolveConfig } from 'prettier';
import { TEMPLATE_SCHEMA_URL } from './schema-url.js';

type StandaloneCode = (ajv: Ajv2020, validate: ReturnType<Ajv2020['compile']>) => string;

export const GENERATED_VALIDATOR = fileURLToPath(new URL('../src/generated/template-validator.ts', import.meta.url));

const HEADER = `/* eslint-disable */
// @ts-nocheck
// GENERATED from ../../schema/provider-template.schema.json by \`npm run catalog:schema\` (ajv standalone). Do not edit:
// change the schema and regenerate; the catalog's spec fails while this file and the schema disagree.
import { equal, ucs2length } from './validator-runtime.js';
`;

/** The validator module for the current schema, formatted as the repository formats TypeScript. */
export async function validatorSource(): Promise<string> {
  const schema = JSON.parse(readFileSync(TEMPLATE_SCHEMA_URL, 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, code: { source: true, esm: true } });
  // ajv/dist/standalone is CommonJS: imported from ESM, its function is the module's `default` export.
  const compile = (standaloneCode as unknown as { default: StandaloneCode }).default;
  const code = compile(ajv, ajv.compile(schema));
  const body = code
    .replace(/^"use strict";/, '')
    .replace(/const (func\d+) = require\("ajv\/dist\/runtime\/equal"\)\.default;?/g, 'const $1 = equal;')
    .replace(/const (func\d+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;?/g, 'const $1 = ucs2length;');
  if (/require\(/.test(body)) throw new Error('the compiled validator needs an ajv runtime helper that validator-runtime.ts does not provide');
  const config = (await resolveConfig(GENERATED_VALIDATOR)) ?? {};
  return format(HEADER + body, { ...config, parser: 'typescript' });
}
