import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Project, ts } from 'ts-morph';
import { warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { EmittedFile } from '../../emit/emit-files.js';

/**
 * Type-checks user-owned files as they will be after this run (the new generated files, the extended
 * user files, everything else as on disk), with the project's tsconfig and node_modules. Each error in
 * one of `paths` is a place where a changed operation reaches the user's code.
 */
export function typeCheckUserCode(outDir: string, files: readonly EmittedFile[], extended: ReadonlyMap<string, string>, paths: readonly string[]): Diagnostic[] {
  if (!existsSync(join(outDir, 'node_modules')) || !existsSync(join(outDir, 'tsconfig.json'))) {
    return [
      {
        code: 'SCF048',
        severity: 'info',
        message: `the type check of your code was skipped: the project has no node_modules (${paths.join(', ')} may need an edit)`,
        hint: 'run `npm install`, then `npx tsc --noEmit` to see where the changed operations reach your code',
      },
    ];
  }
  const project = new Project({ tsConfigFilePath: join(outDir, 'tsconfig.json') });
  for (const file of files) {
    if (!file.path.endsWith('.ts')) continue;
    const absolute = join(outDir, file.path);
    const content = extended.get(file.path) ?? (file.owner === 'generator' || !project.getSourceFile(absolute) ? file.content : undefined);
    if (content !== undefined) project.createSourceFile(absolute, content, { overwrite: true });
  }
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const source = project.getSourceFile(join(outDir, path));
    if (!source) continue;
    for (const found of source.getPreEmitDiagnostics()) {
      if (found.getCategory() !== ts.DiagnosticCategory.Error) continue;
      const start = found.getStart() ?? 0;
      const { line, column } = source.getLineAndColumnAtPos(start);
      const message = ts.flattenDiagnosticMessageText(found.compilerObject.messageText, ' ');
      diagnostics.push(
        warning('SCF047', `${message} (TS${found.getCode()})`, { file: relative(outDir, source.getFilePath()), line, column }, 'a generated base changed under this code: adapt it to the new signature'),
      );
    }
  }
  return diagnostics;
}
