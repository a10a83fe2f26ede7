import {
  Node,
  SyntaxKind,
  type Block,
  type ClassDeclaration,
  type ExportDeclaration,
  type ExpressionStatement,
  type ImportDeclaration,
  type NamedExports,
  type NamedImports,
  type ObjectLiteralExpression,
  type SourceFile,
  type Statement,
} from 'ts-morph';
import { indentationAt, reindent, type TextEdit } from './text-edits.js';

/**
 * Object literals whose properties register one thing each (`controllers` in the composition root):
 * a resource that enters the spec gains a property there, one that leaves it leaves one behind.
 */
export const REGISTRATION_TABLES: readonly string[] = ['controllers'];

/**
 * Functions whose call, one statement in a function of the composition root, registers a concern with
 * the app (`registerIdempotencyKeys(app, store, options)` in `configureApp`): a spec that gains what
 * one registers gains the call, placed where the generated file has it.
 */
export const REGISTRATION_CALLS: readonly string[] = ['registerIdempotencyKeys'];

/** The generated house style: lines longer than this are broken the way prettier breaks them. */
const PRINT_WIDTH = 120;

export interface StructuralMerge {
  edits: TextEdit[];
  /** What was added, for the summary (`+ orders registration`, `+ import OrdersController`). */
  additions: string[];
  /** Registrations in the user's file that the new generated file no longer has (the resource left the spec). */
  staleRegistrations: { name: string; table: string; offset: number }[];
  /** Registration calls of the new generated file that could not be added to the user's, and why. */
  unplacedCalls: { name: string; reason: string }[];
}

/**
 * What the new generated version of a user-owned file has and the user's version lacks: top-level
 * declarations, class members, registrations, and the imports they need. Nothing the user's file has
 * is changed; a declaration, member or registration with a name the user's file already has is theirs,
 * whatever it now says.
 */
export function mergeStructurally(existing: SourceFile, generated: SourceFile): StructuralMerge {
  const text = existing.getFullText();
  const generatedText = generated.getFullText();
  const result: StructuralMerge = { edits: [], additions: [], staleRegistrations: [], unplacedCalls: [] };
  const inserted: Node[] = [];

  const declared = topLevelNames(existing);
  for (const statement of generated.getStatements()) {
    const names = namesDeclaredBy(statement);
    if (names.length === 0) continue;
    const mine = Node.isClassDeclaration(statement) ? existing.getClass(names[0] ?? '') : undefined;
    if (mine && Node.isClassDeclaration(statement)) {
      inserted.push(...addMissingMembers(mine, statement, text, generatedText, result));
      continue;
    }
    if (names.some((name) => declared.has(name))) continue;
    result.edits.push({ pos: text.length, text: `${text.endsWith('\n') ? '' : '\n'}\n${statement.getText(true)}\n` });
    result.additions.push(`+ ${names.join(', ')}`);
    inserted.push(statement);
  }

  for (const table of REGISTRATION_TABLES) {
    const theirs = objectLiteralNamed(generated, table);
    const mine = objectLiteralNamed(existing, table);
    if (!theirs || !mine) continue;
    inserted.push(...addMissingRegistrations(mine, theirs, table, text, generatedText, result));
  }

  for (const name of REGISTRATION_CALLS) {
    const theirs = registrationCall(generated, name);
    if (!theirs || callsFunction(existing, name)) continue;
    const added = addRegistrationCall(existing, theirs, name, text, generatedText, result);
    if (added) inserted.push(added);
  }

  addNeededImports(existing, generated, text, neededNames(inserted), result);
  addMissingExports(existing, generated, text, result);
  return result;
}

