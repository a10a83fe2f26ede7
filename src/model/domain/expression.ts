/**
 * The little language of invariants, computed values and policies: comparisons and arithmetic over
 * an entity's fields, joined with `and`, `or`, `not`. `reserved <= onHand`, `endsAt == null or endsAt >
 * startsAt`, `length(name) >= 2`, `status in ['pending', 'paid']`. Policies also see the caller
 * (`auth.sub`, `auth.claims.tenant`, `hasRole('admin')`) and follow many-to-one relations
 * (`order.customer == auth.sub`). Parsed into a tree so the generator can check every name and
 * compile it; nothing from the model text is ever pasted into code.
 */
export type Expression =
  | { kind: 'field'; name: string }
  /** A member of the caller: `auth` alone (null when anonymous), `auth.sub`, `auth.roles`, `auth.claims.x`. */
  | { kind: 'auth'; path: string[] }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'list'; items: Expression[] }
  | { kind: 'unary'; operator: 'not' | '-'; operand: Expression }
  | { kind: 'binary'; operator: BinaryOperator; left: Expression; right: Expression }
  | { kind: 'call'; callee: 'length' | 'hasRole'; argument: Expression };

export type BinaryOperator = 'and' | 'or' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/';

const FUNCTIONS: readonly string[] = ['length', 'hasRole'];

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Token = { type: 'number' | 'string' | 'name' | 'operator' | 'paren' | 'comma' | 'end'; text: string; offset: number };

// A name may be a dotted path (`auth.sub`, `order.customer`).
const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|'((?:[^'\\]|\\.)*)'|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(==|!=|<=|>=|<|>|\+|-|\*|\/)|([()[\]])|(,))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < source.length) {
    if (/^\s*$/.test(source.slice(position))) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(source);
    if (!match) throw new ExpressionError(`unexpected character ${JSON.stringify(source.slice(position).trimStart()[0])}`, position);
    const offset = match.index + match[0].length - match[0].trimStart().length;
    const [, number, string, name, operator, paren, comma] = match;
    if (number !== undefined) tokens.push({ type: 'number', text: number, offset });
    else if (string !== undefined) tokens.push({ type: 'string', text: string.replace(/\\(.)/g, '$1'), offset });
    else if (name !== undefined) tokens.push({ type: 'name', text: name, offset });
    else if (operator !== undefined) tokens.push({ type: 'operator', text: operator, offset });
    else if (paren !== undefined) tokens.push({ type: 'paren', text: paren, offset });
    else if (comma !== undefined) tokens.push({ type: 'comma', text: comma, offset });
    position = TOKEN.lastIndex;
  }
  tokens.push({ type: 'end', text: '', offset: source.length });
  return tokens;
}

const PRECEDENCE: Record<string, number> = { or: 1, and: 2, '==': 3, '!=': 3, in: 3, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6 };

export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  let index = 0;
  const peek = (): Token => tokens[index] as Token;
  const next = (): Token => tokens[index++] as Token;

  function binaryOperatorOf(token: Token): BinaryOperator | undefined {
    const text = token.type === 'operator' || (token.type === 'name' && (token.text === 'and' || token.text === 'or' || token.text === 'in')) ? token.text : undefined;
    return text !== undefined && Object.hasOwn(PRECEDENCE, text) ? (text as BinaryOperator) : undefined;
  }

  function parseBinary(minimum: number): Expression {
    let left = parseUnary();
    for (let operator = binaryOperatorOf(peek()); operator && (PRECEDENCE[operator] ?? 0) >= minimum; operator = binaryOperatorOf(peek())) {
      next();
      const right = parseBinary((PRECEDENCE[operator] ?? 0) + 1);
      left = { kind: 'binary', operator, left, right };
    }
    return left;
  }

  function parseUnary(): Expression {
    const token = peek();
    if (token.type === 'name' && token.text === 'not') {
      next();
      return { kind: 'unary', operator: 'not', operand: parseUnary() };
    }
    if (token.type === 'operator' && token.text === '-') {
      next();
      return { kind: 'unary', operator: '-', operand: parseUnary() };
    }
    return parsePrimary();
  }

  function parsePrimary(): Expression {
    const token = next();
    switch (token.type) {
      case 'number':
        return { kind: 'literal', value: Number(token.text) };
      case 'string':
        return { kind: 'literal', value: token.text };
      case 'paren': {
        if (token.text === '[') return { kind: 'list', items: parseItems() };
        if (token.text !== '(') break;
        const inner = parseBinary(1);
        expect(')');
        return inner;
      }
      case 'name': {
        if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
        if (token.text === 'null') return { kind: 'literal', value: null };
        if (token.text === 'and' || token.text === 'or' || token.text === 'not' || token.text === 'in') break;
        if (peek().type === 'paren' && peek().text === '(') {
          if (!FUNCTIONS.includes(token.text)) throw new ExpressionError(`unknown function ${token.text}(); the functions are ${FUNCTIONS.map((f) => `${f}()`).join(' and ')}`, token.offset);
          next();
          const argument = parseBinary(1);
          expect(')');
          return { kind: 'call', callee: token.text as 'length' | 'hasRole', argument };
        }
        const [head, ...rest] = token.text.split('.');
        if (head === 'auth') return { kind: 'auth', path: rest };
        return { kind: 'field', name: token.text };
      }
      default:
        break;
    }
    throw new ExpressionError(token.type === 'end' ? 'the expression ends too early' : `unexpected ${JSON.stringify(token.text)}`, token.offset);
  }

  /** The items of a list literal, after its `[`: `['pending', 'paid']`. */
  function parseItems(): Expression[] {
    const items: Expression[] = [];
    if (peek().text === ']' && peek().type === 'paren') {
      next();
      return items;
    }
    for (;;) {
      items.push(parseBinary(1));
      const token = next();
      if (token.type === 'paren' && token.text === ']') return items;
      if (token.type !== 'comma') throw new ExpressionError(`expected "," or "]"`, token.offset);
    }
  }

  function expect(text: string): void {
    const token = next();
    if (token.text !== text) throw new ExpressionError(`expected ${JSON.stringify(text)}`, token.offset);
  }

  const expression = parseBinary(1);
  if (peek().type !== 'end') throw new ExpressionError(`unexpected ${JSON.stringify(peek().text)}`, peek().offset);
  return expression;
}

