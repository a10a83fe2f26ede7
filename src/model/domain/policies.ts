import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { ChangeRefusalDocument, DeleteRefusalDocument, PoliciesDocument } from '../../load/domain-model-types.js';
import { ExpressionError, fieldsOf, parseExpression, readsCaller, type Expression } from './expression.js';
import type { ChangeRefusal, DeleteRefusal, Entity, Field, Policies, PolicyRule, Relation } from './types.js';

type Report = (message: string, path: (string | number)[]) => void;

const ROW_ACTIONS = ['read', 'list', 'create', 'update', 'delete'] as const;

/** What a name in a policy reaches: a column of the entity, possibly through many-to-one relations. */
export interface ResolvedPath {
  /** The many-to-one relations followed, from the entity outwards (`order` of a Payment). */
  hops: { relation: Relation; from: Entity; to: Entity }[];
  /** The entity that holds the column, and the column's property (`customerId`, `status`, `id`). */
  entity: Entity;
  property: string;
  /** The field, when the column is one (not an id, a timestamp or a foreign key). */
  field: Field | undefined;
  /** Columns a caller's value must be parsed for (a subject that is no UUID matches no uuid column). */
  valueType: 'uuid' | 'integer' | 'other';
}

function identityType(entity: Entity | undefined): ResolvedPath['valueType'] {
  return entity?.identity === 'serial' ? 'integer' : 'uuid';
}

/** A name of a policy (`status`, `customer`, `order.customer`) resolved on its entity; a string says why it cannot be. */
export function resolvePath(name: string, entity: Entity, entities: ReadonlyMap<string, Entity>): ResolvedPath | string {
  const segments = name.split('.');
  const hops: ResolvedPath['hops'] = [];
  let current = entity;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    const field = current.fields.find((f) => f.names.original === segment);
    const relation = current.relations.find((r) => r.names.original === segment && r.column !== undefined);
    if (last) {
      if (field && typeof field.type === 'string') {
        const valueType = field.type === 'uuid' ? 'uuid' : field.type === 'integer' ? 'integer' : 'other';
        return { hops, entity: current, property: field.names.camel, field, valueType };
      }
      if (field) return `"${segment}" of ${current.names.original} is a value object; compare one of its fields in an invariant instead`;
      if (relation) return { hops, entity: current, property: `${relation.names.camel}Id`, field: undefined, valueType: identityType(entities.get(relation.target)) };
      if (segment === 'id') return { hops, entity: current, property: segment, field: undefined, valueType: identityType(current) };
      if (current.timestamps && (segment === 'createdAt' || segment === 'updatedAt')) return { hops, entity: current, property: segment, field: undefined, valueType: 'other' };
    } else if (relation) {
      const target = entities.get(relation.target);
      if (!target) return `relation "${segment}" of ${current.names.original} has no entity`;
      hops.push({ relation, from: current, to: target });
      current = target;
      continue;
    } else if (field) {
      return `"${segment}" of ${current.names.original} is a field, not a relation to follow`;
    }
    const known = [...current.fields.map((f) => f.names.original), ...current.relations.filter((r) => r.column !== undefined).map((r) => r.names.original), 'id'];
    return `${current.names.original} has no field or many-to-one relation "${segment}"${didYouMean(segment, known)}`;
  }
  return `"${name}" names nothing`;
}

/**
 * Checks every entity's `policies` and attaches them: each action is one the entity has, each rule
 * parses, names what exists, and can be compiled to SQL (a rule that could only filter in memory is
 * an error, never a silent fetch-then-filter).
 */
