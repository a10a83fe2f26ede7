import type * as OpenApiTypescript from 'openapi-typescript';

let loaded: typeof OpenApiTypescript | undefined;

/**
 * openapi-typescript, imported on first use: it loads the TypeScript compiler, a large share of a run's
 * startup, and a regeneration whose types all come from the cache never needs either.
 */
export async function loadOpenApiTypescript(): Promise<typeof OpenApiTypescript> {
  loaded ??= await import('openapi-typescript');
  return loaded;
}

/** The library, for synchronous code that runs after loadOpenApiTypescript(). */
export function openApiTypescript(): typeof OpenApiTypescript {
  if (!loaded) throw new Error('openapi-typescript is used before loadOpenApiTypescript()');
  return loaded;
}
