import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { EmittedFile } from '../../emit/emit-files.js';
import { FileReader } from '../file-reader.js';
import { hashContent, MANIFEST_PATH, parseManifest } from '../manifest.js';
import { applyEdits, lineOf, offsetAfterEdits, type TextEdit } from './text-edits.js';

export interface ExtendedFile {
  content: string;
  /** What was added, for the summary (`+ orders registration`). */
  additions: string[];
}

export interface UserFileExtension {
  /** New content of user-owned files that exist and gained something, by path. */
  extended: Map<string, ExtendedFile>;
  diagnostics: Diagnostic[];
}

interface Candidate {
  file: EmittedFile;
  current: string;
  /** The generated version changed since the last run (its hash is not the one the manifest recorded). */
  generatedChanged: boolean;
  /** The generated base it extends (`x.gen.ts` beside `x.ts`), before and after this run, when it changed or the user's file overrides a changed operation. */
  base?: { previous: string; next: string };
}

/**
 * User-owned TypeScript files are never rewritten, only extended: what the new generated version adds
 * (a resource's registration and imports in the composition root, a class, a member) is inserted into
 * the user's text, an override of an operation that left the spec is marked @deprecated, and when an
 * override's base method changed or left, the user's code is type-checked against the new bases.
 * Only files whose generated version or base changed since the last run are looked at, so a run that
 * changes nothing (or nothing the user's files build on) costs a read of each and no parsing.
 */
export async function extendUserFiles(files: readonly EmittedFile[], outDir: string, changedOperations: ReadonlySet<string> = new Set(), reader = new FileReader(outDir)): Promise<UserFileExtension> {
  const candidates = await findCandidates(files, outDir, changedOperations, reader);
  if (candidates.length === 0) return { extended: new Map(), diagnostics: [] };

  // ts-morph (and the compiler it bundles) loads only for a run that has something to extend.
  const [{ Project }, { mergeStructurally }, { baseChanges, findOverrides }] = await Promise.all([
    import('ts-morph'),
    import('./structural-merge.js'),
    import('./deprecate-overrides.js'),
  ]);
  const project = new Project({ useInMemoryFileSystem: true, skipFileDependencyResolution: true });
  const parse = (version: string, path: string, text: string) => project.createSourceFile(`/${version}/${path}`, text, { overwrite: true });

  const extended = new Map<string, ExtendedFile>();
  const diagnostics: Diagnostic[] = [];
  const toCheck = new Set<string>();
  for (const { file, current, generatedChanged, base } of candidates) {
    const existing = parse('current', file.path, current);
    if (hasSyntaxErrors(existing)) {
      diagnostics.push(warning('SCF049', 'has syntax errors, so what the new generated version adds to it was not added', { file: file.path }, 'fix the syntax errors and run again'));
      continue;
    }
    const edits: TextEdit[] = [];
    const additions: string[] = [];
    // Reported lines are those of the file as this run leaves it.
    const reports: { offset: number; diagnostic: (line: number) => Diagnostic }[] = [];
    if (generatedChanged) {
      const merge = mergeStructurally(existing, parse('generated', file.path, file.content));
      edits.push(...merge.edits);
      additions.push(...merge.additions);
      for (const stale of merge.staleRegistrations) {
        toCheck.add(file.path);
        reports.push({
          offset: stale.offset,
          diagnostic: (line) => warning(
            'SCF046',
            `"${stale.name}" in ${stale.table} is no longer generated (its resource left the spec): this registration no longer type-checks`,
            { file: file.path, line },
            'delete the registration and the imports only it uses once you have moved what you still need; scaffold does not delete your code',
          ),
        });
      }
      for (const call of merge.unplacedCalls) {
        diagnostics.push(
          warning('SCF049', `the new generated version calls ${call.name}, which was not added to this file: ${call.reason}`, { file: file.path }, `add the call as a new project's ${file.path} has it`),
        );
      }
    }
    if (base) {
      const basePath = baseOf(file.path);
      const changes = baseChanges(parse('previous', basePath, base.previous), parse('generated', basePath, base.next));
      const overrides = findOverrides(existing, changes, changedOperations);
      edits.push(...overrides.edits);
      if (overrides.affected.length > 0) toCheck.add(file.path);
      for (const found of overrides.deprecated) {
        additions.push(`@deprecated ${found.method}`);
        reports.push({
          offset: found.offset,
          diagnostic: (line) => warning('SCF045', `${found.className}.${found.method} overrides ${found.operation}, which left the spec: it is no longer called and was marked @deprecated`, { file: file.path, line }, 'move what you still need, then delete the method; scaffold does not delete your code'),
        });
      }
    }
    const content = applyEdits(current, edits);
    if (content !== current) extended.set(file.path, { content, additions: summarizeImports(additions) });
    for (const report of reports) diagnostics.push(report.diagnostic(lineOf(content, offsetAfterEdits(edits, report.offset))));
  }

  if (toCheck.size > 0) {
    const { typeCheckUserCode } = await import('./type-check-user-code.js');
    const contents = new Map([...extended].map(([path, file]) => [path, file.content]));
    diagnostics.push(...typeCheckUserCode(outDir, files, contents, [...toCheck]));
  }
  return { extended, diagnostics };
}