export function attachPolicies(entities: Entity[], documents: Readonly<Record<string, { policies?: PoliciesDocument }>>, report: Report): void {
  const byName = new Map(entities.map((e) => [e.names.original, e]));
  for (const entity of entities) {
    const document = documents[entity.names.original]?.policies;
    if (!document) continue;
    const owner = ['entities', entity.names.original, 'policies'];
    const transitions = entity.stateMachine?.transitions.map((t) => t.names.original) ?? [];
    const actions = [...ROW_ACTIONS, ...transitions];
    const rules = new Map<string, PolicyRule>();
    for (const [action, source] of Object.entries(document)) {
      if (action === 'onDenied') continue;
      if (!actions.includes(action)) {
        report(`policy for "${action}": ${entity.names.original} has no such action (${actions.join(', ')})${didYouMean(action, actions)}`, [...owner, action]);
        continue;
      }
      let expression: Expression;
      try {
        expression = parseExpression(source);
      } catch (cause) {
        if (!(cause instanceof ExpressionError)) throw cause;
        report(`policy for "${action}": ${cause.message} at column ${cause.offset + 1} of "${source}"`, [...owner, action]);
        continue;
      }
      const problems = checkRule(expression, entity, byName, action === 'create');
      for (const problem of problems) report(`policy for "${action}" of ${entity.names.original}: ${problem}`, [...owner, action]);
      if (problems.length === 0) rules.set(action, { expression, source });
    }
    entity.policies = { rules, onDenied: document.onDenied ?? 'not-found' };
  }
}

/**
 * Checks and attaches every entity's `deleteRefusedWhile`: each names a one-to-many relation whose
 * target refers back, and its `where` is a condition on those records the database can evaluate.
 */
export function attachDeleteRefusals(entities: Entity[], documents: Readonly<Record<string, { deleteRefusedWhile?: DeleteRefusalDocument[] }>>, report: Report): void {
  const byName = new Map(entities.map((e) => [e.names.original, e]));
  for (const entity of entities) {
    const declared = documents[entity.names.original]?.deleteRefusedWhile ?? [];
    entity.deleteRefusals = declared.flatMap((refusal, index): DeleteRefusal[] => {
      const path = ['entities', entity.names.original, 'deleteRefusedWhile', index];
      const oneToMany = entity.relations.filter((r) => r.kind === 'one-to-many');
      const relation = oneToMany.find((r) => r.names.original === refusal.relation);
      const target = relation && byName.get(relation.target);
      const inverse = target?.relations.find((r) => r.column !== undefined && r.target === entity.names.original && (relation?.inverse === undefined || r.names.original === relation.inverse));
      if (!relation || !target || !inverse) {
        report(`deleteRefusedWhile names "${refusal.relation}", which is no one-to-many relation of ${entity.names.original} with a reference back${didYouMean(refusal.relation, oneToMany.map((r) => r.names.original))}`, [...path, 'relation']);
        return [];
      }
      let where: PolicyRule | undefined;
      if (refusal.where !== undefined) {
        try {
          const expression = parseExpression(refusal.where);
          const problems = readsCaller(expression) ? ['it reads the caller; a delete is refused for everyone alike'] : checkRule(expression, target, byName, false);
          problems.forEach((problem) => report(`deleteRefusedWhile "${refusal.code}" of ${entity.names.original}: ${problem}`, [...path, 'where']));
          if (problems.length > 0) return [];
          where = { expression, source: refusal.where };
        } catch (cause) {
          if (!(cause instanceof ExpressionError)) throw cause;
          report(`deleteRefusedWhile "${refusal.code}": ${cause.message} at column ${cause.offset + 1} of "${refusal.where}"`, [...path, 'where']);
          return [];
        }
      }
      const message = refusal.message ?? `${entity.names.original} cannot be deleted while it has ${refusal.where === undefined ? '' : 'such '}${refusal.relation}`;
      return [{ relation: relation.names.original, target: target.names.original, reference: `${inverse.names.camel}Id`, where, code: refusal.code, message }];
    });
  }
}

/**
 * Checks and attaches every entity's `changesRefusedWhile`: each condition is an expression of the
 * invariant language over the row's own fields (it is evaluated on the loaded entity, never in SQL).
 */