export function fieldsOf(expression: Expression, found = new Set<string>()): Set<string> {
  switch (expression.kind) {
    case 'field':
      found.add(expression.name);
      break;
    case 'unary':
      fieldsOf(expression.operand, found);
      break;
    case 'binary':
      fieldsOf(expression.left, found);
      fieldsOf(expression.right, found);
      break;
    case 'call':
      fieldsOf(expression.argument, found);
      break;
    case 'list':
      for (const item of expression.items) fieldsOf(item, found);
      break;
    case 'literal':
    case 'auth':
      break;
  }
  return found;
}

/** Whether the expression reads the caller (`auth...`, `hasRole()`): only policies may. */
export function readsCaller(expression: Expression): boolean {
  switch (expression.kind) {
    case 'auth':
      return true;
    case 'call':
      return expression.callee === 'hasRole' || readsCaller(expression.argument);
    case 'unary':
      return readsCaller(expression.operand);
    case 'binary':
      return readsCaller(expression.left) || readsCaller(expression.right);
    case 'list':
      return expression.items.some(readsCaller);
    case 'field':
    case 'literal':
      return false;
  }
}

/** TypeScript for the expression; `access(name)` writes how a field is read (`this.props.onHand`). */
export function toTypeScript(expression: Expression, access: (field: string) => string): string {
  switch (expression.kind) {
    case 'field':
      return access(expression.name);
    case 'literal':
      return JSON.stringify(expression.value);
    case 'unary':
      return expression.operator === 'not' ? `!(${toTypeScript(expression.operand, access)})` : `-(${toTypeScript(expression.operand, access)})`;
    case 'call':
      if (expression.callee === 'hasRole') throw new Error('hasRole() is compiled by the policy compiler');
      return `(${toTypeScript(expression.argument, access)}).length`;
    case 'auth':
      throw new Error('auth is compiled by the policy compiler');
    case 'list':
      return `[${expression.items.map((item) => toTypeScript(item, access)).join(', ')}]`;
    case 'binary': {
      if (expression.operator === 'in') return `${toTypeScript(expression.right, access)}.includes(${toTypeScript(expression.left, access)})`;
      const operator = { and: '&&', or: '||', '==': '===', '!=': '!==' }[expression.operator as string] ?? expression.operator;
      return `(${toTypeScript(expression.left, access)} ${operator} ${toTypeScript(expression.right, access)})`;
    }
  }
}

/** Evaluates the expression as the generated TypeScript would (for choosing test data at generation time). */
export function evaluate(expression: Expression, values: Readonly<Record<string, unknown>>): unknown {
  switch (expression.kind) {
    case 'field':
      return values[expression.name];
    case 'literal':
      return expression.value;
    case 'unary': {
      const operand = evaluate(expression.operand, values);
      return expression.operator === 'not' ? !operand : -(operand as number);
    }
    case 'call': {
      const argument = evaluate(expression.argument, values);
      if (expression.callee === 'hasRole') return false;
      return typeof argument === 'string' || Array.isArray(argument) ? argument.length : undefined;
    }
    case 'auth':
      return undefined;
    case 'list':
      return expression.items.map((item) => evaluate(item, values));
    case 'binary': {
      const left = evaluate(expression.left, values) as number;
      if (expression.operator === 'and') return left && evaluate(expression.right, values);
      if (expression.operator === 'or') return left || evaluate(expression.right, values);
      const right = evaluate(expression.right, values) as number;
      switch (expression.operator) {
        case 'in':
          return Array.isArray(right) && (right as unknown[]).includes(left);
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '<':
          return left < right;
        case '<=':
          return left <= right;
        case '>':
          return left > right;
        case '>=':
          return left >= right;
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '*':
          return left * right;
        case '/':
          return left / right;
      }
    }
  }
}
