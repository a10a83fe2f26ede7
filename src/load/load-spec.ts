import { resolve } from 'node:path';
import type { NormalizedProblem } from '@redocly/openapi-core';
import { contentHash } from '../cache/content-hash.js';
import { packageVersion } from '../cache/package-version.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import { error, fail, ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { checkSpec, SPEC_RULES, type LocatedProblem, type SpecPieceHashes, type SpecSource } from './check-spec.js';
import { DesignReferences } from './design-references.js';
import { designRootOf } from './design-root.js';
import { createProblemPositions } from './problem-position.js';
import { escapeKeys, unescapeKeys, unescapeMessage, unescapePointer } from './redocly-keys.js';
import { isJsonText, parseText, readDocument } from './read-document.js';
import { findRefLoop, MAX_CHAIN } from './ref-loops.js';
import { findNonStringRef } from './ref-values.js';
import { unresolvedRefMessage } from './unresolved-ref.js';
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

export interface LoadSpecOptions {
  cache?: RunCache;
  /** The spec's content, read instead of its file. */
  text?: string | undefined;
  /** The design folder (`--design`): references may reach any file in it; without it, the spec's folder only. */
  designFolder?: string | undefined;
  /** Fetch `http(s)://` references (`--allow-remote-refs`); off, they are refused (SCF008). */
  allowRemoteRefs?: boolean | undefined;
}

/**
 * Reads, checks and bundles an OpenAPI 3.0/3.1 file (or `text`, given as that file's content). Every
 * problem is reported with a location; nothing downstream ever sees an invalid document. The cache
 * lets a regeneration re-check only the path items that changed (src/load/check-spec.ts). Files the
 * spec references are read only inside its design root, URLs only when allowed (design-references.ts).
 */
export async function loadSpec(specPath: string, { cache = noRunCache(), text, designFolder, allowRemoteRefs = false }: LoadSpecOptions = {}): Promise<LoadedSpec> {
  const path = resolve(specPath);
  const file = text === undefined ? await readDocument(path, 'the spec') : { path, text, value: parseText(path, text) };
  const version = detectVersion(path, file.value);

  const source: SpecSource = { absoluteRef: path, body: file.text };
  await refuseNonStringRef(file.value, source);
  await refuseRefLoop(file.value, source);
  const references = new DesignReferences({ root: designRootOf(path, designFolder), allowRemote: allowRemoteRefs });
  const checked = await redocly(path, () => checkSpec(source, file.value as Record<string, unknown>, cache, references));
  const toDiagnostic = await diagnosticsOf(checked.problems, references, { path, value: file.value });
  const problems = checked.problems.map((problem) => ({ problem, diagnostic: toDiagnostic(problem) }));
  // A refused reference is an error wherever it is, vendor extensions included.
  const refused = ({ diagnostic }: (typeof problems)[number]) => diagnostic.code !== 'SCF005' && diagnostic.code !== 'SCF006';
  const errors = problems.filter((p) => refused(p) || (p.problem.severity === 'error' && !isTolerated(p.problem))).map((p) => p.diagnostic);
  if (errors.length > 0) throw new ScaffoldError(errors);
  const warnings: Diagnostic[] = problems.filter((p) => isTolerated(p.problem)).map((p) => ({ ...p.diagnostic, code: 'SCF105' as const, severity: 'warning' as const }));
  warnings.push(...references.unreported(path));
  if (checked.selfContained) return { path, document: file.value as OpenApiDocument, version, warnings, fingerprint: contentHash(YAML_VERSION, isJsonText(path, file.text) ? 'json' : 'yaml', file.text), ...(checked.pieceHashes && { pieceHashes: checked.pieceHashes }) };

  const { bundle, createConfig, Source } = await import('@redocly/openapi-core');
  const config = await createConfig({ rules: SPEC_RULES });
  const doc = { source: new Source(path, file.text), parsed: escapeKeys(file.value) };
  const externalRefResolver = await references.redoclyResolver();
  const bundled = await redocly(path, () => bundle({ config, doc, dereference: false, externalRefResolver }));
  const bundleProblems = bundled.problems.map((problem) => locatedProblem(problem, source)).filter((p) => p.severity === 'error' && !isTolerated(p));
  const bundleErrors = bundleProblems.map(await diagnosticsOf(bundleProblems, references, { path, value: file.value }));
  if (bundleErrors.length > 0) throw new ScaffoldError(bundleErrors);
  return { path, document: unescapeKeys(bundled.bundle.parsed) as OpenApiDocument, version, warnings: [...warnings, ...references.unreported(path)] };
}

