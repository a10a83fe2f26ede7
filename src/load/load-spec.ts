import { resolve } from 'node:path';
import type { NormalizedProblem } from '@redocly/openapi-core';
import { contentHash } from '../cache/content-hash.js';
import { packageVersion } from '../cache/package-version.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { error, fail, ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { checkSpec, SPEC_RULES, type LocatedProblem, type SpecPieceHashes, type SpecSource } from './check-spec.js';
import { createProblemPositions } from './problem-position.js';
import { escapeKeys, escapeParsedDocuments, unescapeKeys, unescapeMessage, unescapePointer } from './redocly-keys.js';
import { isJsonText, parseText, readDocument } from './read-document.js';
import type { OpenApiDocument } from './openapi-types.js';

/** The output of the load stage: one self-contained document, every external `$ref` bundled in. */
export interface LoadedSpec {
  path: string;
  /** The spec as written, for serving it back unchanged at /openapi.json (other files it references bundled in, nothing dereferenced). */
  document: OpenApiDocument;
  version: '3.0' | '3.1';
  warnings: Diagnostic[];
  /**
   * For a spec in one file, a hash of its text and of how it was parsed: equal fingerprints mean equal
   * documents, which is far cheaper to know than by serializing a large document. Undefined for a
   * bundled spec (its document also depends on the files it references).
   */
  fingerprint?: string;
  /** For a spec in one file cut into pieces, hashes of the pieces (per-operation work is keyed by them). */
  pieceHashes?: SpecPieceHashes;
}

/**
 * Reads, checks and bundles an OpenAPI 3.0/3.1 file (or `text`, given as that file's content). Every
 * problem is reported with a location; nothing downstream ever sees an invalid document. The cache
 * lets a regeneration re-check only the path items that changed (src/load/check-spec.ts).
 */
export async function loadSpec(specPath: string, { cache = noRunCache(), text }: { cache?: RunCache; text?: string | undefined } = {}): Promise<LoadedSpec> {
  const path = resolve(specPath);
  const file = text === undefined ? await readDocument(path) : { path, text, value: parseText(path, text) };
  const version = detectVersion(path, file.value);

  const source: SpecSource = { absoluteRef: path, body: file.text };
  const checked = await checkSpec(source, file.value as Record<string, unknown>, cache);
  const toDiagnostic = await diagnosticsOf(checked.problems);
  const errors = checked.problems.filter((p) => p.severity === 'error' && !isTolerated(p)).map((p) => toDiagnostic(p));
  if (errors.length > 0) throw new ScaffoldError(errors);
  const warnings = checked.problems.filter(isTolerated).map((p) => ({ ...toDiagnostic(p), code: 'SCF105' as const, severity: 'warning' as const }));
  if (checked.selfContained) return { path, document: file.value as OpenApiDocument, version, warnings, fingerprint: contentHash(YAML_VERSION, isJsonText(path, file.text) ? 'json' : 'yaml', file.text), ...(checked.pieceHashes && { pieceHashes: checked.pieceHashes }) };

  const { BaseResolver, bundle, createConfig, Source } = await import('@redocly/openapi-core');
  const config = await createConfig({ rules: SPEC_RULES });
  const doc = { source: new Source(path, file.text), parsed: escapeKeys(file.value) };
  const bundled = await bundle({ config, doc, dereference: false, externalRefResolver: escapeParsedDocuments(new BaseResolver(config.resolve)) });
  const bundleProblems = bundled.problems.map((problem) => locatedProblem(problem, source)).filter((p) => p.severity === 'error' && !isTolerated(p));
  const bundleErrors = bundleProblems.map(await diagnosticsOf(bundleProblems));
  if (bundleErrors.length > 0) throw new ScaffoldError(bundleErrors);
  return { path, document: unescapeKeys(bundled.bundle.parsed) as OpenApiDocument, version, warnings };
}

const YAML_VERSION = packageVersion('yaml');

