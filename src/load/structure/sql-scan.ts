import type { SourceLocation } from '../../diagnostics/diagnostic.js';

/**
 * A scan of PostgreSQL DDL beside @dbml/core's parser, for two things that parser does not give:
 * where each table, column, enum, index and foreign key is written (its model has no positions for
 * SQL), and the constructs it reads past without a trace (a partial index's WHERE, a generated
 * column, ALTER TABLE ... ADD COLUMN, a view, a trigger, ...). Statements are checked against an
 * allow-list: anything not known to arrive in @dbml/core's model is a finding, never ignored.
 */
export interface SqlScan {
  /** Constructs the import cannot represent, each with where it is written. */
  findings: { message: string; location: SourceLocation }[];
  tables: Map<string, { location: SourceLocation; columns: Map<string, SourceLocation> }>;
  enums: Map<string, SourceLocation>;
  /** By index name, and `table#n` for the n-th index (from 0) created on a table. */
  indexes: Map<string, SourceLocation>;
  /** Foreign keys by `table(column, ...)` of the referencing side. */
  foreignKeys: Map<string, SourceLocation>;
}

interface Token {
  kind: 'word' | 'ident' | 'string' | 'number' | 'punct' | 'op';
  /** As written, for messages. */
  raw: string;
  /** Whitespace or a comment comes before it. */
  spaced: boolean;
  /** Identifiers as PostgreSQL folds them: unquoted lower-cased, quoted as written. */
  value: string;
  upper: string;
  line: number;
  column: number;
}

const TABLE_MODIFIERS = new Set(['GLOBAL', 'LOCAL', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'FOREIGN']);

/** Statements that carry no structure and no behaviour; they are skipped (docs/domain-model.md). */
const IGNORED = [['SET'], ['RESET'], ['BEGIN'], ['COMMIT'], ['END'], ['START', 'TRANSACTION'], ['CREATE', 'EXTENSION']];

