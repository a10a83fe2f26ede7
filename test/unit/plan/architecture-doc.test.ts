import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCode } from '../../../src/emit/format-code.js';
import { createTemplateRenderer } from '../../../src/emit/render-template.js';
import { TEMPLATES_DIR } from '../../../src/engine.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import type { ImplementationEntry } from '../../../src/model/crud/types.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { relationalSchema, type RelationalSchema } from '../../../src/model/domain/relational-schema.js';
import type { DomainModel, Entity } from '../../../src/model/domain/types.js';
import { names } from '../../../src/model/naming.js';
import { buildArchitectureView, type ArchitectureInput } from '../../../src/plan/architecture-view.js';
import { ownerOf } from '../../../src/plan/build-plan.js';
import { erDiagram } from '../../../src/plan/er-diagram.js';
import { fencedBlock, inlineCode, markdownText, tableCode } from '../../../src/plan/markdown.js';

/** Names and paths that would break a markdown document or a mermaid diagram if placed as they are. */
const HOSTILE = [
  'a|b',
  'a\\|b',
  '`tick`',
  '``double``',
  'ends with `',
  'line\nbreak',
  'cr\r\nlf',
  '<!-- hides the rest',
  '<script>alert(1)</script>',
  '*bold* _em_ ~~gone~~ $x$',
  '[link](javascript:alert(1))',
  '| --- |',
  '```',
  'back\\slash',
];

/** The cells of a GFM table row: split at pipes no backslash escapes (as GFM does before parsing inlines). */
function cells(row: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < row.length; i += 1) {
    const c = row[i] as string;
    if (c === '\\' && i + 1 < row.length) {
      current += c + row[i + 1];
      i += 1;
    } else if (c === '|') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.slice(1, -1).map((p) => p.trim());
}

/** What a code span shows (CommonMark: the content between equal backtick runs, one padding space stripped). */
function codeSpanContent(span: string): string | undefined {
  const match = /^(`+)(.*?)\1$/s.exec(span);
  if (!match) return undefined;
  const inner = match[2] as string;
  return /^ .* $/s.test(inner) && inner.trim() !== '' ? inner.slice(1, -1) : inner;
}

/** What escaped text shows: backslash escapes of ASCII punctuation resolved. */
function unescape(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

describe('markdown from user input', () => {
  it.each(HOSTILE)('keeps %j in one table cell, showing it as it is', (text) => {
    const shown = text.replace(/\r\n|[\r\n]/g, ' ');
    for (const cell of [tableCode(text), markdownText(text)]) {
      const row = `| ${cell} | next |`;
      expect(cells(row)).toHaveLength(2);
      expect(cells(row)[1]).toBe('next');
      expect(cell).not.toMatch(/[\r\n]/);
    }
    // A code span in a table: GFM turns `\|` back into `|` before reading the span.
    const code = tableCode(text);
    const asCode = codeSpanContent(code.replace(/\\\|/g, '|'));
    expect(asCode ?? unescape(code)).toBe(shown);
    expect(unescape(markdownText(text))).toBe(shown);
    // Nothing HTML survives unescaped in plain text.
    expect(markdownText(text)).not.toMatch(/(^|[^\\])</);
  });

  it('writes inline code with a fence longer than any backtick run inside', () => {
    expect(inlineCode('plain')).toBe('`plain`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x`')).toBe('`` `x` ``');
    expect(codeSpanContent(inlineCode('a ``` b'))).toBe('a ``` b');
    expect(inlineCode('  ')).toBe('(blank)');
  });

  it('fences a block so that no line of its content can close it', () => {
    const sql = "INSERT INTO t VALUES ('\n```\n');";
    const block = fencedBlock(sql, 'sql');
    const fence = block.split('\n')[0]?.replace('sql', '') ?? '';
    expect(fence).toBe('````');
    expect(block.split('\n').slice(1, -1).every((line) => !line.startsWith(fence))).toBe(true);
    expect(fencedBlock('SELECT 1;\n', 'sql')).toBe('```sql\nSELECT 1;\n```');
  });
});

async function domainFrom(yaml: string): Promise<DomainModel> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-erd-'));
  await writeFile(join(dir, 'domain.yaml'), yaml);
  return buildDomainModel(await loadDomainModel(join(dir, 'domain.yaml')));
}

