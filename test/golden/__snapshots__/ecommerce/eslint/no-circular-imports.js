import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * `guidelines/no-circular-imports`: no module imports itself back through other modules, the rule
 * `scaffold check` verifies under the same name. Reported at each import that leads back to the linted
 * file, with the cycle: `Import cycle: src/a.ts -> src/b.ts -> src/a.ts`.
 *
 * Modules are read as `scaffold check` reads them, with the TypeScript parser: only relative
 * specifiers name project modules (`./x.js` is `./x.ts` or `./x/index.ts`), and type-only imports do
 * not count, the compiler erases them.
 */

/**
 * Each module's runtime imports, read once per ESLint process; the linted file's own entry is
 * refreshed from its text, so an editor sees its unsaved edits (a module changed on disk by other
 * means is read anew by the next ESLint process).
 * @type {Map<string, { text: string, imports: ModuleImport[] }>}
 */
const modules = new Map();

/**
 * A runtime import of a project module: the module's path, and where the import is written (offsets).
 * @typedef {object} ModuleImport
 * @property {string} target
 * @property {number} start
 * @property {number} end
 */

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles among the project modules' },
    messages: { cycle: 'Import cycle: {{cycle}}.' },
    schema: [],
  },
  create(context) {
    const { filename: file, sourceCode } = context;
    return {
      Program() {
        const { text } = sourceCode;
        if (modules.get(file)?.text !== text) modules.set(file, { text, imports: readImports(file, text) });
        // Modules a failed search explored cannot lead back to this file: later searches skip them.
        const leadNowhere = new Set();
        const reported = new Set();
        for (const { target, start, end } of importsOf(file)) {
          if (reported.has(target)) continue;
          const path = pathBetween(target, file, leadNowhere);
          if (!path) continue;
          reported.add(target);
          const cycle = [file, ...path].map((module) => relative(context.cwd, module).split(sep).join('/'));
          const loc = { start: sourceCode.getLocFromIndex(start), end: sourceCode.getLocFromIndex(end) };
          context.report({ loc, messageId: 'cycle', data: { cycle: cycle.join(' -> ') } });
        }
      },
    };
  },
};

/** @returns {ModuleImport[]} */
function importsOf(file) {
  let module = modules.get(file);
  if (!module) {
    const text = readFileSync(file, 'utf8');
    module = { text, imports: readImports(file, text) };
    modules.set(file, module);
  }
  return module.imports;
}

/**
 * The shortest chain of imports from `from` to `to` (both included), or undefined when there is none
 * (then every module it went through joins `leadNowhere`).
 */
function pathBetween(from, to, leadNowhere) {
  const cameFrom = new Map([[from, undefined]]);
  const queue = [from];
  for (let module = queue.shift(); module !== undefined; module = queue.shift()) {
    if (module === to) {
      const path = [];
      for (let step = module; step !== undefined; step = cameFrom.get(step)) path.unshift(step);
      return path;
    }
    for (const { target } of importsOf(module)) {
      if (cameFrom.has(target) || leadNowhere.has(target)) continue;
      cameFrom.set(target, module);
      queue.push(target);
    }
  }
  for (const module of cameFrom.keys()) leadNowhere.add(module);
  return undefined;
}

/** @returns {ModuleImport[]} */
function readImports(file, text) {
  // Only a relative specifier names a project module; large generated files (the spec's types) have none.
  if (!/[`'"]\.\.?[`'"/]/.test(text)) return [];
  // No parent links, no JSDoc: what an import list needs, at half the parse time on large generated files.
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  const source = ts.createSourceFile(file, text, options, false);
  const imports = [];
  const add = (node, specifier) => {
    const target = specifier && ts.isStringLiteralLike(specifier) ? resolveModule(file, specifier.text) : undefined;
    if (target) imports.push({ target, start: node.getStart(source), end: node.getEnd() });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      if (!isTypeOnly(node.importClause)) add(node, node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node)) {
      if (!node.isTypeOnly) add(node, node.moduleSpecifier);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return imports;
}

/** `import type { A }` and `import { type A, type B }` are erased; `import './x.js'` is not. */
function isTypeOnly(clause) {
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/** `./x.js` from `src/a.ts` -> `src/x.ts` (or `src/x/index.ts`) when it exists. */
function resolveModule(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = join(dirname(from), specifier).replace(/\.(?:js|ts|mjs)$/, '');
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}