export function attachChangeRefusals(entities: Entity[], documents: Readonly<Record<string, { changesRefusedWhile?: ChangeRefusalDocument[] }>>, report: Report): void {
  for (const entity of entities) {
    const declared = documents[entity.names.original]?.changesRefusedWhile ?? [];
    const known = [...entity.fields.filter((f) => typeof f.type === 'string').map((f) => f.names.original), 'id', ...(entity.timestamps ? ['createdAt', 'updatedAt'] : [])];
    entity.changeRefusals = declared.flatMap((refusal, index): ChangeRefusal[] => {
      const path = ['entities', entity.names.original, 'changesRefusedWhile', index, 'when'];
      let expression: Expression;
      try {
        expression = parseExpression(refusal.when);
      } catch (cause) {
        if (!(cause instanceof ExpressionError)) throw cause;
        report(`changesRefusedWhile "${refusal.code}": ${cause.message} at column ${cause.offset + 1} of "${refusal.when}"`, path);
        return [];
      }
      if (readsCaller(expression)) {
        report(`changesRefusedWhile "${refusal.code}" of ${entity.names.original} reads the caller; who may change a row is a policy (docs/domain-model.md, "Policies")`, path);
        return [];
      }
      const unknown = [...fieldsOf(expression)].filter((name) => !known.includes(name));
      if (unknown.length > 0) {
        report(`changesRefusedWhile "${refusal.code}" of ${entity.names.original} names ${unknown.map((name) => `"${name}"`).join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} no scalar field of it${didYouMean(unknown[0] as string, known)}`, path);
        return [];
      }
      const refuses = refusal.refuses ?? ['update', 'delete'];
      const verbs = refuses.map((action) => (action === 'update' ? 'changed' : 'deleted')).join(' or ');
      const message = refusal.message ?? `${entity.names.original} cannot be ${verbs} while ${refusal.when}`;
      return [{ when: { expression, source: refusal.when }, refuses: [...refuses], code: refusal.code, message }];
    });
  }
}

/**
 * Checks the computed values that read the caller (`current: { type: boolean, value: id == auth.claims.sid }`):
 * each is a condition of the policy language over the row's own fields, compiled into the response mappers.
 */
export function checkCallerComputed(entities: Entity[], report: Report): void {
  const byName = new Map(entities.map((e) => [e.names.original, e]));
  for (const entity of entities) {
    for (const computed of entity.computed.filter((c) => c.readsCaller)) {
      const path = ['entities', entity.names.original, 'computed', computed.names.original, 'value'];
      const problems = [...fieldsOf(computed.expression)].some((name) => name.includes('.'))
        ? ['a value relative to the caller compares the row\'s own fields, not those of related rows']
        : checkRule(computed.expression, entity, byName, false);
      for (const problem of problems) report(`computed value "${computed.names.original}" of ${entity.names.original}: ${problem}`, path);
    }
  }
}

/** The entity's refusals of an action (`update`, `delete`) while a condition on the row holds. */
export function changeRefusalsOf(entity: Entity | undefined, action: 'update' | 'delete'): ChangeRefusal[] {
  return (entity?.changeRefusals ?? []).filter((refusal) => refusal.refuses.includes(action));
}

/** The rule for an action: its own, else `list` falls back to `read` and a transition to `update`. */
export function ruleFor(policies: Policies | undefined, action: string, isTransition = false): PolicyRule | undefined {
  if (!policies) return undefined;
  const own = policies.rules.get(action);
  if (own) return own;
  if (action === 'list') return policies.rules.get('read');
  return isTransition ? policies.rules.get('update') : undefined;
}

