import { join } from 'node:path';
import ts from 'typescript';

/**
 * Type-checks generated projects in this process, as `tsc --noEmit` would, parsing their shared
 * dependencies (the TypeScript libs, one install of fastify, vitest...) once for all of them, as an
 * editor's language service does: a project after the first costs a quarter of a `tsc` process.
 * Returns the formatted diagnostics of a project (none: it type-checks).
 */
export function createTypeChecker(): (projectDir: string) => string[] {
  const dependencies = new Map<string, ts.SourceFile>();
  const formatHost: ts.FormatDiagnosticsHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };
  return (projectDir) => {
    const problems: ts.Diagnostic[] = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(join(projectDir, 'tsconfig.json'), undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => problems.push(d) });
    if (!parsed) return problems.map((d) => ts.formatDiagnostic(d, formatHost));
    const host = ts.createCompilerHost(parsed.options);
    const read = host.getSourceFile.bind(host);
    // Only files under node_modules are shared: they resolve to the same real path in every project.
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      if (!fileName.includes('/node_modules/')) return read(fileName, languageVersion, onError, shouldCreate);
      let file = dependencies.get(fileName);
      if (!file) {
        file = read(fileName, languageVersion, onError, shouldCreate);
        if (file) dependencies.set(fileName, file);
      }
      return file;
    };
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host, configFileParsingDiagnostics: parsed.errors });
    return [...parsed.errors, ...ts.getPreEmitDiagnostics(program)].map((d) => ts.formatDiagnostic(d, formatHost));
  };
}