function locatedProblem(problem: NormalizedProblem, spec: SpecSource): LocatedProblem {
  const location = problem.location[0];
  return {
    ruleId: problem.ruleId,
    severity: problem.severity,
    message: unescapeMessage(problem.message),
    pointer: location?.pointer && unescapePointer(location.pointer),
    reportOnKey: location?.reportOnKey ?? false,
    source: location && location.source.absoluteRef !== spec.absoluteRef ? location.source : spec,
  };
}

/**
 * Deviations that real specs carry often and that have one obvious meaning, which the model stage
 * implements: 3.0 idioms in 3.1 documents (`nullable`, boolean `exclusiveMinimum`), `nullable` without
 * `type`, vendor extensions with a shape Redocly expects differently, and discriminator mappings by name.
 */
function isTolerated(problem: LocatedProblem): boolean {
  const pointer = problem.pointer ?? '';
  if (/\/x-[^/]*/.test(pointer)) return true;
  if (/\/discriminator\/mapping\//.test(pointer)) return true;
  if (/\/nullable$/.test(pointer)) return true;
  if (/\/exclusive(Minimum|Maximum)$/.test(pointer) && /boolean/.test(problem.message)) return true;
  if (insideSchema(pointer)) {
    // `examples` written as an OpenAPI examples map inside a schema: an annotation, dropped by the model stage.
    if (/\/examples$/.test(pointer)) return true;
    // Unknown keywords in a schema (often properties missing their `properties:`): JSON Schema ignores
    // unknown keywords (3.1 makes them annotations), and so do Ajv and the serializer.
    if (/^Property `[^`]*` is not expected here/.test(problem.message)) return true;
  }
  return false;
}

/** The pointer goes through a Schema Object (a `schema` of a media type or parameter, or a component schema). */
function insideSchema(pointer: string): boolean {
  return /\/(schema|schemas)\//.test(pointer);
}

function detectVersion(path: string, value: unknown): '3.0' | '3.1' {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('SCF004', 'the file does not hold an OpenAPI document (expected a mapping at the top level)', { file: path });
  }
  const record = value as Record<string, unknown>;
  if (typeof record.swagger === 'string' || typeof record.swagger === 'number') {
    fail(
      'SCF003',
      `this is a Swagger ${String(record.swagger)} document; scaffold reads OpenAPI 3.0 and 3.1`,
      { file: path, pointer: '/swagger' },
      'convert it first, for example with `npx swagger2openapi spec.yaml -o openapi.yaml`, then run scaffold on the result',
    );
  }
  const declared = record.openapi;
  if (declared === undefined) fail('SCF004', 'missing the `openapi` version field', { file: path, pointer: '/openapi' });
  const match = /^3\.([01])\.\d+/.exec(String(declared));
  if (!match) {
    fail('SCF004', `unsupported OpenAPI version ${JSON.stringify(declared)}; supported: 3.0.x and 3.1.x`, {
      file: path,
      pointer: '/openapi',
    });
  }
  return match[1] === '0' ? '3.0' : '3.1';
}

/** Turns Redocly's problems into diagnostics located by file, pointer, line and column. */
async function diagnosticsOf(problems: readonly LocatedProblem[]): Promise<(problem: LocatedProblem) => Diagnostic> {
  const located = problems.filter((p): p is LocatedProblem & { pointer: string } => p.pointer !== undefined);
  const positionOf = await createProblemPositions(located);
  const safeLineCol = (problem: LocatedProblem & { pointer: string }): { line: number; col: number } | undefined => {
    try {
      return positionOf(problem);
    } catch {
      return undefined; // a location we cannot map back to text still has its pointer
    }
  };
  return (problem) => {
    const code = problem.ruleId === 'no-unresolved-refs' ? 'SCF006' : 'SCF005';
    if (problem.pointer === undefined) return error(code, problem.message);
    const lineCol = safeLineCol({ ...problem, pointer: problem.pointer });
    return error(code, problem.message, {
      file: problem.source.absoluteRef,
      pointer: problem.pointer,
      ...(lineCol && { line: lineCol.line, column: lineCol.col }),
    });
  };
}
