import type { Expression } from '../../model/domain/expression.js';
import { resolvePath, type ResolvedPath } from '../../model/domain/policies.js';
import type { Entity } from '../../model/domain/types.js';
import { camelCase, stringLiteral } from '../../model/naming.js';

/**
 * A policy rule compiled twice from its one parsed source (the model has checked it):
 * - to SQL through Drizzle, for lists and single reads: the code builds a `Condition` (all rows, none,
 *   or a SQL condition), evaluating the caller's part in TypeScript and leaving the row's to the database;
 * - to a TypeScript predicate over a new entity's props, for creates.
 * Comparing with a value the caller lacks (`auth.sub` of an anonymous caller) matches nothing, as
 * NULL does in SQL.
 */

const SQL_OPERATORS: Record<string, string> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const MIRRORED: Record<string, string> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** What compiled SQL code needs imported, collected as it is written. */
export interface SqlImports {
  drizzle: Set<string>;
  conditions: Set<string>;
  caller: Set<string>;
  /** Tables of other entities reached through relations. */
  tables: Set<string>;
}

export function emptySqlImports(): SqlImports {
  return { drizzle: new Set(), conditions: new Set(), caller: new Set(), tables: new Set() };
}

/** The Drizzle table constant of an entity's table (as schema.gen.ts names it). */
export function tableConstant(entity: Entity): string {
  return camelCase(entity.table, 'table');
}

type Side = { kind: 'column'; path: ResolvedPath } | { kind: 'caller'; code: string } | { kind: 'literal'; value: string | number | boolean | null };

function callerValue(path: string[], imports: { caller: Set<string> }, caller = 'caller'): string {
  if (path.length === 0) return caller;
  if (path[0] === 'sub') return `${caller}?.subject`;
  imports.caller.add('claimOf');
  return `claimOf(${caller}, [${path.slice(1).map(stringLiteral).join(', ')}])`;
}

function literal(value: string | number | boolean | null): string {
  return typeof value === 'string' ? stringLiteral(value) : String(value);
}

/** The code of a `Condition` for the rule, in a method where `caller` and `this.db` are in scope. */
export function policyToSql(expression: Expression, entity: Entity, entities: ReadonlyMap<string, Entity>, imports: SqlImports): string {
  const side = (e: Expression): Side => {
    if (e.kind === 'field') return { kind: 'column', path: resolvePath(e.name, entity, entities) as ResolvedPath };
    if (e.kind === 'auth') return { kind: 'caller', code: callerValue(e.path, imports) };
    if (e.kind === 'literal') return { kind: 'literal', value: e.value };
    throw new Error(`policy operand ${e.kind} was not checked by the model`);
  };
  const column = (path: ResolvedPath): string => `${tableConstant(path.entity)}.${path.property}`;
  /** A condition on the row at the end of the path, wrapped in a subquery per relation followed. */
  const through = (path: ResolvedPath, inner: string): string => {
    let code = inner;
    for (const hop of [...path.hops].reverse()) {
      imports.conditions.add('through');
      imports.tables.add(tableConstant(hop.to));
      const reference = `${tableConstant(hop.from)}.${hop.relation.names.camel}Id`;
      code = `through(${reference}, ${code}, (where) => this.db.select({ id: ${tableConstant(hop.to)}.id }).from(${tableConstant(hop.to)}).where(where))`;
    }
    return code;
  };
  const compare = (left: Side, operator: string, right: Side): string => {
    if (left.kind !== 'column' && right.kind === 'column') return compare(right, MIRRORED[operator] as string, left);
    if (left.kind === 'column') {
      const col = column(left.path);
      if (right.kind === 'literal' && right.value === null) {
        const fn = operator === '==' ? 'isNull' : 'isNotNull';
        imports.drizzle.add(fn);
        return through(left.path, `${fn}(${col})`);
      }
      const fn = SQL_OPERATORS[operator] as string;
      if (right.kind === 'literal') {
        imports.drizzle.add(fn);
        return through(left.path, `${fn}(${col}, ${literal(right.value)})`);
      }
      if (right.kind === 'column') {
        if (right.path.hops.length > 0 || left.path.hops.length > 0) throw new Error('two columns of related rows are compared by the model check');
        imports.drizzle.add(fn);
        return `${fn}(${col}, ${column(right.path)})`;
      }
      imports.conditions.add('compare');
      const parse = { uuid: 'asUuid', integer: 'asInteger', other: undefined }[left.path.valueType];
      if (parse) imports.conditions.add(parse);
      const value = parse ? `${parse}(${right.code})` : right.code;
      return through(left.path, `compare(${col}, ${stringLiteral(operator)}, ${value})`);
    }
    // Only the caller and literals: decided before the query.
    const code = (s: Side) => (s.kind === 'caller' ? s.code : s.kind === 'literal' ? (s.value === null ? 'undefined' : literal(s.value)) : '');
    return `${code(left)} ${operator === '==' ? '===' : '!=='} ${code(right)}`;
  };
  const condition = (e: Expression): string => {
    switch (e.kind) {
      case 'binary': {
        if (e.operator === 'and' || e.operator === 'or') {
          const name = e.operator === 'and' ? 'allOf' : 'anyOf';
          imports.conditions.add(name);
          const parts = flatten(e, e.operator).map(condition);
          return `${name}(${parts.join(', ')})`;
        }
        if (e.operator === 'in') {
          const left = side(e.left);
          if (left.kind !== 'column' || e.right.kind !== 'list') throw new Error('"in" is checked by the model');
          imports.drizzle.add('inArray');
          const values = e.right.items.map((item) => (item.kind === 'literal' ? literal(item.value) : 'null'));
          return through(left.path, `inArray(${column(left.path)}, [${values.join(', ')}])`);
        }
        return compare(side(e.left), e.operator, side(e.right));
      }
      case 'unary':
        imports.conditions.add('negate');
        return `negate(${condition(e.operand)})`;
      case 'call':
        imports.caller.add('hasRole');
        return `hasRole(caller, ${literal((e.argument as { value: string }).value)})`;
      case 'field': {
        const path = side(e) as { kind: 'column'; path: ResolvedPath };
        imports.drizzle.add('eq');
        return through(path.path, `eq(${column(path.path)}, true)`);
      }
      case 'literal':
        return String(e.value);
      default:
        throw new Error(`policy condition ${e.kind} was not checked by the model`);
    }
  };
  return condition(expression);
}