/**
 * User-owned .ts files on disk whose generated version or generated base changed since the last run,
 * or that mention a method whose operation changed in a breaking way (its types may have changed
 * while the base's text did not).
 */
async function findCandidates(files: readonly EmittedFile[], outDir: string, changedOperations: ReadonlySet<string>, reader: FileReader): Promise<Candidate[]> {
  const recorded = await readFile(join(outDir, MANIFEST_PATH), 'utf8').then(parseManifest, () => undefined);
  const hashes = new Map((recorded?.files ?? []).map((entry) => [entry.path, entry.hash]));
  const byPath = new Map(files.map((file) => [file.path, file]));
  const userFiles = files.filter((file) => file.owner === 'user' && file.path.endsWith('.ts') && !file.path.endsWith('.d.ts'));
  reader.prefetch(userFiles.flatMap((file) => [file.path, baseOf(file.path)]));
  const read = (path: string) => reader.read(path);
  const candidates: Candidate[] = [];
  for (const file of userFiles) {
    const current = await read(file.path);
    if (current === undefined) continue;
    const generatedChanged = current !== file.content && hashes.get(file.path) !== hashContent(file.content);
    const nextBase = byPath.get(baseOf(file.path));
    const previousBase = nextBase && nextBase.owner === 'generator' ? await read(nextBase.path) : undefined;
    const mentionsChanged = [...changedOperations].some((method) => current.includes(`${method}(`));
    const base = nextBase && previousBase !== undefined && (previousBase !== nextBase.content || mentionsChanged) ? { previous: previousBase, next: nextBase.content } : undefined;
    if (generatedChanged || base) candidates.push({ file, current, generatedChanged, ...(base && { base }) });
  }
  return candidates;
}

/** `+ import A`, `+ import B, C` -> `+ 3 imports`: the summary names what was wired, the diff shows the rest. */
function summarizeImports(additions: string[]): string[] {
  const imports = additions.filter((addition) => addition.startsWith('+ import '));
  if (imports.length === 0) return additions;
  const count = imports.reduce((sum, addition) => sum + addition.split(',').length, 0);
  return [...additions.filter((addition) => !imports.includes(addition)), count === 1 ? (imports[0] ?? '') : `+ ${count} imports`];
}

/** `src/services/pets.service.ts` -> `src/services/pets.service.gen.ts`. */
function baseOf(path: string): string {
  return path.replace(/\.ts$/, '.gen.ts');
}

/** The parser's own findings (not exposed by ts-morph without building a program). */
function hasSyntaxErrors(file: { compilerNode: object }): boolean {
  const parsed = file.compilerNode as { parseDiagnostics?: unknown[] };
  return (parsed.parseDiagnostics?.length ?? 0) > 0;
}
