// Preloaded with `node --import` by the gateway-process test: the process fails at once, naming the module, if
// anything in it loads TypeORM or pg, whether by ESM import (the hooks) or by a CommonJS require (Module._load).
import { createRequire, register } from 'node:module';
import { REFUSED } from './refuse-database-hooks.mjs';

register('./refuse-database-hooks.mjs', import.meta.url);

const Module = createRequire(import.meta.url)('node:module');
const load = Module._load;
Module._load = function refusingLoad(request, ...rest) {
  if (REFUSED.test(request)) throw new Error(`refused module: ${request} (this process must not load TypeORM or pg)`);
  return load.call(this, request, ...rest);
};
