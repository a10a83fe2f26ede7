import type { RelationalSchema, Table } from '../model/domain/relational-schema.js';
import type { DomainModel } from '../model/domain/types.js';

/**
 * The domain model's tables as a mermaid `erDiagram`: one entity per table (the domain entity's
 * name, or the join table's), its columns with their SQL types and PK/FK/UK markers, and one
 * relationship per foreign key, in crow's-foot notation read from the schema itself:
 *
 * - a foreign key that is not null (a required many-to-one): `Parent ||..o{ Child`;
 * - a nullable one (an optional many-to-one): `Parent |o..o{ Child`;
 * - a unique one (a one-to-one, or a many-to-one under a unique index): `Parent ||..o| Child`
 *   (`|o..o|` when nullable);
 * - one in the primary key (a many-to-many's join table): `Parent ||--o{ join_table`, identifying.
 *
 * A one-to-many is the other side's many-to-one and is drawn once, from its foreign key. Names come
 * from the model, so every word is reduced to what mermaid reads as a plain name, and the words its
 * lexer takes as keywords (case-insensitively) get a trailing underscore.
 */
export function erDiagram(domain: DomainModel, schema: RelationalSchema): string {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const table of schema.tables) {
    let name = mermaidName(table.entity ?? table.name);
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = mermaidName(`${table.entity ?? table.name}_${n}`);
    taken.add(name.toLowerCase());
    names.set(table.name, name);
  }
  const lines = ['erDiagram'];
  for (const table of schema.tables) {
    lines.push(`  ${names.get(table.name)} {`);
    for (const column of table.columns) {
      const keys = columnKeys(table, column.name);
      lines.push(`    ${attributeWord(column.type, 't')} ${attributeWord(column.name, 'c')}${keys.length > 0 ? ` ${keys.join(', ')}` : ''}`);
    }
    lines.push('  }');
  }
  for (const table of schema.tables) {
    for (const fk of table.foreignKeys) {
      const parent = names.get(fk.references.table) ?? mermaidName(fk.references.table);
      const column = table.columns.find((c) => c.name === fk.column);
      const parentSide = column?.nullable ? '|o' : '||';
      const childSide = isUnique(table, fk.column) ? 'o|' : 'o{';
      const line = table.primaryKey.includes(fk.column) ? '--' : '..';
      lines.push(`  ${parent} ${parentSide}${line}${childSide} ${names.get(table.name)} : "${labelWord(relationLabel(domain, table, fk))}"`);
    }
  }
  return lines.join('\n');
}

/** Words mermaid's ER lexer reads as keywords whatever their case (checked against mermaid 12). */
const ENTITY_KEYWORDS = new Set([
  'erdiagram', 'style', 'classdef', 'class', 'subgraph', 'end', 'one', 'many', 'to', 'optionally', 'only', 'zero', 'u',
  'direction', 'acctitle', 'accdescr', 'title',
]);
const ATTRIBUTE_KEYWORDS = new Set(['pk', 'fk', 'uk']);

/** An entity name: letters, digits and underscores, starting with a letter, never a keyword. */
export function mermaidName(raw: string): string {
  let name = raw.replace(/[^A-Za-z0-9_]+/g, '_');
  if (!/^[A-Za-z]/.test(name)) name = `E${name}`;
  return ENTITY_KEYWORDS.has(name.toLowerCase()) ? `${name}_` : name;
}

/** A column's name or type: mermaid's attribute word (types keep their parentheses: `varchar(200)`). */
export function attributeWord(raw: string, prefix: string): string {
  let word = raw
    .replace(/[^A-Za-z0-9_()]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/_+(?=\))/g, '');
  if (!/^[A-Za-z]/.test(word)) word = `${prefix}${word}`;
  return ATTRIBUTE_KEYWORDS.has(word.toLowerCase()) ? `${word}_` : word;
}

/** A relationship's label, inside double quotes: no quote, no `%` (mermaid comments), no line break. */
function labelWord(raw: string): string {
  return raw.replace(/[^A-Za-z0-9_]+/g, '_') || '_';
}

function columnKeys(table: Table, column: string): string[] {
  const keys: string[] = [];
  if (table.primaryKey.includes(column)) keys.push('PK');
  if (table.foreignKeys.some((fk) => fk.column === column)) keys.push('FK');
  if (!table.primaryKey.includes(column) && isUnique(table, column)) keys.push('UK');
  return keys;
}

/** A column whose values are unique on their own: a one-column unique constraint or unique index, or the primary key. */
function isUnique(table: Table, column: string): boolean {
  const alone = (columns: readonly string[]) => columns.length === 1 && columns[0] === column;
  return alone(table.primaryKey) || table.uniques.some((u) => alone(u.columns)) || table.indexes.some((i) => i.unique && alone(i.columns));
}

/**
 * The relation a foreign key stores, by its name in the model: the many-to-one or one-to-one of the
 * table's entity, or, for a join table, the many-to-many of the entity it references.
 */
function relationLabel(domain: DomainModel, table: Table, fk: Table['foreignKeys'][number]): string {
  if (table.entity !== undefined) {
    const entity = domain.entities.find((e) => e.names.original === table.entity);
    return entity?.relations.find((r) => r.column === fk.column)?.names.original ?? fk.column;
  }
  // A many-to-many of an entity with itself has two keys to the same table: the second is named by its column.
  if (table.foreignKeys.find((f) => f.references.table === fk.references.table) !== fk) return fk.column;
  const referenced = domain.entities.find((e) => e.table === fk.references.table);
  return referenced?.relations.find((r) => r.kind === 'many-to-many' && r.joinTable === table.name)?.names.original ?? fk.column;
}
