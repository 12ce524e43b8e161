#!/usr/bin/env node
// Regenerates generated/template-validator.ts from the schema (npm run catalog:schema).
import { writeFileSync } from 'node:fs';
import { GENERATED_VALIDATOR, validatorSource } from './validator-source.js';

writeFileSync(GENERATED_VALIDATOR, await validatorSource());
console.log(`wrote ${GENERATED_VALIDATOR}`);
