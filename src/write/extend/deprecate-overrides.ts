import { Node, type ClassDeclaration, type MethodDeclaration, type SourceFile } from 'ts-morph';
import { indentationAt, type TextEdit } from './text-edits.js';

/** How a generated base class changed between the last generation (on disk) and this one. */
export interface BaseChanges {
  /** Methods the base no longer has, with the operation each implemented (`deletePet (DELETE /pets/{petId})`). */
  removed: Map<string, string>;
  /** Methods whose parameters or return type changed. */
  changed: Set<string>;
}

/** Per exported class of the base file, what it lost and what changed. */
export function baseChanges(previous: SourceFile, next: SourceFile): Map<string, BaseChanges> {
  const changes = new Map<string, BaseChanges>();
  for (const before of previous.getClasses()) {
    const name = before.getName();
    if (!name) continue;
    const after = next.getClass(name);
    const nextMethods = new Map((after?.getMethods() ?? []).map((method) => [method.getName(), signatureOf(method)]));
    const change: BaseChanges = { removed: new Map(), changed: new Set() };
    for (const method of before.getMethods()) {
      const signature = nextMethods.get(method.getName());
      if (signature === undefined) change.removed.set(method.getName(), operationOf(method));
      else if (signature !== signatureOf(method)) change.changed.add(method.getName());
    }
    if (change.removed.size > 0 || change.changed.size > 0) changes.set(name, change);
  }
  return changes;
}

export interface OverrideFindings {
  edits: TextEdit[];
  /** Overrides newly marked @deprecated (an override already marked is left alone). */
  deprecated: { className: string; method: string; operation: string; offset: number }[];
  /** Methods of the user's classes that override a base method that changed or left. */
  affected: string[];
}

/**
 * A user's subclass keeps a method whose operation left the spec (nothing calls it any more): the
 * method is marked `@deprecated`, saying why, and never deleted. Overrides of changed methods are
 * returned so the run can type-check them.
 */
export function findOverrides(user: SourceFile, changes: ReadonlyMap<string, BaseChanges>, changedOperations: ReadonlySet<string> = new Set()): OverrideFindings {
  const text = user.getFullText();
  const findings: OverrideFindings = { edits: [], deprecated: [], affected: [] };
  for (const userClass of user.getClasses()) {
    const base = baseNameOf(userClass);
    if (base === undefined) continue;
    const change = changes.get(base);
    for (const method of userClass.getMethods()) {
      const name = method.getName();
      const operation = change?.removed.get(name);
      // A signature can keep its text while the types it names change (the spec changed a parameter).
      if (operation === undefined && !change?.changed.has(name) && !changedOperations.has(name)) continue;
      findings.affected.push(name);
      if (operation === undefined || isDeprecated(method)) continue;
      findings.edits.push(deprecationEdit(method, text, `@deprecated ${deprecationReason(operation)}`));
      findings.deprecated.push({ className: userClass.getName() ?? 'class', method: name, operation, offset: method.getStart() });
    }
  }
  return findings;
}

export function deprecationReason(operation: string): string {
  return `The operation ${operation} left the spec: this method is no longer called. Move what you still need, then delete it.`;
}

function deprecationEdit(method: MethodDeclaration, text: string, tag: string): TextEdit {
  const indent = indentationAt(text, method.getStart());
  const doc = method.getJsDocs().at(-1);
  if (!doc) return { pos: method.getStart(), text: `/**\n${indent} * ${tag}\n${indent} */\n${indent}` };
  const docText = doc.getText();
  if (docText.includes('\n')) return { pos: doc.getEnd() - 2, text: `* ${tag}\n${indent} ` };
  const inner = docText.replace(/^\/\*\*\s*/, '').replace(/\s*\*\/$/, '');
  return { pos: doc.getStart(), end: doc.getEnd(), text: `/**\n${indent} * ${inner}\n${indent} * ${tag}\n${indent} */` };
}

function isDeprecated(method: MethodDeclaration): boolean {
  return method.getJsDocs().some((doc) => doc.getTags().some((tag) => tag.getTagName() === 'deprecated'));
}

function baseNameOf(userClass: ClassDeclaration): string | undefined {
  const expression = userClass.getExtends()?.getExpression();
  return expression && Node.isIdentifier(expression) ? expression.getText() : undefined;
}

function signatureOf(method: MethodDeclaration): string {
  const parameters = method.getParameters().map((parameter) => parameter.getText());
  return `(${parameters.join(',')}):${method.getReturnTypeNode()?.getText() ?? ''}`.replace(/\s+/g, '');
}

/** The operation a generated method implements, from its doc comment (`GET /pets (operationId: listPets)`). */
function operationOf(method: MethodDeclaration): string {
  const doc = method.getJsDocs().map((d) => d.getText()).join('\n');
  const match = /([A-Z]+) (\/\S*) \(operationId: ([^)]+)\)/.exec(doc);
  return match ? `${match[3]} (${match[1]} ${match[2]})` : method.getName();
}
