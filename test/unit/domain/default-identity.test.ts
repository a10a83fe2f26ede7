import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';

async function domainFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-identity-'));
  await writeFile(join(dir, name), text);
  return join(dir, name);
}

const identities = (model: ReturnType<typeof buildDomainModel>) => model.entities.map((e) => `${e.names.original} (${e.identity})`);

const MODEL = `
schemaVersion: 1
entities:
  Customer:
    fields: { name: { type: string, required: true } }
  Invoice:
    identity: uuid
    fields: { total: { type: integer, required: true } }
  Ticket:
    identity: serial
    fields: { title: { type: string, required: true } }
`;

describe('the identity of domain entities that do not declare one', () => {
  it('is the guidelines idType, while a declared identity stays', async () => {
    const loaded = await loadDomainModel(await domainFile('domain.yaml', MODEL));
    expect(identities(buildDomainModel(loaded, { identity: 'serial' }))).toEqual(['Customer (serial)', 'Invoice (uuid)', 'Ticket (serial)']);
    expect(identities(buildDomainModel(loaded, { identity: 'uuid' }))).toEqual(['Customer (uuid)', 'Invoice (uuid)', 'Ticket (serial)']);
  });

  it('is uuid with no guidelines', async () => {
    expect(identities(buildDomainModel(await loadDomainModel(await domainFile('domain.yaml', MODEL))))).toEqual(['Customer (uuid)', 'Invoice (uuid)', 'Ticket (serial)']);
  });

  it('of a table read from DBML is the table id column, whatever the guidelines say', async () => {
    const dbml = 'Table customers {\n  id uuid [pk, default: `gen_random_uuid()`]\n  name text [not null]\n}\n';
    const loaded = await loadDomainModel(await domainFile('schema.dbml', dbml));
    expect(identities(buildDomainModel(loaded, { identity: 'serial' }))).toEqual(['Customer (uuid)']);
  });
});