export function scanPostgres(sql: string, file: string): SqlScan {
  const scan: SqlScan = { findings: [], tables: new Map(), enums: new Map(), indexes: new Map(), foreignKeys: new Map() };
  const at = (token: Token | undefined): SourceLocation => (token ? { file, line: token.line, column: token.column } : { file });
  const find = (message: string, token: Token | undefined) => scan.findings.push({ message, location: at(token) });
  const indexCount = new Map<string, number>();

  for (const statement of statements(tokenize(sql))) {
    const [first] = statement;
    const words = statement.slice(0, 4).map((t) => (t.kind === 'word' ? t.upper : ''));
    if (IGNORED.some((prefix) => prefix.every((w, i) => words[i] === w))) continue;
    if (words[0] === 'CREATE') {
      const rest = statement.slice(1);
      const tableAt = rest.findIndex((t) => !TABLE_MODIFIERS.has(t.upper) || t.kind !== 'word');
      if (rest[tableAt]?.upper === 'TABLE' && rest[tableAt]?.kind === 'word') {
        const modifiers = rest.slice(0, tableAt).filter((t) => t.upper !== 'GLOBAL' && t.upper !== 'LOCAL');
        if (modifiers.length > 0) find(`CREATE ${modifiers.map((t) => t.upper).join(' ')} TABLE: a table's persistence options cannot be represented`, modifiers[0]);
        createTable(rest.slice(tableAt + 1));
        continue;
      }
      if (words[1] === 'TYPE') {
        const { name, next } = qualifiedName(statement, 2);
        if (statement[next]?.upper === 'AS' && statement[next + 1]?.upper === 'ENUM') scan.enums.set(name, at(statement[next - 1]));
        else find(`CREATE TYPE ${name}: only enum types can be represented`, first);
        continue;
      }
      if (words[1] === 'INDEX' || (words[1] === 'UNIQUE' && words[2] === 'INDEX')) {
        createIndex(statement);
        continue;
      }
    }
    if (words[0] === 'COMMENT' && words[1] === 'ON' && (words[2] === 'TABLE' || words[2] === 'COLUMN')) continue;
    if (words[0] === 'ALTER' && words[1] === 'TABLE') {
      alterTable(statement);
      continue;
    }
    find(`statement ${describe(statement)} cannot be represented in the domain model`, first);
  }
  return scan;

  function createTable(tokens: Token[]): void {
    let i = skipWords(tokens, 0, ['IF', 'NOT', 'EXISTS']);
    const { name, next } = qualifiedName(tokens, i);
    const nameToken = tokens[next - 1];
    const table = { location: at(nameToken), columns: new Map<string, SourceLocation>() };
    scan.tables.set(name, table);
    i = next;
    if (tokens[i]?.value !== '(') {
      find(`CREATE TABLE ${name} ${describe(tokens.slice(i))}: only a table with its own column list can be represented`, tokens[i] ?? nameToken);
      return;
    }
    const close = matching(tokens, i);
    for (const element of splitTopLevel(tokens.slice(i + 1, close))) {
      const head = element[0];
      if (!head) continue;
      const constraint = head.upper === 'CONSTRAINT' ? element.slice(2) : element;
      const kind = constraint[0]?.kind === 'word' ? constraint[0].upper : '';
      if (['PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK', 'EXCLUDE', 'LIKE'].includes(kind) && !(head.kind === 'ident')) {
        tableConstraint(name, constraint);
        continue;
      }
      table.columns.set(head.value, at(head));
      columnOptions(name, head.value, element.slice(1));
    }
    const tail = tokens.slice(close + 1);
    if (tail.length > 0) find(`table option ${describe(tail)} of ${name} cannot be represented`, tail[0]);
  }

  function tableConstraint(table: string, tokens: Token[]): void {
    const kind = tokens[0]?.upper;
    if (kind === 'EXCLUDE' || kind === 'LIKE') {
      find(`${kind} in table ${table} cannot be represented`, tokens[0]);
      return;
    }
    if (kind === 'FOREIGN') {
      const open = tokens.findIndex((t) => t.value === '(');
      const columns = open < 0 ? [] : splitTopLevel(tokens.slice(open + 1, matching(tokens, open))).map((c) => c[0]?.value ?? '');
      scan.foreignKeys.set(`${table}(${columns.join(', ')})`, at(tokens[0]));
    }
    if (kind === 'PRIMARY' || kind === 'UNIQUE') {
      const extra = tokens.find((t, i) => ['INCLUDE', 'WITH', 'USING', 'NULLS'].includes(t.upper) && depthAt(tokens, i) === 0);
      if (extra) find(`${extra.upper} in a ${kind === 'PRIMARY' ? 'primary key' : 'unique constraint'} of ${table} cannot be represented`, extra);
    }
    referenceOptions(table, tokens);
  }

  function columnOptions(table: string, column: string, tokens: Token[]): void {
    tokens.forEach((token, i) => {
      if (token.kind !== 'word' || depthAt(tokens, i) !== 0) return;
      if (token.upper === 'COLLATE' || token.upper === 'COMPRESSION' || token.upper === 'STORAGE') find(`${token.upper} on column ${table}.${column} cannot be represented`, token);
      if (token.upper === 'GENERATED' && tokens[i + 2]?.upper === 'AS' && tokens[i + 3]?.value === '(') find(`generated column ${table}.${column} (GENERATED ALWAYS AS ...) cannot be represented`, token);
      else if (token.upper === 'GENERATED' && tokens[i + 1]?.upper === 'ALWAYS') find(`${table}.${column} is GENERATED ALWAYS AS IDENTITY: the generator's identity is GENERATED BY DEFAULT (ids may be given)`, token);
      if (token.upper === 'IDENTITY' && tokens[i + 1]?.value === '(') find(`sequence options of the identity ${table}.${column} cannot be represented`, tokens[i + 1]);
      if (token.upper === 'REFERENCES') scan.foreignKeys.set(`${table}(${column})`, at(token));
    });
    referenceOptions(`${table}.${column}`, tokens);
  }

  /** Options of a foreign key that @dbml/core reads past; the defaults (NOT DEFERRABLE, MATCH SIMPLE) are fine. */
  function referenceOptions(owner: string, tokens: Token[]): void {
    tokens.forEach((token, i) => {
      if (token.kind !== 'word' || depthAt(tokens, i) !== 0) return;
      const previous = tokens[i - 1]?.upper;
      const next = tokens[i + 1]?.upper;
      if ((token.upper === 'DEFERRABLE' && previous !== 'NOT') || (token.upper === 'INITIALLY' && next === 'DEFERRED') || (token.upper === 'MATCH' && next !== 'SIMPLE') || (token.upper === 'VALID' && previous === 'NOT')) {
        find(`${previous === 'NOT' ? 'NOT ' : ''}${token.upper}${token.upper === 'INITIALLY' || token.upper === 'MATCH' ? ` ${next ?? ''}` : ''} on a constraint of ${owner} cannot be represented`, token);
      }
    });
  }

  function createIndex(tokens: Token[]): void {
    const on = tokens.findIndex((t) => t.upper === 'ON' && t.kind === 'word');
    if (on < 0) return;
    const named = tokens.slice(0, on).filter((t) => !['CREATE', 'UNIQUE', 'INDEX', 'CONCURRENTLY', 'IF', 'NOT', 'EXISTS'].includes(t.upper) || t.kind === 'ident');
    const indexName = named.at(-1)?.value;
    const { name: table, next } = qualifiedName(tokens, skipWords(tokens, on + 1, ['ONLY']));
    const location = at(named.at(-1) ?? tokens[0]);
    const n = indexCount.get(table) ?? 0;
    indexCount.set(table, n + 1);
    scan.indexes.set(`${table}#${n}`, location);
    if (indexName !== undefined) scan.indexes.set(indexName, location);
    const label = `index ${indexName ?? `on ${table}`}`;
    const open = tokens.findIndex((t, i) => i >= next && t.value === '(');
    if (open < 0) return;
    const close = matching(tokens, open);
    for (const element of splitTopLevel(tokens.slice(open + 1, close))) {
      // A bare column (ASC is the default); expressions arrive in @dbml/core's model and are reported there.
      const options = element.slice(1).filter((t) => t.upper !== 'ASC');
      if (element.length > 1 && element[1]?.value !== '(' && element[0]?.value !== '(' && options.length > 0) {
        find(`${label}: column option ${describe(options)} cannot be represented`, options[0]);
      }
    }
    const tail = tokens.slice(close + 1);
    const where = tail.findIndex((t) => t.upper === 'WHERE' && t.kind === 'word');
    if (where >= 0) find(`partial ${label}: WHERE ${text(tail.slice(where + 1))} cannot be represented`, tail[where]);
    const other = tail.slice(0, where < 0 ? undefined : where);
    if (other.length > 0) find(`${label}: ${describe(other)} cannot be represented`, other[0]);
  }

  function alterTable(tokens: Token[]): void {
    const { name, next } = qualifiedName(tokens, skipWords(tokens, 2, ['IF', 'EXISTS', 'ONLY']));
    for (const action of splitTopLevel(tokens.slice(next))) {
      const body = action[0]?.upper === 'ADD' ? (action[1]?.upper === 'CONSTRAINT' ? action.slice(3) : action.slice(1)) : [];
      if (['PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK'].includes(body[0]?.upper ?? '')) tableConstraint(name, body);
      else find(`ALTER TABLE ${name} ${describe(action)} cannot be represented: write the table as it ends up`, action[0] ?? tokens[0]);
    }
  }
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const advance = (to: number) => {
    for (let k = i; k < to; k += 1) {
      if (sql[k] === '\n') {
        line += 1;
        lineStart = k + 1;
      }
    }
    i = to;
  };
  let lastEnd = 0;
  const push = (kind: Token['kind'], value: string, start: number, line: number, column: number) => {
    tokens.push({ kind, raw: sql.slice(start, i), spaced: start > lastEnd, value: kind === 'word' ? value.toLowerCase() : value, upper: kind === 'word' ? value.toUpperCase() : value, line, column });
    lastEnd = i;
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    const startLine = line;
    const startColumn = i - lineStart + 1;
    const start = i;
    if (/\s/.test(c)) advance(i + 1);
    else if (sql.startsWith('--', i)) advance(sql.indexOf('\n', i) < 0 ? sql.length : sql.indexOf('\n', i));
    else if (sql.startsWith('/*', i)) {
      let depth = 0;
      let k = i;
      while (k < sql.length) {
        if (sql.startsWith('/*', k)) (depth += 1), (k += 2);
        else if (sql.startsWith('*/', k)) {
          depth -= 1;
          k += 2;
          if (depth === 0) break;
        } else k += 1;
      }
      advance(k);
    } else if (c === "'" || ((c === 'E' || c === 'e') && sql[i + 1] === "'")) {
      const backslash = c !== "'";
      let k = backslash ? i + 2 : i + 1;
      while (k < sql.length) {
        if (backslash && sql[k] === '\\') k += 2;
        else if (sql[k] === "'" && sql[k + 1] === "'") k += 2;
        else if (sql[k] === "'") break;
        else k += 1;
      }
      const value = sql.slice(backslash ? i + 2 : i + 1, k);
      advance(Math.min(k + 1, sql.length));
      push('string', value, start, startLine, startColumn);
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = (/^\$[A-Za-z_]*\$/.exec(sql.slice(i)) as RegExpExecArray)[0];
      const end = sql.indexOf(tag, i + tag.length);
      const value = sql.slice(i + tag.length, end < 0 ? sql.length : end);
      advance(end < 0 ? sql.length : end + tag.length);
      push('string', value, start, startLine, startColumn);
    } else if (c === '"') {
      let k = i + 1;
      while (k < sql.length && !(sql[k] === '"' && sql[k + 1] !== '"')) k += sql[k] === '"' ? 2 : 1;
      const value = sql.slice(i + 1, k).replace(/""/g, '"');
      advance(Math.min(k + 1, sql.length));
      push('ident', value, start, startLine, startColumn);
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const word = (/^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i)) as RegExpExecArray)[0];
      advance(i + word.length);
      push('word', word, start, startLine, startColumn);
    } else if (/[0-9]/.test(c)) {
      const number = (/^[0-9][0-9._eE]*/.exec(sql.slice(i)) as RegExpExecArray)[0];
      advance(i + number.length);
      push('number', number, start, startLine, startColumn);
    } else if ('(),;.[]'.includes(c)) {
      advance(i + 1);
      push('punct', c, start, startLine, startColumn);
    } else {
      const op = (/^[+\-*/<>=~!@#%^&|`?:]+/.exec(sql.slice(i)) ?? [c])[0];
      advance(i + op.length);
      push('op', op, start, startLine, startColumn);
    }
  }
  return tokens;
}

