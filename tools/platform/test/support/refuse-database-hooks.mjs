// Module resolution hooks (node:module register) that refuse TypeORM, pg and pg's own packages.
export const REFUSED = /^(typeorm|pg|pg-pool|pg-protocol|pg-connection-string|@tessera\/persistence|@tessera\/service-runtime)(\/|$)/;

export async function resolve(specifier, context, nextResolve) {
  if (REFUSED.test(specifier)) throw new Error(`refused module: ${specifier} (this process must not load TypeORM or pg)`);
  return nextResolve(specifier, context);
}