function addMissingMembers(mine: ClassDeclaration, theirs: ClassDeclaration, text: string, generatedText: string, result: StructuralMerge): Node[] {
  const have = new Set(mine.getMembers().map(memberKey));
  const missing = theirs.getMembers().filter((member) => !have.has(memberKey(member)));
  if (missing.length === 0) return [];
  const classIndent = indentationAt(text, mine.getStart());
  const last = mine.getMembers().at(-1);
  const indent = last ? indentationAt(text, last.getStart(true)) : `${classIndent}  `;
  const texts = missing.map((member) => indent + reindent(member.getText(true), indentationAt(generatedText, member.getStart(true)), indent));
  if (last) result.edits.push({ pos: last.getEnd(), text: texts.map((t) => `\n\n${t}`).join('') });
  else {
    const open = mine.getFirstChildByKindOrThrow(SyntaxKind.OpenBraceToken);
    result.edits.push({ pos: open.getEnd(), end: mine.getEnd() - 1, text: `\n${texts.join('\n\n')}\n${classIndent}` });
  }
  for (const member of missing) result.additions.push(`+ ${mine.getName() ?? 'class'}.${memberKey(member).replace(/^\w+:/, '')}`);
  return missing;
}

function addMissingRegistrations(
  mine: ObjectLiteralExpression,
  theirs: ObjectLiteralExpression,
  table: string,
  text: string,
  generatedText: string,
  result: StructuralMerge,
): Node[] {
  const theirNames = new Set(theirs.getProperties().map(propertyName));
  const myNames = new Set(mine.getProperties().map(propertyName));
  for (const property of mine.getProperties()) {
    const name = propertyName(property);
    if (name !== undefined && !theirNames.has(name)) result.staleRegistrations.push({ name, table, offset: property.getStart() });
  }
  const missing = theirs.getProperties().filter((property) => {
    const name = propertyName(property);
    return name !== undefined && !myNames.has(name);
  });
  if (missing.length === 0) return [];
  const open = mine.getStart();
  const close = mine.getEnd() - 1;
  const last = mine.getProperties().at(-1);
  const multiline = text.slice(open, close).includes('\n') || !last;
  const baseIndent = indentationAt(text, open);
  const indent = last && multiline ? indentationAt(text, last.getStart()) : `${baseIndent}  `;
  const texts = missing.map((property) => reindent(property.getText(), indentationAt(generatedText, property.getStart()), indent));
  if (!last) result.edits.push({ pos: open + 1, end: close, text: `\n${texts.map((t) => `${indent}${t},`).join('\n')}\n${baseIndent}` });
  else {
    const comma = /^\s*,/.exec(text.slice(last.getEnd()));
    if (!multiline) result.edits.push({ pos: last.getEnd(), text: texts.map((t) => `, ${t}`).join('') });
    else if (comma) result.edits.push({ pos: last.getEnd() + comma[0].length, text: texts.map((t) => `\n${indent}${t},`).join('') });
    else result.edits.push({ pos: last.getEnd(), text: texts.map((t) => `,\n${indent}${t}`).join('') });
  }
  for (const property of missing) result.additions.push(`+ ${propertyName(property)} registration`);
  return missing;
}

interface RegistrationCall {
  statement: ExpressionStatement;
  /** The function whose body holds the call (`configureApp`). */
  functionName: string;
  body: Block;
}

/** The statement `name(...);` directly in the body of a named top-level function, if the file has one. */
function registrationCall(file: SourceFile, name: string): RegistrationCall | undefined {
  for (const fn of file.getFunctions()) {
    const body = fn.getBody();
    const functionName = fn.getName();
    if (!body || !Node.isBlock(body) || functionName === undefined) continue;
    const statement = body.getStatements().find((candidate): candidate is ExpressionStatement => statementKey(candidate) === `call:${name}`);
    if (statement) return { statement, functionName, body };
  }
  return undefined;
}

/** Whether the file calls `name` anywhere (the user may have moved the call, or wrapped it). */
function callsFunction(file: SourceFile, name: string): boolean {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).some((call) => call.getExpression().getText() === name);
}

/**
 * Adds a registration call to the user's function of the same name, before the first statement that
 * follows it in the generated function and that the user's function has too (`const controllers`,
 * `registerOperationRoutes(...)`: the routes come after), else after the last one that precedes it.
 * The call is added only where the locals it uses (`app`, `config`, `database`...) are declared by then
 * under the same names; otherwise it is reported, not guessed.
 */