/** A `$ref` whose value is not a string, located (SCF005). */
async function refuseNonStringRef(document: unknown, source: SpecSource): Promise<void> {
  const pointer = findNonStringRef(document);
  if (pointer === undefined) return;
  const problem: LocatedProblem = { ruleId: 'ref-value', severity: 'error', message: '', pointer, reportOnKey: false, source };
  const { location } = (await diagnosticsOf([problem]))(problem);
  fail('SCF005', '`$ref` must be a string: a reference such as `#/components/schemas/Pet` or `pet.yaml`', location);
}

/** A `$ref` that leads back to itself, located (SCF015): Redocly would throw on it. */
async function refuseRefLoop(document: unknown, source: SpecSource): Promise<void> {
  const loop = findRefLoop(document);
  if (!loop) return;
  const problem: LocatedProblem = { ruleId: 'ref-loop', severity: 'error', message: '', pointer: loop.pointer, reportOnKey: false, source };
  const { location } = (await diagnosticsOf([problem]))(problem);
  if (loop.tooLong) {
    fail('SCF015', `this $ref (${loop.chain[0]}) starts a chain of more than ${MAX_CHAIN} $refs that each name only the next`, location, 'point the $refs at the schema the chain ends in');
  }
  fail(
    'SCF015',
    `this $ref leads back to itself through references only (${[...loop.chain, loop.chain[0]].join(' -> ')}), so it describes no value`,
    location,
    'point it at a schema; a schema may contain a $ref to itself (a property, items), which is recursion',
  );
}

/**
 * Runs Redocly, turning what it throws on loops across files into a diagnostic (SCF015); loops inside
 * the spec are found before (refuseRefLoop), with their place.
 */
async function redocly<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    if (cause instanceof Error && /circular pointer/i.test(cause.message)) {
      fail('SCF015', 'a $ref leads back to itself through references only (across files), so it describes no value', { file: path }, 'point each $ref at a schema');
    }
    if (cause instanceof RangeError) fail('SCF015', 'the design nests too deep to be checked (its files and references together)', { file: path });
    throw cause;
  }
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

/**
 * Turns Redocly's problems into diagnostics located by file, pointer, line and column; a reference
 * `references` refused, into its own; an unresolved `$ref` of the spec's own file, into one that names
 * it and the nearest thing it may have meant.
 */
async function diagnosticsOf(problems: readonly LocatedProblem[], references?: DesignReferences, spec?: { path: string; value: unknown }): Promise<(problem: LocatedProblem) => Diagnostic> {
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
    if (problem.pointer === undefined) return (code === 'SCF006' && references?.diagnosticOf(problem.message, undefined)) || error(code, problem.message);
    const lineCol = safeLineCol({ ...problem, pointer: problem.pointer });
    const location = {
      file: problem.source.absoluteRef,
      pointer: problem.pointer,
      ...(lineCol && { line: lineCol.line, column: lineCol.col }),
    };
    if (code === 'SCF005') return error(code, problem.message, location);
    const named = spec && problem.source.absoluteRef === spec.path ? unresolvedRefMessage(problem.pointer, spec.value) : undefined;
    return references?.diagnosticOf(problem.message, location) ?? error(code, named ?? problem.message, location);
  };
}
