import { fail } from '../diagnostics/diagnostic.js';
import { kebabCase, pascalCase, words } from '../model/naming.js';

/**
 * Line edits of the project's own files (src/app.ts, src/errors/*): one import and one line are
 * inserted next to their kind; every other byte stays as the user left it.
 */

/** The registration of middleware `name` in app.ts: its import after the last middleware import, its call after the last middleware registration. */
export function wireMiddleware(app: string, name: string, file = 'src/app.ts'): string {
  const fn = `register${pascalCase(name)}`;
  if (new RegExp(`\\b${fn}\\b`).test(app)) fail('SCF083', `${file} already uses ${fn}`, { file }, 'choose another middleware name');
  const lines = app.split('\n');
  const imports = lines.flatMap((line, i) => (/^import .* from '\.\/middlewares\/[^']+';$/.test(line) ? [i] : []));
  // A registration: a statement starting with (await) register...(app — the system and route registrations excepted.
  const calls = lines.flatMap((line, i) => (/^\s*(?:await\s+)?register(?!SystemRoutes|OperationRoutes)\w*\(app\b/.test(line) ? [i] : []));
  if (calls.length === 0) fail('SCF083', `${file} has no middleware registration (a register...(app) call) to add ${fn} next to`, { file }, `import ${fn} from './middlewares/${kebabCase(name)}.js' and call it yourself`);
  const lastCall = calls.at(-1)!;
  const indent = /^\s*/.exec(lines[lastCall]!)![0];
  lines.splice(lastCall + 1, 0, `${indent}await ${fn}(app);`);
  const importLine = `import { ${fn} } from './middlewares/${kebabCase(name)}.js';`;
  const lastImport = imports.at(-1) ?? lines.findLastIndex((line) => line.startsWith('import '));
  lines.splice(lastImport + 1, 0, importLine);
  return lines.join('\n');
}

export interface ErrorClass {
  className: string;
  code: string;
  base: 'AppError';
  file: string;
  status: number;
}

export function errorClass(name: string, status: number): ErrorClass {
  const base = pascalCase(name).replace(/Error$/, '');
  return { className: `${base}Error`, code: words(base).join('_').toUpperCase(), base: 'AppError', file: `${kebabCase(base)}.error.ts`, status };
}

/** Maps the class to its status in error-status.ts (the one table of statuses) and exports it from the errors index. */
export function mapError(statusTable: string, index: string, error: ErrorClass, file = 'src/errors/error-status.ts'): { statusTable: string; index: string } {
  if (new RegExp(`\\b${error.className}\\b`).test(statusTable)) fail('SCF083', `${file} already maps ${error.className}`, { file });
  const lines = statusTable.split('\n');
  const rows = lines.flatMap((line, i) => {
    const match = /^\s*\[(\w+), (\d{3})\],\s*$/.exec(line);
    return match ? [{ i, status: Number(match[2]) }] : [];
  });
  if (rows.length === 0) fail('SCF083', `${file} has no [ErrorClass, status] rows to add ${error.className} to`, { file }, `add [${error.className}, ${error.status}] to your status table yourself`);
  // In status order; a new class extends AppError directly, so no other row catches it first.
  const before = rows.find((row) => row.status > error.status) ?? { i: rows.at(-1)!.i + 1 };
  const indent = /^\s*/.exec(lines[rows[0]!.i]!)![0];
  lines.splice(before.i, 0, `${indent}[${error.className}, ${error.status}],`);
  const importEnd = lines.findIndex((line) => /^} from '\.\/app-error\.js';$/.test(line) || /^import .* from '\.\/app-error\.js';$/.test(line));
  lines.splice(importEnd + 1, 0, `import { ${error.className} } from './${error.file.replace(/\.ts$/, '.js')}';`);
  const exportLine = `export * from './${error.file.replace(/\.ts$/, '.js')}';`;
  return { statusTable: lines.join('\n'), index: index.includes(exportLine) ? index : `${index.replace(/\n?$/, '\n')}${exportLine}\n` };
}