function addRegistrationCall(existing: SourceFile, theirs: RegistrationCall, name: string, text: string, generatedText: string, result: StructuralMerge): Node | undefined {
  const fail = (reason: string) => void result.unplacedCalls.push({ name, reason });
  const fn = existing.getFunction(theirs.functionName);
  const body = fn?.getBody();
  if (!fn || !body || !Node.isBlock(body)) return fail(`src/app.ts has no function ${theirs.functionName} to add it to`);
  const mine = body.getStatements();
  const generatedStatements = theirs.body.getStatements();
  const index = generatedStatements.indexOf(theirs.statement);
  const find = (statement: Statement) => {
    const key = statementKey(statement);
    return key === undefined ? undefined : mine.find((candidate) => statementKey(candidate) === key);
  };
  const next = generatedStatements.slice(index + 1).map(find).find((statement) => statement !== undefined);
  const previous = next ? undefined : generatedStatements.slice(0, index).map(find).filter((statement) => statement !== undefined).at(-1);
  const anchor = next ?? previous;
  if (!anchor) return fail(`none of the statements around it in the generated ${theirs.functionName} is in yours`);

  const locals = (declaringFn: { getParameters(): { getName(): string }[] }, statements: readonly Statement[]) =>
    new Set([...declaringFn.getParameters().map((parameter) => parameter.getName()), ...statements.flatMap(namesDeclaredBy)]);
  const generatedFn = theirs.statement.getFirstAncestorByKindOrThrow(SyntaxKind.FunctionDeclaration);
  const theirLocals = locals(generatedFn, generatedStatements.slice(0, index));
  const myLocals = locals(fn, mine.slice(0, mine.indexOf(anchor) + (next ? 0 : 1)));
  const used = new Set(theirs.statement.getDescendantsOfKind(SyntaxKind.Identifier).map((identifier) => identifier.getText()));
  const missing = [...theirLocals].filter((local) => used.has(local) && !myLocals.has(local));
  if (missing.length > 0) return fail(`it uses ${missing.join(', ')}, which your ${theirs.functionName} does not declare before ${next ? 'the routes' : 'that point'}`);

  const indent = indentationAt(text, anchor.getStart());
  const call = reindent(theirs.statement.getText(), indentationAt(generatedText, theirs.statement.getStart()), indent);
  result.edits.push(next ? { pos: lineStartBefore(anchor, text), text: `${indent}${call}\n` } : { pos: anchor.getEnd(), text: `\n${indent}${call}` });
  result.additions.push(`+ ${name} call`);
  return theirs.statement;
}

/** The start of the line a statement begins on, above the comments of their own lines that lead it. */
function lineStartBefore(statement: Statement, text: string): number {
  let start = statement.getStart();
  for (const comment of [...statement.getLeadingCommentRanges()].reverse()) {
    const lineStart = text.lastIndexOf('\n', comment.getPos() - 1) + 1;
    if (text.slice(lineStart, comment.getPos()).trim() !== '' || text.slice(comment.getEnd(), start).trim() !== '') break;
    start = comment.getPos();
  }
  return text.lastIndexOf('\n', start - 1) + 1;
}

/** What identifies a statement of a function body across versions: the names it declares, or the function it calls. */
function statementKey(statement: Statement): string | undefined {
  const names = namesDeclaredBy(statement);
  if (names.length > 0) return `declares:${names.join(',')}`;
  if (!Node.isExpressionStatement(statement)) return undefined;
  let expression = statement.getExpression();
  if (Node.isAwaitExpression(expression)) expression = expression.getExpression();
  return Node.isCallExpression(expression) ? `call:${expression.getExpression().getText()}` : undefined;
}

/**
 * Imports of the generated file that what was inserted needs and the user's file does not bind:
 * merged into the user's import of the same module when it has one, else added as a declaration next to
 * the import that precedes it in the generated file. An import nothing inserted uses is not added.
 */
