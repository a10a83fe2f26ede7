import { markdownText } from './markdown.js';
import type { ApiSnapshot, BodySnapshot, OperationSnapshot, ParameterSnapshot, PropertySnapshot, ResponseSnapshot, SchemaSnapshot } from './api-snapshot.js';

/** An operation as the changes name it. */
export interface OperationRef {
  method: string;
  path: string;
  operationId: string;
}

/** One difference in one operation; `breaking` when a client written for the old API can fail against the new one. */
export interface ApiChange {
  breaking: boolean;
  detail: string;
}

export interface ChangedOperation {
  operation: OperationRef;
  breaking: boolean;
  changes: ApiChange[];
}

/** The semantic changes between two generations' APIs. */
export interface ApiChanges {
  added: OperationRef[];
  removed: OperationRef[];
  changed: ChangedOperation[];
}

export function hasApiChanges(changes: ApiChanges): boolean {
  return changes.added.length + changes.removed.length + changes.changed.length > 0;
}

/**
 * Compares two snapshots. Operations are matched by method and path (path parameter names aside), then
 * the rest by operationId: an operation that kept its id but moved is a breaking change, not a removal
 * and an addition.
 */
export function diffApiSnapshots(previous: ApiSnapshot, current: ApiSnapshot): ApiChanges {
  const oldByRoute = new Map(previous.operations.map((op) => [routeKey(op), op]));
  const pairs: [OperationSnapshot, OperationSnapshot][] = [];
  const unmatchedNew: OperationSnapshot[] = [];
  for (const op of current.operations) {
    const old = oldByRoute.get(routeKey(op));
    if (old) {
      pairs.push([old, op]);
      oldByRoute.delete(routeKey(op));
    } else unmatchedNew.push(op);
  }
  const oldById = new Map([...oldByRoute.values()].map((op) => [op.operationId, op]));
  const added: OperationRef[] = [];
  for (const op of unmatchedNew) {
    const old = oldById.get(op.operationId);
    if (old) {
      pairs.push([old, op]);
      oldById.delete(op.operationId);
    } else added.push(ref(op));
  }
  const removed = [...oldById.values()].map(ref);
  const changed = pairs.flatMap(([old, op]): ChangedOperation[] => {
    const changes = compareOperations(old, op);
    return changes.length === 0 ? [] : [{ operation: ref(op), breaking: changes.some((c) => c.breaking), changes }];
  });
  return { added, removed, changed };
}

function compareOperations(old: OperationSnapshot, op: OperationSnapshot): ApiChange[] {
  const changes: ApiChange[] = [];
  const breaking = (detail: string) => changes.push({ breaking: true, detail });
  const compatible = (detail: string) => changes.push({ breaking: false, detail });

  if (old.method !== op.method || old.path !== op.path) {
    if (routeKey(old) === routeKey(op)) compatible(`path parameters renamed: ${old.path} -> ${op.path}`);
    else breaking(`moved from ${old.method} ${old.path}`);
  }
  if (old.operationId !== op.operationId) compatible(`operationId ${old.operationId} -> ${op.operationId}`);
  compareParameters(old, op, breaking, compatible);
  compareRequestBody(old.requestBody, op.requestBody, breaking, compatible);
  compareResponses(old.responses, op.responses, breaking, compatible);
  compareSecurity(old.security, op.security, breaking, compatible);
  if (!old.deprecated && op.deprecated) compatible('deprecated');
  if (old.deprecated && !op.deprecated) compatible('no longer deprecated');
  if (old.docs !== op.docs) compatible('summary or description changed');
  return changes;
}

type Report = (detail: string) => void;

function compareParameters(old: OperationSnapshot, op: OperationSnapshot, breaking: Report, compatible: Report): void {
  const before = new Map(old.parameters.map((p) => [parameterKey(p, old.path), p]));
  for (const parameter of op.parameters) {
    const key = parameterKey(parameter, op.path);
    const previous = before.get(key);
    before.delete(key);
    const label = `${parameter.in} parameter ${parameter.name}`;
    if (!previous) {
      if (parameter.required) breaking(`required ${label} added`);
      else compatible(`optional ${label} added`);
      continue;
    }
    if (!previous.required && parameter.required) breaking(`${label} became required`);
    if (previous.required && !parameter.required) compatible(`${label} became optional`);
    if (previous.type !== parameter.type) breaking(`${label}: ${previous.type} -> ${parameter.type}`);
    else if (previous.schemaHash !== parameter.schemaHash) breaking(`${label}: schema constraints changed`);
  }
  for (const parameter of before.values()) breaking(`${parameter.in} parameter ${parameter.name} removed`);
}

