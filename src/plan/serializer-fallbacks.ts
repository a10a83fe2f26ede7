import fastJson from 'fast-json-stringify';
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
 * once: GitHub's 2,829 serialized responses have 476 distinct schemas.
 */
export function reportSerializerFallbacks(resources: readonly Resource[], schemas: readonly SchemaDefinition[]): Diagnostic[] {
  // Registered as the generated app registers them (src/dto/schemas.gen.ts).
  const registered = schemas.map((s) => ({ $id: s.id, ...(typeof s.schema === 'boolean' ? {} : s.schema) }));
  const outcomes = new Map<string, { refusal: unknown }>();
  const build: BuildSerializer = (schema, options) => {
    const key = JSON.stringify(schema);
    let outcome = outcomes.get(key);
    if (outcome === undefined) {
      try {
        (fastJson as unknown as BuildSerializer)(schema, options);
        outcome = { refusal: undefined };
      } catch (error) {
        outcome = { refusal: error };
      }
      outcomes.set(key, outcome);
    }
    if (outcome.refusal !== undefined) throw outcome.refusal;
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