/** The TypeScript predicate of a create rule over `this.props` of the new entity (or over another `row`: an entity a mapper shows). */
export function policyToPredicate(expression: Expression, entity: Entity, entities: ReadonlyMap<string, Entity>, imports: { caller: Set<string> }, caller = 'caller', row = 'this.props'): string {
  const operand = (e: Expression): { code: string; fromCaller: boolean } => {
    if (e.kind === 'field') return { code: `${row}.${(resolvePath(e.name, entity, entities) as ResolvedPath).property}`, fromCaller: false };
    if (e.kind === 'auth') return { code: callerValue(e.path, imports, caller), fromCaller: true };
    if (e.kind === 'literal') return { code: e.value === null ? 'null' : literal(e.value), fromCaller: false };
    throw new Error(`policy operand ${e.kind} was not checked by the model`);
  };
  const condition = (e: Expression): string => {
    switch (e.kind) {
      case 'binary': {
        if (e.operator === 'and' || e.operator === 'or') return `(${flatten(e, e.operator).map(condition).join(e.operator === 'and' ? ' && ' : ' || ')})`;
        if (e.operator === 'in' && e.right.kind === 'list') {
          return `[${e.right.items.map((item) => operand(item).code).join(', ')}].includes(${operand(e.left).code})`;
        }
        const left = operand(e.left);
        const right = operand(e.right);
        const anonymous = [e.left, e.right].find((s) => s.kind === 'auth' && s.path.length === 0);
        if (anonymous) return e.operator === '==' ? `${caller} === undefined` : `${caller} !== undefined`;
        const operator = e.operator === '==' ? '===' : e.operator === '!=' ? '!==' : e.operator;
        const comparison = `${left.code} ${operator} ${right.code}`;
        // A value the caller lacks matches nothing.
        const guards = [left, right].filter((s) => s.fromCaller).map((s) => `${s.code} !== undefined`);
        return guards.length === 0 ? `(${comparison})` : `(${[...guards, comparison].join(' && ')})`;
      }
      case 'unary':
        return `!${condition(e.operand)}`;
      case 'call':
        imports.caller.add('hasRole');
        return `hasRole(${caller}, ${literal((e.argument as { value: string }).value)})`;
      case 'field':
        return operand(e).code;
      case 'literal':
        return String(e.value);
      default:
        throw new Error(`policy condition ${e.kind} was not checked by the model`);
    }
  };
  return condition(expression);
}

/** `a and b and c` as [a, b, c], so the compiled code is one call, not a nest. */
function flatten(e: Expression, operator: 'and' | 'or'): Expression[] {
  if (e.kind === 'binary' && e.operator === operator) return [...flatten(e.left, operator), ...flatten(e.right, operator)];
  return [e];
}