function compareRequestBody(old: BodySnapshot | undefined, body: BodySnapshot | undefined, breaking: Report, compatible: Report): void {
  if (!old && !body) return;
  if (!old || !body) {
    if (!old) (body?.required ? breaking : compatible)(`${body?.required ? 'required' : 'optional'} request body added`);
    else breaking('request body removed');
    return;
  }
  if (!old.required && body.required) breaking('request body became required');
  if (old.required && !body.required) compatible('request body became optional');
  for (const media of old.mediaTypes.filter((m) => !body.mediaTypes.includes(m))) breaking(`request body no longer accepts ${media}`);
  for (const media of body.mediaTypes.filter((m) => !old.mediaTypes.includes(m))) compatible(`request body accepts ${media}`);
  compareSchemas('request body', old.schema, body.schema, 'request', breaking, compatible);
}

function compareResponses(old: ResponseSnapshot[], responses: ResponseSnapshot[], breaking: Report, compatible: Report): void {
  const before = new Map(old.map((r) => [r.status, r]));
  for (const response of responses) {
    const previous = before.get(response.status);
    before.delete(response.status);
    if (!previous) {
      compatible(`response ${response.status} added`);
      continue;
    }
    const label = `response ${response.status}`;
    for (const media of previous.mediaTypes.filter((m) => !response.mediaTypes.includes(m))) breaking(`${label} no longer returns ${media}`);
    for (const media of response.mediaTypes.filter((m) => !previous.mediaTypes.includes(m))) compatible(`${label} may return ${media}`);
    compareSchemas(label, previous.schema, response.schema, 'response', breaking, compatible);
  }
  for (const response of before.values()) breaking(`response ${response.status} removed`);
}

/**
 * A schema is compared by its type summary, then property by property. What a request may send gets
 * stricter when a property becomes required or goes; what a response returns breaks clients when a
 * property goes or becomes optional. A change the summaries do not explain (a constraint, an enum
 * value, a nested schema) is reported as breaking: scaffold does not tell a relaxed constraint from a
 * tightened one.
 */
function compareSchemas(label: string, old: SchemaSnapshot | undefined, schema: SchemaSnapshot | undefined, direction: 'request' | 'response', breaking: Report, compatible: Report): void {
  if (!old && !schema) return;
  if (!old || !schema) {
    (old ? breaking : compatible)(`${label} schema ${old ? 'removed' : 'added'}`);
    return;
  }
  if (old.hash === schema.hash) return;
  if (old.type !== schema.type) {
    breaking(`${label}: ${old.type} -> ${schema.type}`);
    return;
  }
  const explained = compareProperties(label, old.properties ?? [], schema.properties ?? [], direction, breaking, compatible);
  // Nothing above explains the new hash: a constraint of the schema itself changed.
  if (!explained) breaking(`${label}: schema changed`);
}

/**
 * Property by property, down the levels the snapshot keeps (an envelope's `data`, then its fields):
 * a property added to a response, or an optional one to a request, breaks no client. Returns whether
 * some difference was found to explain a changed hash.
 */
function compareProperties(label: string, old: readonly PropertySnapshot[], current: readonly PropertySnapshot[], direction: 'request' | 'response', breaking: Report, compatible: Report): boolean {
  let explained = false;
  const report = (isBreaking: boolean, detail: string) => {
    explained = true;
    (isBreaking ? breaking : compatible)(detail);
  };
  const before = new Map(old.map((p) => [p.name, p]));
  for (const property of current) {
    const previous = before.get(property.name);
    before.delete(property.name);
    const name = `${label} property ${property.name}`;
    if (!previous) {
      report(direction === 'request' && property.required, `${property.required ? 'required' : 'optional'} ${name} added`);
      continue;
    }
    if (previous.required !== property.required) {
      const nowRequired = property.required;
      report(direction === 'request' ? nowRequired : !nowRequired, `${name} became ${nowRequired ? 'required' : 'optional'}`);
    }
    if (previous.type !== property.type) report(true, `${name}: ${previous.type} -> ${property.type}`);
    else if (previous.hash !== property.hash) {
      const inside = previous.properties && property.properties && compareProperties(`${label} property ${property.name}`, previous.properties, property.properties, direction, breaking, compatible);
      if (inside) explained = true;
      else report(true, `${name}: schema changed`);
    }
  }
  for (const property of before.values()) report(true, `${label} property ${property.name} removed`);
  return explained;
}

function compareSecurity(old: string[], security: string[], breaking: Report, compatible: Report): void {
  const open = (alternatives: string[]) => alternatives.length === 0 || alternatives.includes('anonymous');
  const describe = (alternatives: string[]) => (alternatives.length === 0 ? 'none' : alternatives.join(' or '));
  if (old.join('|') === security.join('|')) return;
  if (open(old) && !open(security)) breaking(`security added: ${describe(security)}`);
  else if (!open(old) && open(security)) compatible(`security no longer required (was ${describe(old)})`);
  else if (!open(security) && old.some((a) => !security.includes(a))) breaking(`security: ${describe(old)} -> ${describe(security)}`);
  else compatible(`security: ${describe(old)} -> ${describe(security)}`);
}

/** `GET /pets/{}`: path parameter names do not make a different route. */
function routeKey(op: OperationSnapshot): string {
  return `${op.method} ${op.path.replace(/\{[^}]*\}/g, '{}')}`;
}

