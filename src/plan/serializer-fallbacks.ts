import { createHash } from 'node:crypto';
import fastJson from 'fast-json-stringify';
import { packageVersion } from '../cache/package-version.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { escapePointer } from '../model/operations.js';
import type { Resource, SchemaDefinition } from '../model/types.js';
import { compileResponseSerializer, type BuildSerializer, type JsonSchema } from '../shared/response-serializer.js';
import { serializedResponses } from './route-entry.js';

/**
 * The responses the generated project will send through the serializer's fallback (undeclared
 * properties stripped, then JSON.stringify) instead of fast-json-stringify: one SCF012 warning each.
 *
 * The decision is the project's own: src/shared/response-serializer.ts, which the project receives
 * verbatim, run on the same schemas (parsed from the JSON the project is generated with) in the order
 * Fastify compiles them, routes as routes.gen.ts lists them and each route's responses in the order of
 * its `schema.response` keys. fast-json-stringify's answer for a schema depends on nothing else (its
 * references resolve against the same components every time), so each distinct schema is compiled
 * once: GitHub's 2,829 serialized responses have 476 distinct schemas. Across runs the cache keeps
 * each verdict under the schema, the components it resolves against and fast-json-stringify's version.
 */
export function reportSerializerFallbacks(resources: readonly Resource[], schemas: readonly SchemaDefinition[], cache: RunCache = noRunCache()): Diagnostic[] {
  // Registered as the generated app registers them (src/dto/schemas.gen.ts).
  const registered = schemas.map((s) => ({ $id: s.id, ...(typeof s.schema === 'boolean' ? {} : s.schema) }));
  const keyParts = ['fast-json-stringify', FAST_JSON_STRINGIFY_VERSION, createHash('sha256').update(JSON.stringify(registered)).digest('hex')];
  const build: BuildSerializer = (schema, options) => {
    // '' when it compiles, else why not (its error message, which the fallback's reason quotes).
    const refusal = cache.memoSync(keyParts, JSON.stringify(schema), () => {
      try {
        (fastJson as unknown as BuildSerializer)(schema, options);
        return '';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
    if (refusal !== '') throw new Error(refusal);
    return () => '';
  };
  const unused = () => () => '';

  const diagnostics: Diagnostic[] = [];
  for (const resource of resources) {
    for (const operation of resource.operations) {
      for (const [key, response] of Object.entries(serializedResponses(operation))) {
        const schema = JSON.parse(JSON.stringify(response.schema)) as JsonSchema;
        const { fallback } = compileResponseSerializer(schema, registered, build, unused);
        if (fallback === undefined) continue;
        const served = key === response.status.toLowerCase() ? response.status : `${response.status} (served as ${key})`;
        diagnostics.push(
          warning(
            'SCF012',
            `${operation.method.toUpperCase()} ${operation.path} (operationId ${operation.operationId}), ${served} ${response.mediaType}: serialized by the fallback (undeclared properties stripped, then JSON.stringify) because ${fallback}`,
            { pointer: `/paths/${escapePointer(operation.path)}/${operation.method}/responses/${response.status}/content/${escapePointer(response.mediaType)}/schema` },
            'nothing undeclared is sent either way, but the fallback is slower; see SCF012 in docs/diagnostics.md',
          ),
        );
      }
    }
  }
  return diagnostics;
}

const FAST_JSON_STRINGIFY_VERSION = packageVersion('fast-json-stringify');
