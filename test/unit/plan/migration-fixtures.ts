import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { relationalSchema, type RelationalSchema } from '../../../src/model/domain/relational-schema.js';
import { planMigrations, type Journal, type MigrationOptions } from '../../../src/plan/migrations.js';
import { BREAKPOINT } from '../../../src/plan/migration-sql.js';

/** The relational schema of a domain model given as YAML, loaded and checked as `--models` would. */
export async function schemaOf(yaml: string): Promise<RelationalSchema> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-migrations-'));
  await writeFile(join(dir, 'domain.yaml'), yaml);
  return relationalSchema(buildDomainModel(await loadDomainModel(join(dir, 'domain.yaml'))));
}

/** The diagnostics of a model the schema step refuses (`SCF031 ...`); a model it accepts fails the test. */
export async function problemsOf(yaml: string): Promise<string[]> {
  try {
    await schemaOf(yaml);
  } catch (error) {
    if (error instanceof ScaffoldError) return error.diagnostics.map((d) => `${d.code} ${d.message}`);
    throw error;
  }
  throw new Error('expected the model to be rejected');
}

export interface Generation {
  journal: Journal;
  snapshot: RelationalSchema;
  /** Every migration so far, in order. */
  migrations: string[];
}

/** One `scaffold generate` as far as migrations go: the next migration (if any) from the state the last one left. */
export async function generation(yaml: string, previous?: Generation, options: MigrationOptions = {}): Promise<Generation & { added: string | undefined }> {
  const plan = planMigrations(previous?.snapshot, await schemaOf(yaml), previous?.journal, options);
  // The snapshot as the engine stores it: through JSON.
  const snapshot = JSON.parse(JSON.stringify(plan.snapshot)) as RelationalSchema;
  return {
    journal: plan.journal,
    snapshot,
    migrations: [...(previous?.migrations ?? []), ...(plan.added ? [plan.added.sql] : [])],
    added: plan.added?.sql,
  };
}

/** A migration's statements as drizzle's migrator runs them, one by one. */
export function statementsOf(sql: string): string[] {
  return sql
    .split(BREAKPOINT)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Version 1 of a small library model; tests derive version 2 from it by replacing lines. */
export const LIBRARY_V1 = `schemaVersion: 1
entities:
  Author:
    fields:
      name: { type: string, maxLength: 100 }
  Book:
    fields:
      title: { type: string, maxLength: 200, unique: true }
      subtitle: { type: string, required: false }
      status: { type: enum, values: [draft, published], default: draft }
      pages: { type: integer, min: 1 }
    relations:
      author: { kind: many-to-one, target: Author }
`;

/** LIBRARY_V1 with each [old line fragment, new fragment] replaced; fails loudly when a fragment is missing. */
export function libraryV2(...edits: [string, string][]): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`the model has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
  }, LIBRARY_V1);
}