function addNeededImports(existing: SourceFile, generated: SourceFile, text: string, needed: Set<string>, result: StructuralMerge): void {
  const bound = topLevelNames(existing);
  const myImports = existing.getImportDeclarations();
  let anchor: ImportDeclaration | undefined;
  for (const declaration of generated.getImportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    const sameModule = myImports.filter((mine) => mine.getModuleSpecifierValue() === module);
    const missing = importBindings(declaration).filter((binding) => needed.has(binding.name) && !bound.has(binding.name));
    if (missing.length > 0) {
      const named = missing.filter((binding) => binding.named);
      const target = sameModule.find((mine) => mine.getNamedImports().length > 0 && (!mine.isTypeOnly() || named.every((binding) => binding.typeOnly)));
      if (target && named.length === missing.length) {
        const texts = named.map((binding) => (binding.typeOnly && !target.isTypeOnly() ? `type ${binding.text}` : binding.text));
        const list = target.getImportClauseOrThrow().getNamedBindingsOrThrow() as NamedImports;
        result.edits.push(appendToNamedList(list, target, texts, text));
      } else {
        const all = importBindings(declaration);
        const declarationText = missing.length === all.length ? declaration.getText() : importText(declaration, missing);
        result.edits.push(importInsertion(existing, anchor ?? myImports[0], anchor !== undefined, declarationText));
      }
      for (const binding of missing) bound.add(binding.name);
      result.additions.push(`+ import ${missing.map((binding) => binding.name).join(', ')}`);
    }
    anchor = sameModule.at(-1) ?? anchor;
  }
}

/** `export { a } from 'm'` statements of the generated file: missing names are merged, missing statements added. */
function addMissingExports(existing: SourceFile, generated: SourceFile, text: string, result: StructuralMerge): void {
  const mine = existing.getExportDeclarations();
  for (const declaration of generated.getExportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    const sameModule = mine.filter((candidate) => candidate.getModuleSpecifierValue() === module);
    if (sameModule.length === 0) {
      const last = existing.getStatements().at(-1);
      result.edits.push({ pos: last ? last.getEnd() : text.length, text: `\n${declaration.getText()}` });
      result.additions.push(`+ export ${declaration.getNamedExports().map((e) => e.getText()).join(', ') || `* from '${module}'`}`);
      continue;
    }
    const have = new Set(sameModule.flatMap((candidate) => candidate.getNamedExports().map((e) => e.getText())));
    const missing = declaration.getNamedExports().map((e) => e.getText()).filter((name) => !have.has(name));
    const target = sameModule.find((candidate) => candidate.hasNamedExports());
    if (missing.length === 0 || !target) continue;
    result.edits.push(appendToNamedList(target.getNodeProperty('exportClause') as NamedExports, target, missing, text));
    result.additions.push(`+ export ${missing.join(', ')}`);
  }
}

/** Adds elements to `{ a, b }` of an import or export, keeping its layout; a line grown past the width is broken. */
function appendToNamedList(list: NamedImports | NamedExports, statement: ImportDeclaration | ExportDeclaration, texts: string[], text: string): TextEdit {
  const elements = list.getElements();
  const last = elements.at(-1);
  if (!last) return { pos: list.getStart() + 1, end: list.getEnd() - 1, text: ` ${texts.join(', ')} ` };
  if (list.getText().includes('\n')) {
    const indent = indentationAt(text, last.getStart());
    return { pos: last.getEnd(), text: texts.map((t) => `,\n${indent}${t}`).join('') };
  }
  const grown = statement.getText().length + texts.reduce((sum, t) => sum + t.length + 2, 0) + indentationAt(text, statement.getStart()).length;
  if (grown <= PRINT_WIDTH) return { pos: last.getEnd(), text: texts.map((t) => `, ${t}`).join('') };
  const indent = `${indentationAt(text, statement.getStart())}  `;
  const all = [...elements.map((element) => element.getText()), ...texts];
  return { pos: list.getStart(), end: list.getEnd(), text: `{\n${all.map((t) => `${indent}${t},`).join('\n')}\n${indentationAt(text, statement.getStart())}}` };
}