/** Path parameters by position (a renamed one is the same parameter); header names are case-insensitive. */
function parameterKey(parameter: ParameterSnapshot, path: string): string {
  if (parameter.in === 'path') {
    const names = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
    const index = names.indexOf(parameter.name);
    return `path:${index >= 0 ? index : parameter.name}`;
  }
  return `${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`;
}

function ref(op: OperationSnapshot): OperationRef {
  return { method: op.method, path: op.path, operationId: op.operationId };
}

const signature = (op: OperationRef) => `${op.method} ${op.path}`;

/** How many operations the terminal summary lists; the report lists them all. */
const PRINTED_OPERATIONS = 20;

/**
 * What every run ends with: a count, then each operation with its changes, one per line, breaking ones
 * marked, e.g.
 *
 *     API changes: 1 added, 1 changed (1 breaking)
 *       POST /x: added
 *       GET /z
 *         breaking: query parameter limit: integer -> string
 *         optional query parameter offset added
 *
 * A change to a shared component is listed under every operation it reaches: a client calls
 * operations, and this says which of its calls to check.
 */
export function apiChangesSummary(changes: ApiChanges): string {
  if (!hasApiChanges(changes)) return 'API changes: none since the last generation';
  const groups = operationGroups(changes);
  const shown = groups.slice(0, PRINTED_OPERATIONS).flatMap((group) =>
    group.changes.length === 0 ? [`  ${group.title}`] : [`  ${group.title}`, ...group.changes.map((change) => `    ${change.breaking ? 'breaking: ' : ''}${change.detail}`)],
  );
  const hidden = groups.length - PRINTED_OPERATIONS;
  return [`API changes: ${countsOf(changes)}`, ...shown, ...(hidden > 0 ? [`  ... and ${hidden} more operation${hidden === 1 ? '' : 's'} (all of them in .scaffold/report.md)`] : [])].join('\n');
}

/** The `## API changes` section of `.scaffold/report.md`: the summary's grouping, as a list (`aligned`: already as prettier writes it). */
export function apiChangesMarkdown(changes: ApiChanges): { lines: string[]; aligned: boolean } {
  const text = markdownText;
  const groups = operationGroups(changes);
  const list = groups.flatMap((group) => {
    const title = `- ${text(signature(group.operation))} (${text(group.operation.operationId)})`;
    if (group.changes.length === 0) return [`${title}: ${group.status === 'removed' ? 'removed, **breaking**' : 'added'}`];
    return [`${title}:`, ...group.changes.map((change) => `  - ${change.breaking ? '**breaking**: ' : ''}${text(change.detail)}`)];
  });
  return {
    lines: [
      '## API changes',
      '',
      'What changed in the API the last time it changed, compared with the generation before (`.scaffold/api-snapshot.json`).',
      '',
      ...(groups.length === 0 ? ['None.'] : [`${countsOf(changes)}.`, '', ...list]),
    ],
    aligned: true,
  };
}

interface OperationGroup {
  operation: OperationRef;
  status: 'added' | 'removed' | 'changed';
  /** `added`, `removed (breaking)`, or the operation alone (its changes follow). */
  title: string;
  changes: ApiChange[];
}

/** Added operations, then removed ones, then changed ones, in the order of the snapshot (by path, then method). */
function operationGroups(changes: ApiChanges): OperationGroup[] {
  return [
    ...changes.added.map((operation): OperationGroup => ({ operation, status: 'added', title: `${signature(operation)}: added`, changes: [] })),
    ...changes.removed.map((operation): OperationGroup => ({ operation, status: 'removed', title: `${signature(operation)}: removed (breaking)`, changes: [] })),
    ...changes.changed.map((c): OperationGroup => ({ operation: c.operation, status: 'changed', title: signature(c.operation), changes: c.changes })),
  ];
}

/** `1 added, 1 removed, 3 changed (2 breaking)`. */
function countsOf(changes: ApiChanges): string {
  const breaking = changes.changed.filter((c) => c.breaking).length;
  return [
    changes.added.length > 0 && `${changes.added.length} added`,
    changes.removed.length > 0 && `${changes.removed.length} removed`,
    changes.changed.length > 0 && `${changes.changed.length} changed (${breaking === 0 ? 'none' : breaking} breaking)`,
  ]
    .filter((part): part is string => typeof part === 'string')
    .join(', ');
}

/**
 * This run's snapshot and changes: `changes` against the previous snapshot (undefined on a first
 * generation); `reported`, what the report lists: these changes, or, when the API did not change, the
 * ones the last change recorded, so that a run with no change rewrites nothing.
 */
export function planApiChanges(previous: ApiSnapshot | undefined, current: ApiSnapshot): { snapshot: ApiSnapshot; changes: ApiChanges | undefined; reported: ApiChanges | undefined } {
  if (!previous) return { snapshot: current, changes: undefined, reported: undefined };
  const changes = diffApiSnapshots(previous, current);
  const reported = hasApiChanges(changes) ? changes : previous.lastChanges;
  return { snapshot: { ...current, ...(reported && { lastChanges: reported }) }, changes, reported };
}
