import { createRequire } from 'node:module';
import type * as OpenApiTypescript from 'openapi-typescript';
import type TypeScript from 'typescript';
import { requireWithCodeCache } from '../cache/code-cache.js';

// Through require(), not import(): Node's ESM loader reads a package without a "type" field (the
// TypeScript compiler) twice before running it, once to guess its module format and once to list its
// exports, which more than doubles the cost of loading the compiler (~0.4 s -> ~0.15 s).
const require = createRequire(import.meta.url);

let loaded: typeof OpenApiTypescript | undefined;

/**
 * openapi-typescript (its CommonJS build, the same code), loaded on first use: it loads the TypeScript
 * compiler, a large share of a run's startup, and a regeneration whose types all come from the cache
 * never needs either.
 */
export async function loadOpenApiTypescript(): Promise<typeof OpenApiTypescript> {
  typescriptCompiler(); // the one openapi-typescript requires, loaded with V8's cached code
  loaded ??= require('openapi-typescript') as typeof OpenApiTypescript;
  return loaded;
}

/** The library, for synchronous code that runs after loadOpenApiTypescript(). */
export function openApiTypescript(): typeof OpenApiTypescript {
  if (!loaded) throw new Error('openapi-typescript is used before loadOpenApiTypescript()');
  return loaded;
}

/** The TypeScript compiler, loaded on first use (the one openapi-typescript uses). */
export function typescriptCompiler(): typeof TypeScript {
  return requireWithCodeCache(require, 'typescript') as typeof TypeScript;
}