/** Why a rule cannot be compiled, one line per problem. */
function checkRule(expression: Expression, entity: Entity, entities: ReadonlyMap<string, Entity>, creating: boolean): string[] {
  const problems: string[] = [];
  const operand = (e: Expression): void => {
    switch (e.kind) {
      case 'field': {
        const resolved = resolvePath(e.name, entity, entities);
        if (typeof resolved === 'string') problems.push(resolved);
        else if (creating && resolved.hops.length > 0) problems.push(`"${e.name}" follows a relation, which a new row does not have loaded; a create rule compares the entity's own fields`);
        return;
      }
      case 'auth':
        if (!isAuthValue(e.path)) problems.push(`"${['auth', ...e.path].join('.')}" is not a value of the caller (auth.sub, auth.claims.<name>; hasRole('<role>') for roles)`);
        return;
      case 'literal':
        return;
      default:
        problems.push(`a comparison needs a field, a value of the caller or a literal on each side, not ${describe(e)}`);
    }
  };
  const condition = (e: Expression): void => {
    switch (e.kind) {
      case 'binary':
        if (e.operator === 'and' || e.operator === 'or') {
          condition(e.left);
          condition(e.right);
        } else if (e.operator === 'in') {
          if (e.left.kind !== 'field') problems.push(`"in" tests a field of the row: ${'<field>'} in [...]`);
          else operand(e.left);
          if (e.right.kind !== 'list' || !e.right.items.every((item) => item.kind === 'literal')) problems.push(`"in" needs a list of literal values on its right (['pending', 'paid'])`);
        } else if (['==', '!=', '<', '<=', '>', '>='].includes(e.operator)) {
          operand(e.left);
          operand(e.right);
          const fields = [e.left, e.right].filter((side) => side.kind === 'field');
          if (fields.length === 0 && e.operator !== '==' && e.operator !== '!=') problems.push(`"${e.operator}" needs a field of the row on one side; the caller's values are compared with == or !=`);
          if (fields.length === 2 && fields.some((f) => f.kind === 'field' && f.name.includes('.'))) problems.push('two fields are compared only on the row itself, not through a relation');
          const anonymous = [e.left, e.right].some((side) => side.kind === 'auth' && side.path.length === 0);
          const withNull = [e.left, e.right].some((side) => side.kind === 'literal' && side.value === null);
          if (anonymous && !(withNull && (e.operator === '==' || e.operator === '!='))) problems.push('"auth" alone is only compared with null: auth == null (anonymous), auth != null (signed in)');
        } else problems.push(`arithmetic ("${e.operator}") is not available in a policy`);
        return;
      case 'unary':
        if (e.operator === 'not') condition(e.operand);
        else problems.push('arithmetic ("-") is not available in a policy');
        return;
      case 'call':
        if (e.callee !== 'hasRole') problems.push(`${e.callee}() is not available in a policy`);
        else if (e.argument.kind !== 'literal' || typeof e.argument.value !== 'string') problems.push(`hasRole() takes a role name in quotes: hasRole('admin')`);
        return;
      case 'field': {
        operand(e);
        const resolved = resolvePath(e.name, entity, entities);
        if (typeof resolved !== 'string' && resolved.field?.type !== 'boolean') problems.push(`"${e.name}" is not a boolean field; compare it (${e.name} == ...)`);
        return;
      }
      case 'auth':
        if (e.path.length === 0) problems.push('"auth" alone is a value, not a condition: write auth != null for "signed in"');
        else operand(e);
        return;
      case 'literal':
        if (typeof e.value !== 'boolean') problems.push(`${JSON.stringify(e.value)} is not a condition`);
        return;
      case 'list':
        problems.push('a list is not a condition');
    }
  };
  condition(expression);
  return problems;
}

/** `auth` (compared with null), `auth.sub`, `auth.claims.<name>[.<name>...]`. */
export function isAuthValue(path: string[]): boolean {
  return path.length === 0 || (path.length === 1 && path[0] === 'sub') || (path[0] === 'claims' && path.length >= 2);
}

function describe(e: Expression): string {
  switch (e.kind) {
    case 'binary':
      return `"${e.operator}"`;
    case 'call':
      return `${e.callee}()`;
    case 'list':
      return 'a list';
    default:
      return 'a condition';
  }
}

/** The roles a rule names (`hasRole('admin')`). */
export function rolesIn(expression: Expression): string[] {
  switch (expression.kind) {
    case 'call':
      return expression.callee === 'hasRole' && expression.argument.kind === 'literal' ? [String(expression.argument.value)] : [];
    case 'binary':
      return [...rolesIn(expression.left), ...rolesIn(expression.right)];
    case 'unary':
      return rolesIn(expression.operand);
    default:
      return [];
  }
}

/** The alternatives of a rule: `a or b or c` -> [a, b, c]; any other rule is its one alternative. */
export function alternativesOf(expression: Expression): Expression[] {
  return expression.kind === 'binary' && expression.operator === 'or' ? [...alternativesOf(expression.left), ...alternativesOf(expression.right)] : [expression];
}

/** `field == auth.sub` (either way round) on the row itself: the field's property (`customerId`, `id`). */
export function ownerProperty(e: Expression, entity: Entity, entities: ReadonlyMap<string, Entity>): string | undefined {
  if (e.kind !== 'binary' || e.operator !== '==') return undefined;
  const isSubject = (side: Expression) => side.kind === 'auth' && side.path.length === 1 && side.path[0] === 'sub';
  const field = isSubject(e.right) ? e.left : isSubject(e.left) ? e.right : undefined;
  if (field?.kind !== 'field' || field.name.includes('.')) return undefined;
  const resolved = resolvePath(field.name, entity, entities);
  return typeof resolved === 'string' ? undefined : resolved.property;
}