const LIBRARY = `
schemaVersion: 1
entities:
  Author:
    fields:
      name: { type: string }
    relations:
      books: { kind: one-to-many, target: Book, inverse: author }
  Book:
    fields:
      title: { type: string }
      price: { type: decimal, precision: 10, scale: 2 }
      rating: { type: number, required: false }
    relations:
      author: { kind: many-to-one, target: Author }
      editor: { kind: many-to-one, target: Author, required: false, onDelete: set-null }
      tags: { kind: many-to-many, target: Tag }
  Tag:
    fields:
      label: { type: string, unique: true }
  Passport:
    fields:
      number: { type: string }
    relations:
      holder: { kind: one-to-one, target: Author }
  Badge:
    fields:
      kind: { type: string }
    relations:
      owner: { kind: one-to-one, target: Author, required: false, onDelete: set-null }
  Cover:
    fields:
      url: { type: string }
    relations:
      book: { kind: many-to-one, target: Book, onDelete: cascade }
    indexes:
      - { fields: [book], unique: true }
  Category:
    fields:
      name: { type: string }
    relations:
      parent: { kind: many-to-one, target: Category, required: false, onDelete: set-null }
`;

describe('the ER diagram', () => {
  it('draws each relation once, from its foreign key, with the cardinality the schema enforces', async () => {
    const domain = await domainFrom(LIBRARY);
    const relationships = erDiagram(domain, relationalSchema(domain))
      .split('\n')
      .filter((line) => line.includes(' : '))
      .map((line) => line.trim());
    expect(relationships).toEqual([
      // many-to-one, required (the one-to-many Author.books is this same key, not drawn twice)
      'Author ||..o{ Book : "author"',
      // many-to-one, optional
      'Author |o..o{ Book : "editor"',
      // one-to-one: the foreign key is unique
      'Author ||..o| Passport : "holder"',
      'Author |o..o| Badge : "owner"',
      // a many-to-one under a unique index is a one-to-one in the database
      'Book ||..o| Cover : "book"',
      // self-reference
      'Category |o..o{ Category : "parent"',
      // many-to-many through its join table, whose keys are its primary key (identifying lines)
      'Book ||--o{ books_tags : "tags"',
      'Tag ||--o{ books_tags : "tag_id"',
    ]);
  });

  it('lists columns with their types and PK/FK/UK markers', async () => {
    const domain = await domainFrom(LIBRARY);
    const diagram = erDiagram(domain, relationalSchema(domain));
    const block = (name: string) => diagram.split(`  ${name} {\n`)[1]?.split('\n  }')[0]?.split('\n').map((l) => l.trim());
    expect(block('Book')).toEqual([
      'uuid id PK',
      'text title',
      'numeric(10_2) price',
      'double_precision rating',
      'uuid author_id FK',
      'uuid editor_id FK',
      'timestamptz created_at',
      'timestamptz updated_at',
    ]);
    expect(block('Tag')).toContain('text label UK');
    expect(block('Passport')).toContain('uuid holder_id FK, UK');
    expect(block('books_tags')).toEqual(['uuid book_id PK, FK', 'uuid tag_id PK, FK']);
  });

  it('reduces hostile names to plain mermaid words and steers clear of its keywords', () => {
    const entity = (name: string, table: string): Entity => ({
      names: names(name),
      table,
      renamedFrom: undefined,
      aggregate: name,
      identity: 'uuid',
      timestamps: false,
      softDelete: false,
      versioned: false,
      audited: false,
      fields: [],
      relations: [],
      indexes: [],
      invariants: [],
      stateMachine: undefined,
      computed: [],
      policies: undefined,
      deleteRefusals: [],
      changeRefusals: [],
      methods: [],
      checks: [],
      description: '',
    });
    const hostile = ['One', 'class', 'Order "x" %% {', '1st', 'end', 'ONE'];
    const domain: DomainModel = { entities: hostile.map((n, i) => entity(n, `t${i}`)), valueObjects: [], mapping: {}, reactions: [], gateways: [], gatewayCalls: [] };
    const schema: RelationalSchema = {
      tables: hostile.map((name, i) => ({
        name: `t${i}`,
        entity: name,
        columns: [
          { name: 'id', type: 'uuid', nullable: false, default: undefined, identity: false, property: 'id' },
          { name: 'pk', type: 'double precision', nullable: false, default: undefined, identity: false, property: 'pk' },
          { name: '9 lives"}', type: 'numeric(10, 2)', nullable: true, default: undefined, identity: false, property: 'x' },
          { name: 'ref', type: 'uuid', nullable: false, default: undefined, identity: false, property: 'ref' },
        ],
        primaryKey: ['id'],
        uniques: [],
        checks: [],
        foreignKeys: [{ name: `t${i}_ref_fkey`, column: 'ref', references: { table: `t${(i + 1) % hostile.length}`, column: 'id' }, onDelete: 'restrict' }],
        indexes: [],
      })),
    };
    const lines = erDiagram(domain, schema).split('\n');
    const keywords = /^(erdiagram|style|classdef|class|subgraph|end|one|many|to|optionally|only|zero|u|direction|acctitle|accdescr|title)$/i;
    const name = '[A-Za-z][A-Za-z0-9_]*';
    const entityNames: string[] = [];
    for (const line of lines.slice(1)) {
      const opening = new RegExp(`^  (${name}) \\{$`).exec(line);
      const relationship = new RegExp(`^  (${name}) (\\|\\||\\|o)(--|\\.\\.)(o\\{|o\\|) (${name}) : "[A-Za-z0-9_]+"$`).exec(line);
      const attribute = /^ {4}[A-Za-z][A-Za-z0-9_()]* [A-Za-z][A-Za-z0-9_]*( (PK|FK|UK)(, (PK|FK|UK))*)?$/.exec(line);
      expect(opening ?? relationship ?? attribute ?? (line === '  }' ? [] : null), line).not.toBeNull();
      if (opening) entityNames.push(opening[1] as string);
      for (const word of [opening?.[1], relationship?.[1], relationship?.[5]]) if (word) expect(word).not.toMatch(keywords);
      if (attribute) expect(line.trim().split(' ')[1]).not.toMatch(/^(pk|fk|uk)$/i);
    }
    expect(entityNames).toEqual(['One_', 'class_', 'Order_x_', 'E1st', 'end_', 'ONE_2']);
    expect(lines).toContain('    double_precision pk_');
    expect(lines).toContain('    numeric(10_2) c9_lives_');
  });
});

