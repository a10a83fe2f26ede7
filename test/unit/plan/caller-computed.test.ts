import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import { buildMappers, buildServiceCode } from '../../../src/plan/crud-code.js';
import { buildDomainViews } from '../../../src/plan/entity-view.js';
import { exampleModels, exampleSpec } from '../../support/fixtures.js';

/**
 * A computed value that reads the caller (docs/domain-model.md, "Computed values"): user-management's
 * `Session.current` (`id == auth.claims.sid`) is no getter of the entity but a value of each response,
 * computed by the mapper with the request's caller; so listUserSessions is CRUD, not a stub.
 */
describe('computed values relative to the caller', () => {
  it('are computed by the response mapper with the caller, and make the nested session list CRUD', async () => {
    const { model } = buildModel(await loadSpec(exampleSpec('user-management')));
    const domain = buildDomainModel(await loadDomainModel(exampleModels('user-management') as string));
    const crud = bindOperations(model, domain);
    const implementation = crud.operations.get('listUserSessions')?.implementation;
    expect(implementation?.kind).toBe('crud');
    const mappers = buildMappers(crud, domain, model.basePath);
    const toSession = mappers.functions.find((f) => f.includes('export function toSession(')) ?? '';
    expect(toSession).toContain('export function toSession(session: Session, caller: Caller | undefined)');
    expect(toSession).toContain('current: (claimOf(caller, ["sid"]) !== undefined && session.id === claimOf(caller, ["sid"])),');
    expect(mappers.callerImport).toBe("import { claimOf, type Caller } from '../models/caller.js';");
    if (implementation?.kind !== 'crud') return;
    const body = buildServiceCode([implementation.operation], crud, domain, model.basePath).methods.get('listUserSessions')?.body ?? '';
    expect(body).toContain('result.items.map((session) => toSession(session, context.auth))');
    // No getter on the entity: the entity has no caller.
    const session = buildDomainViews(domain).entities.find((e) => e.className === 'Session');
    expect(session?.computed).toEqual([]);
  });

  it.each([
    ["{ type: integer, value: 'id == auth.sub' }", 'reads the caller, so it is a condition: give it type boolean'],
    ["{ type: boolean, value: 'owner.name == auth.sub' }", 'names unknown field'],
    ["{ type: boolean, value: 'name == auth.tenant' }", 'is not a value of the caller'],
  ])('refuses %s', async (computed, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-caller-computed-'));
    await writeFile(join(dir, 'domain.yaml'), `schemaVersion: 1\nentities:\n  Note:\n    fields: { name: { type: string } }\n    computed:\n      mine: ${computed}\n`);
    await expect(loadDomainModel(join(dir, 'domain.yaml')).then(buildDomainModel)).rejects.toThrow(message);
  });
});
