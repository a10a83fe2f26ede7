import { ruleFor } from '../../model/domain/policies.js';
import type { Entity } from '../../model/domain/types.js';
import { camelCase, commentText, stringLiteral } from '../../model/naming.js';
import { emptySqlImports, policyToPredicate, policyToSql, tableConstant } from './compile-policy.js';

/** What a repository template receives for an entity with policies: the access type and its SQL. */
export interface RepositoryAccessView {
  /** The actions a repository is asked about, as a union of literals (creates are the entity's). */
  actions: string;
  /** The body of `allowed(access)`: the Condition of each action's rule. */
  allowedBody: string;
  /** One comment line per rule: `read, list: customer == auth.sub or hasRole('admin')`. */
  rules: string[];
  /** A row the caller may not read answers 403 (not 404). */
  forbiddenWhenHidden: boolean;
  drizzleImports: string[];
  conditionImports: string[];
  callerImports: string[];
  /** Tables of related entities its rules reach through relations. */
  tableImports: string[];
}

/** What an entity template receives for a create rule: a predicate over the new entity. */
export interface CreationRuleView {
  predicate: string;
  source: string;
  callerImports: string;
}

/** The actions of an entity a repository can be asked to check, in a stable order. */
export function rowActions(entity: Entity): string[] {
  return ['read', 'list', 'update', 'delete', ...(entity.stateMachine?.transitions.map((t) => t.names.original) ?? [])];
}

export function repositoryAccessView(entity: Entity, entities: ReadonlyMap<string, Entity>): RepositoryAccessView | undefined {
  const policies = entity.policies;
  if (!policies) return undefined;
  const transitions = new Set(entity.stateMachine?.transitions.map((t) => t.names.original) ?? []);
  const actions = rowActions(entity);
  const imports = emptySqlImports();
  // Actions that share a rule share one case of the switch.
  const groups = new Map<string, { actions: string[]; code: string }>();
  const open: string[] = [];
  for (const action of actions) {
    const rule = ruleFor(policies, action, transitions.has(action));
    if (!rule) {
      open.push(action);
      continue;
    }
    const group = groups.get(rule.source);
    if (group) group.actions.push(action);
    else groups.set(rule.source, { actions: [action], code: policyToSql(rule.expression, entity, entities, imports) });
  }
  const cases = [...groups.values()].map((g) => `${g.actions.map((a) => `case ${stringLiteral(a)}:`).join('\n')}\nreturn ${g.code};`);
  if (open.length > 0) cases.push(`${open.map((a) => `case ${stringLiteral(a)}:`).join('\n')}\nreturn true;`);
  const usesCaller = [...groups.values()].some((g) => /\bcaller\b/.test(g.code));
  const allowedBody = [...(usesCaller ? ['const { caller } = access;'] : []), `switch (access.action) {\n${cases.join('\n')}\n}`].join('\n');
  return {
    actions: actions.map(stringLiteral).join(' | '),
    allowedBody,
    rules: [...groups.entries()].map(([source, g]) => commentText(`${g.actions.join(', ')}: ${source}`)),
    forbiddenWhenHidden: policies.onDenied === 'forbidden',
    drizzleImports: [...imports.drizzle].sort(),
    conditionImports: [...imports.conditions, 'whereOf'],
    callerImports: [...imports.caller].sort(),
    tableImports: [...imports.tables].filter((table) => table !== tableConstant(entity)).sort(),
  };
}

export function creationRuleView(entity: Entity, entities: ReadonlyMap<string, Entity>): CreationRuleView | undefined {
  const rule = entity.policies?.rules.get('create');
  if (!rule) return undefined;
  const imports = { caller: new Set<string>() };
  const predicate = policyToPredicate(rule.expression, entity, entities, imports);
  return { predicate, source: commentText(rule.source), callerImports: [...[...imports.caller].sort(), 'type Caller'].join(', ') };
}

/** What a repository template receives for the entity's `deleteRefusedWhile`: one query per refusal. */
export interface DeleteRefusalView {
  /** The condition on the related table, in a method where `id` is the entity's id. */
  condition: string;
  table: string;
  /** The query's result, named after the code (`customerHasOpenOrders`). */
  variable: string;
  code: string;
  message: string;
}

export interface DeleteRefusalsView {
  refusals: DeleteRefusalView[];
  drizzleImports: string[];
  conditionImports: string[];
  tableImports: string[];
}

export function deleteRefusalsView(entity: Entity, entities: ReadonlyMap<string, Entity>): DeleteRefusalsView | undefined {
  if (entity.deleteRefusals.length === 0) return undefined;
  const imports = emptySqlImports();
  imports.drizzle.add('and').add('eq');
  const refusals = entity.deleteRefusals.map((refusal): DeleteRefusalView => {
    const target = entities.get(refusal.target) as Entity;
    const table = tableConstant(target);
    imports.tables.add(table);
    const reference = `eq(${table}.${refusal.reference}, id)`;
    let condition = reference;
    if (refusal.where) {
      const own = emptySqlImports();
      const code = policyToSql(refusal.where.expression, target, entities, own);
      own.drizzle.forEach((name) => imports.drizzle.add(name));
      own.tables.forEach((name) => imports.tables.add(name));
      own.conditions.forEach((name) => imports.conditions.add(name));
      // A plain Drizzle condition goes in as it is; one built from Condition helpers (or a constant) through whereOf.
      const plain = own.conditions.size === 0 && code !== 'true' && code !== 'false';
      if (!plain) imports.conditions.add('whereOf');
      condition = plain ? `and(${reference}, ${code})` : `and(${reference}, ...whereOf(${code}))`;
    }
    return { condition, table, variable: camelCase(refusal.code), code: stringLiteral(refusal.code), message: stringLiteral(refusal.message) };
  });
  return {
    refusals,
    drizzleImports: [...imports.drizzle].sort(),
    conditionImports: [...imports.conditions].sort(),
    tableImports: [...imports.tables].filter((table) => table !== tableConstant(entity)).sort(),
  };
}