function importInsertion(existing: SourceFile, anchor: ImportDeclaration | undefined, after: boolean, declarationText: string): TextEdit {
  if (anchor) return after ? { pos: anchor.getEnd(), text: `\n${declarationText}` } : { pos: anchor.getStart(), text: `${declarationText}\n` };
  const first = existing.getStatements()[0];
  return first ? { pos: first.getStart(true), text: `${declarationText}\n\n` } : { pos: existing.getEnd(), text: `${declarationText}\n` };
}

interface ImportBinding {
  name: string;
  text: string;
  named: boolean;
  typeOnly: boolean;
}

function importBindings(declaration: ImportDeclaration): ImportBinding[] {
  const typeOnly = declaration.isTypeOnly();
  const bindings: ImportBinding[] = [];
  const defaultImport = declaration.getDefaultImport();
  if (defaultImport) bindings.push({ name: defaultImport.getText(), text: defaultImport.getText(), named: false, typeOnly });
  const namespace = declaration.getNamespaceImport();
  if (namespace) bindings.push({ name: namespace.getText(), text: `* as ${namespace.getText()}`, named: false, typeOnly });
  for (const element of declaration.getNamedImports()) {
    const name = element.getAliasNode()?.getText() ?? element.getName();
    bindings.push({ name, text: element.getText().replace(/^type\s+/, ''), named: true, typeOnly: typeOnly || element.isTypeOnly() });
  }
  return bindings;
}

/** An import of only some of a generated declaration's bindings. */
function importText(declaration: ImportDeclaration, bindings: ImportBinding[]): string {
  const module = declaration.getModuleSpecifier().getText();
  const typeOnly = declaration.isTypeOnly() ? 'type ' : '';
  const head = bindings.filter((binding) => !binding.named).map((binding) => binding.text);
  const named = bindings.filter((binding) => binding.named).map((binding) => (binding.typeOnly && !typeOnly ? `type ${binding.text}` : binding.text));
  const clause = [...head, ...(named.length > 0 ? [`{ ${named.join(', ')} }`] : [])].join(', ');
  return `import ${typeOnly}${clause} from ${module};`;
}

function topLevelNames(file: SourceFile): Set<string> {
  const names = new Set(file.getStatements().flatMap(namesDeclaredBy));
  for (const declaration of file.getImportDeclarations()) for (const binding of importBindings(declaration)) names.add(binding.name);
  return names;
}

function namesDeclaredBy(statement: Statement): string[] {
  if (Node.isVariableStatement(statement)) return statement.getDeclarations().map((declaration) => declaration.getName());
  if (
    Node.isClassDeclaration(statement) ||
    Node.isFunctionDeclaration(statement) ||
    Node.isInterfaceDeclaration(statement) ||
    Node.isTypeAliasDeclaration(statement) ||
    Node.isEnumDeclaration(statement) ||
    Node.isModuleDeclaration(statement)
  ) {
    const name = statement.getName();
    return name === undefined ? [] : [name];
  }
  return [];
}

function memberKey(member: Node): string {
  if (Node.isConstructorDeclaration(member)) return 'constructor';
  if (Node.isGetAccessorDeclaration(member)) return `get:${member.getName()}`;
  if (Node.isSetAccessorDeclaration(member)) return `set:${member.getName()}`;
  if (Node.isMethodDeclaration(member) || Node.isPropertyDeclaration(member)) return `member:${member.getName()}`;
  return `other:${member.getText()}`;
}

function propertyName(property: Node): string | undefined {
  if (Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property)) return property.getName();
  return undefined;
}

function objectLiteralNamed(file: SourceFile, name: string): ObjectLiteralExpression | undefined {
  return file
    .getDescendantsOfKind(SyntaxKind.VariableDeclaration)
    .find((declaration) => declaration.getName() === name)
    ?.getInitializerIfKind(SyntaxKind.ObjectLiteralExpression);
}

function neededNames(nodes: readonly Node[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    if (Node.isIdentifier(node)) names.add(node.getText());
    for (const identifier of node.getDescendantsOfKind(SyntaxKind.Identifier)) names.add(identifier.getText());
  }
  return names;
}