describe('docs/ARCHITECTURE.md', () => {
  it('belongs to the generator, so that it follows the model', () => {
    expect(ownerOf('docs/ARCHITECTURE.md')).toBe('generator');
    expect(ownerOf('README.md')).toBe('template');
  });

  it('keeps hostile operation ids and paths inside their table cells', async () => {
    const entries: ImplementationEntry[] = HOSTILE.map((text, i) => ({
      operationId: text,
      methodName: `method${i}`,
      signature: `GET /items/${text}`,
      resource: 'Items',
      entity: undefined,
      implementation: { kind: 'stub', reason: `cannot map ${text}` },
      notes: [],
    }));
    const input: ArchitectureInput = {
      packageName: 'hostile',
      specFile: 'spec `x`|.yaml',
      entries,
      counts: { crud: 0, domain: 0, stub: entries.length, proseRulesNotImplemented: { crud: 0, domain: 0 } },
      rules: new Map(),
      handlers: new Map(entries.map((e) => [e.operationId, { controllerClass: 'ItemsController', serviceClass: 'ItemsService', methodName: e.methodName }])),
      domain: undefined,
      schema: undefined,
      migrationFiles: [],
      basePath: '/v1|`',
      securitySchemes: [{ key: 'key|`<!--', kind: 'apiKey' }],
      tests: { total: 9, contract: 2, fuzz: 2, application: 5, model: 0, repository: 0, api: 0, unitOfWork: 0, gateways: 0 },
    };
    const view = { architecture: buildArchitectureView(input), persistence: undefined, tests: input.tests };
    const path = join(TEMPLATES_DIR, 'project', 'docs', 'ARCHITECTURE.md.hbs');
    const rendered = createTemplateRenderer({}).render(path, await readFile(path, 'utf8'), view);
    const markdown = await formatCode('docs/ARCHITECTURE.md', rendered);
    // Prettier rewrites the table (and picks its own backtick fences): these are the rows as written to disk.
    const rows = markdown.split('\n').filter((line) => line.startsWith('|') && line.includes('ItemsController'));
    expect(rows).toHaveLength(HOSTILE.length);
    for (const [i, row] of rows.entries()) {
      const [route, operationId, controller, service, implementation] = cells(row);
      expect(cells(row)).toHaveLength(6);
      const shown = (cell: string) => codeSpanContent(cell.replace(/\\\|/g, '|')) ?? unescape(cell);
      const text = (HOSTILE[i] as string).replace(/\r\n|[\r\n]/g, ' ');
      expect(shown(route as string)).toBe(`GET /items/${text}`);
      expect(shown(operationId as string)).toBe(text);
      expect(shown(controller as string)).toBe(`ItemsController.method${i}`);
      expect(shown(service as string)).toBe(`ItemsService.method${i}`);
      expect(unescape(implementation as string)).toBe(`stub (501); cannot map ${text}`);
    }
    expect(markdown).toContain('This project has no persistence yet');
    expect(markdown).not.toContain('erDiagram');
    expect(markdown).not.toContain('```sql');
    // The spec's own names in prose: code spans with a long enough fence.
    expect(markdown).toContain('``key|`<!--``');
    expect(markdown).toContain('`` /v1|` ``');
    expect(markdown).toContain('Written by scaffold from ``spec `x`|.yaml``');
  });
});
