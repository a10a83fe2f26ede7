import { contentHash } from '../cache/content-hash.js';
import fastJson from 'fast-json-stringify';
import { packageVersion } from '../cache/package-version.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { escapePointer } from '../model/operations.js';
import { isSuperLinearPattern } from '../model/pattern.js';
import type { Operation, Resource, SchemaDefinition } from '../model/types.js';
import type { SpecPieceHashes } from '../load/check-spec.js';
import { codeFingerprint } from '../cache/code-fingerprint.js';
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
 * each verdict under the schema, the components it resolves against and fast-json-stringify's version,
 * and, with the spec's piece hashes, each operation's warnings under its path item's hash and the rest's
 * (its responses are built from nothing else), so only the operations of changed items are looked at.
 */
export function reportSerializerFallbacks(resources: readonly Resource[], schemas: readonly SchemaDefinition[], cache: RunCache = noRunCache(), pieceHashes?: SpecPieceHashes): Diagnostic[] {
  // Registered as the generated app registers them (src/dto/schemas.gen.ts).
  const registered = schemas.map((s) => ({ $id: s.id, ...(typeof s.schema === 'boolean' ? {} : s.schema) }));
  let keyParts: string[] | undefined; // on first use: hashing every schema costs, and a run whose operations all hit needs none
  const build: BuildSerializer = (schema, options) => {
    keyParts ??= ['fast-json-stringify', FAST_JSON_STRINGIFY_VERSION, contentHash(JSON.stringify(registered))];
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

  const operationKeyParts = pieceHashes && ['serializer-fallbacks', codeFingerprint(), FAST_JSON_STRINGIFY_VERSION, pieceHashes.rest];
  const diagnostics: Diagnostic[] = [];
  for (const resource of resources) {
    for (const operation of resource.operations) {
      const itemHash = pieceHashes?.paths.get(operation.path);
      if (operationKeyParts && itemHash !== undefined) {
        const warnings = cache.memoSync(operationKeyParts, `${operation.path}\0${operation.method}\0${itemHash}`, () => JSON.stringify(fallbacksOf(operation, registered, build)));
        diagnostics.push(...(JSON.parse(warnings) as Diagnostic[]));
      } else diagnostics.push(...fallbacksOf(operation, registered, build));
    }
  }
  return diagnostics;
}

/** One SCF012 warning per response of the operation that the serializer's fallback sends. */
function fallbacksOf(operation: Operation, registered: readonly { $id: string }[], build: BuildSerializer): Diagnostic[] {
  const unused = () => () => '';
  const diagnostics: Diagnostic[] = [];
  for (const [key, response] of Object.entries(serializedResponses(operation))) {
    const schema = JSON.parse(JSON.stringify(response.schema)) as JsonSchema;
    const { fallback } = compileResponseSerializer(schema, registered, build, unused, isSuperLinearPattern);
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
  return diagnostics;
}

const FAST_JSON_STRINGIFY_VERSION = packageVersion('fast-json-stringify');
