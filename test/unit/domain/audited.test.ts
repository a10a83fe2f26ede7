import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { generation, LIBRARY_V1, libraryV2, problemsOf, schemaOf, statementsOf } from '../plan/migration-fixtures.js';

/**
 * `audited: true` (docs/domain-model.md, "Audit log"): every change of the entity's rows is recorded in
 * one append-only table, audit_log, which the migrations create once some entity is audited.
 */
const AUDITED = libraryV2(['  Book:\n', '  Book:\n    audited: true\n']);

describe('audited entities', () => {
  it('add one audit_log table, indexed by entity and id, to the migrations', async () => {
    const schema = await schemaOf(AUDITED);
    expect(schema.tables.map((t) => t.name)).toEqual(['authors', 'books', 'audit_log']);
    const statements = statementsOf((await generation(AUDITED)).added ?? '');
    expect(statements).toContain(
      [
        'CREATE TABLE "audit_log" (',
        '  "id" uuid DEFAULT gen_random_uuid() NOT NULL,',
        '  "entity" text NOT NULL,',
        '  "entity_id" text NOT NULL,',
        '  "action" text NOT NULL,',
        '  "actor" text,',
        '  "at" timestamptz DEFAULT now() NOT NULL,',
        '  "changes" jsonb NOT NULL,',
        '  "reason" text,',
        '  "request_id" text,',
        '  CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")',
        ');',
      ].join('\n'),
    );
    expect(statements).toContain('CREATE INDEX "audit_log_entity_entity_id_idx" ON "audit_log" ("entity", "entity_id");');
  });

  it('without one, there is no audit_log', async () => {
    expect((await schemaOf(LIBRARY_V1)).tables.map((t) => t.name)).toEqual(['authors', 'books']);
  });

  it('declared later, create the table in a new migration, unflagged', async () => {
    const v2 = await generation(AUDITED, await generation(LIBRARY_V1));
    expect(statementsOf(v2.added ?? '').map((s) => s.split('\n')[0])).toEqual(['CREATE TABLE "audit_log" (', 'CREATE INDEX "audit_log_entity_entity_id_idx" ON "audit_log" ("entity", "entity_id");']);
  });

  it('are refused when an entity already uses the audit_log table', async () => {
    expect(await problemsOf(`${AUDITED}  Log:\n    table: audit_log\n    fields:\n      line: { type: text }\n`)).toEqual([
      'SCF031 entity Log uses the table audit_log, which holds the audit log of the audited entities (Book); give Log another table',
    ]);
  });

  it('take the reason of their records from the request property the mapping names; other entities have none', async () => {
    expect(await problemsOf(`${LIBRARY_V1}mapping:\n  Books: { entity: Book, auditReason: reason }\n`)).toEqual([
      'SCF031 mapping of "Books" names an auditReason, but Book is not audited (declare audited: true on it)',
    ]);
    await expect(schemaOf(`${AUDITED}mapping:\n  Books: { entity: Book, auditReason: reason }\n`)).resolves.toBeDefined();
  });

  it('say so with a boolean, and a misspelt unique: ignore-case is named in the model\'s words', async () => {
    expect(await problemsOf(AUDITED.replace('audited: true', 'audited: always').replace('unique: true', 'unique: ignorecase'))).toEqual([
      'SCF030 "audited" of Book must be a boolean',
      'SCF030 "unique" of field "title" of Book must be one of true, false, ignore-case, not "ignorecase"; did you mean "ignore-case"?',
    ]);
  });

  it('are declared in an overlay too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-audited-'));
    await writeFile(join(dir, 'schema.dbml'), 'Table stock { id uuid [pk]\n  qty integer [not null] }');
    await writeFile(join(dir, 'overlay.yaml'), 'schemaVersion: 1\nstructure: ./schema.dbml\nentities:\n  Stock:\n    table: stock\n    audited: true\n');
    const loaded = await loadDomainModel(join(dir, 'overlay.yaml'));
    expect(loaded.document.entities.Stock?.audited).toBe(true);
    expect(buildDomainModel(loaded).entities[0]?.audited).toBe(true);
  });
});