function statements(tokens: Token[]): Token[][] {
  const result: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.value === ';' && token.kind === 'punct') {
      if (current.length > 0) result.push(current);
      current = [];
    } else current.push(token);
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** The index of the parenthesis that closes the one at `open`. */
function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const value = tokens[i]?.kind === 'punct' ? tokens[i]?.value : '';
    if (value === '(') depth += 1;
    if (value === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return tokens.length;
}

function depthAt(tokens: Token[], index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i += 1) {
    if (tokens[i]?.kind !== 'punct') continue;
    if (tokens[i]?.value === '(') depth += 1;
    if (tokens[i]?.value === ')') depth -= 1;
  }
  return depth;
}

/** Splits at the commas outside parentheses. */
function splitTopLevel(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.value === '(') depth += 1;
    if (token.kind === 'punct' && token.value === ')') depth -= 1;
    if (token.kind === 'punct' && token.value === ',' && depth === 0) parts.push([]);
    else parts.at(-1)?.push(token);
  }
  return parts.filter((part) => part.length > 0);
}

function skipWords(tokens: Token[], from: number, words: string[]): number {
  let i = from;
  while (tokens[i]?.kind === 'word' && words.includes(tokens[i]?.upper ?? '')) i += 1;
  return i;
}

/** `schema.name` or `name`: the last part, as PostgreSQL folds it. */
function qualifiedName(tokens: Token[], from: number): { name: string; next: number } {
  let i = from;
  let name = tokens[i]?.value ?? '';
  while (tokens[i + 1]?.value === '.' && tokens[i + 2]) {
    i += 2;
    name = tokens[i]?.value ?? '';
  }
  return { name, next: i + 1 };
}

/** Tokens as written, on one line, shortened past 60 characters. */
function text(tokens: Token[]): string {
  const shown = tokens
    .map((t, i) => (i > 0 && t.spaced ? ` ${t.raw}` : t.raw))
    .join('')
    .replace(/\s+/g, ' ');
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/** The start of a statement or clause, enough to recognise it. */
function describe(tokens: Token[]): string {
  return `${text(tokens.slice(0, 6))}${tokens.length > 6 ? ' ...' : ''}`;
}
