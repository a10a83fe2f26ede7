import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { ts } from 'ts-morph';

/** One import of a module: what it names, where (1-based line), and whether it vanishes at runtime. */
export interface ModuleImport {
  specifier: string;
  line: number;
  typeOnly: boolean;
  /** The project file a relative specifier names (`src/a.ts`), when it exists. */
  target?: string;
}

export interface ProjectModule {
  /** Project-relative POSIX path. */
  path: string;
  imports: ModuleImport[];
  /** Classes declared at the top level, with their line. */
  classes: { name: string; line: number }[];
  /** The `operationId: '...'` properties it declares (the route table's entries). */
  routedOperations: string[];
}

/** Every `.ts` file under `dir` of the project (POSIX paths relative to the project), sorted. */
export async function listTypeScriptFiles(project: string, dir: string): Promise<string[]> {
  if (!existsSync(join(project, dir))) return [];
  const found: string[] = [];
  for (const entry of await readdir(join(project, dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listTypeScriptFiles(project, path)));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found.sort();
}

/**
 * Reads the imports and classes of the project's modules with the TypeScript parser (no type check:
 * syntax is enough, and it needs no node_modules).
 */
export async function readModules(project: string, paths: readonly string[]): Promise<ProjectModule[]> {
  const known = new Set(paths);
  return Promise.all(
    paths.map(async (path) => {
      const source = ts.createSourceFile(path, await readFile(join(project, path), 'utf8'), ts.ScriptTarget.Latest, true);
      const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const imports: ModuleImport[] = [];
      const classes: ProjectModule['classes'] = [];
      const routedOperations: string[] = [];
      const add = (literal: ts.Node, typeOnly: boolean) => {
        if (!ts.isStringLiteralLike(literal)) return;
        const target = resolveRelative(path, literal.text, known);
        imports.push({ specifier: literal.text, line: lineOf(literal), typeOnly, ...(target && { target }) });
      };
      const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyImport(node));
        else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier, node.isTypeOnly);
        else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
        else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) add(node.arguments[0], false);
        else if (ts.isClassDeclaration(node) && node.name && node.parent === source) classes.push({ name: node.name.text, line: lineOf(node.name) });
        else if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'operationId' && ts.isStringLiteralLike(node.initializer)) routedOperations.push(node.initializer.text);
        ts.forEachChild(node, visit);
      };
      visit(source);
      return { path, imports, classes, routedOperations };
    }),
  );
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** `./x.js` from `src/a/b.ts` -> `src/a/x.ts` (or `src/a/x/index.ts`) when the project has it. */
function resolveRelative(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = posix.join(posix.dirname(from), specifier).replace(/\.(?:js|ts|mjs)$/, '');
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
}

/**
 * The import cycles among modules (runtime imports only: a type-only import is erased and cannot
 * form a cycle at load time). Each cycle is a list of modules, each importing the next, the last the first.
 */
export function findCycles(modules: readonly ProjectModule[]): string[][] {
  const edges = new Map(modules.map((m) => [m.path, [...new Set(m.imports.filter((i) => !i.typeOnly && i.target !== undefined).map((i) => i.target as string))].sort()]));
  // Tarjan's strongly connected components; a component of two or more modules (or a self-import) is a cycle.
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string): void => {
    order.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!order.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, order.get(next) as number));
    }
    if (low.get(node) !== order.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (edges.get(node) ?? []).includes(node)) cycles.push(cycleThrough(component, edges));
  };
  for (const node of [...edges.keys()].sort()) if (!order.has(node)) connect(node);
  return cycles;
}

/** A cycle of a strongly connected component, in import order: from its first module back to it (breadth first: the shortest). */
function cycleThrough(component: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const next of edges.get(node) ?? []) {
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0] as string) as string);
        return path;
      }
      if (members.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}
