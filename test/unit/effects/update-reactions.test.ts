import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainModel } from '../../../src/load/load-domain-model.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { bindOperations } from '../../../src/model/crud/bind-operations.js';
import { buildDomainModel } from '../../../src/model/domain/build-domain.js';
import type { DomainModel } from '../../../src/model/domain/types.js';
import { buildServiceCode } from '../../../src/plan/crud-code.js';
import { buildDomainRules, reactionHook } from '../../../src/plan/effects/domain-rules.js';
import { buildDomainViews } from '../../../src/plan/entity-view.js';
import { exampleModels, exampleSpec } from '../../support/fixtures.js';

/**
 * Reactions to an update (docs/domain-model.md, "Reactions"): `on: <Entity>.updated` with `when`, a
 * condition the update makes hold, run in the update's unit of work (user-management: suspending a user
 * revokes all their sessions); and `now`, which stamps a datetime field in a method.
 */
const ACCOUNTS = (reaction: string) => `
schemaVersion: 1
entities:
  Account:
    fields:
      status: { type: enum, values: [active, suspended], default: active }
    relations:
      keys: { kind: one-to-many, target: ApiKey, inverse: account }
  ApiKey:
    fields:
      revokedAt: { type: datetime, required: false }
    relations:
      account: { kind: many-to-one, target: Account }
    methods:
      revoke: { set: { revokedAt: now } }
reactions:
${reaction}
`;

async function domainOf(text: string): Promise<DomainModel> {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-update-reactions-'));
  await writeFile(join(dir, 'domain.yaml'), text);
  return buildDomainModel(await loadDomainModel(join(dir, 'domain.yaml')));
}

describe('reactions to an update', () => {
  it('run when the update makes their condition hold, not while it already held', async () => {
    const domain = await domainOf(ACCOUNTS("  - { on: Account.updated, when: \"status == 'suspended'\", forEach: keys, where: revokedAt == null, call: revoke }"));
    expect(domain.reactions[0]).toMatchObject({ trigger: { entity: 'Account', on: 'updated' }, when: { source: "status == 'suspended'" } });
    expect(reactionHook(domain, { entity: 'Account', on: 'updated' })).toBe('onAccountUpdated');
    const rules = buildDomainRules(domain);
    const hook = rules?.functions.find((f) => f.includes('onAccountUpdated')) ?? '';
    expect(hook).toContain('export async function onAccountUpdated(account: Account, before: Readonly<AccountProps>, repositories: Repositories): Promise<void> {');
    expect(hook).toContain("if ((account.status === \"suspended\") && !(before.status === \"suspended\")) {");
    expect(hook).toContain('apiKey.revoke();');
    expect(rules?.imports).toContain("import type { AccountProps } from '../models/account.entity.gen.js';");
  });

  it('stamp a datetime field with the time of the change through `now`', async () => {
    const domain = await domainOf(ACCOUNTS('  - { on: Account.updated, forEach: keys, call: revoke }'));
    const apiKey = buildDomainViews(domain).entities.find((e) => e.className === 'ApiKey');
    expect(apiKey?.methods[0]?.patch).toBe('{ revokedAt: new Date() }');
    expect(apiKey?.methodTests[0]?.expected).toBe('revokedAt: expect.any(Date)');
  });

  it.each([
    ["  - { on: Account.created, when: \"status == 'suspended'\", forEach: keys, call: revoke }", 'the reaction to Account.created has no update'],
    ["  - { on: Account.updated, when: \"state == 'suspended'\", forEach: keys, call: revoke }", 'names "state", which is not known there'],
    ['  - { on: Account.update, forEach: keys, call: revoke }', 'has no transition "update" (created, updated'],
  ])('refuse %s', async (reaction, message) => {
    await expect(domainOf(ACCOUNTS(reaction))).rejects.toThrow(message);
  });

  it('refuse `now` anywhere but alone, for a datetime field', async () => {
    await expect(domainOf(ACCOUNTS('  - { on: Account.updated, forEach: keys, call: revoke }').replace('revokedAt: now', 'revokedAt: now + 1'))).rejects.toThrow('names "now", which is not known there');
  });

  it("join the update's unit of work in the generated service, with the state before the update (user-management's updateUser)", async () => {
    const { model } = buildModel(await loadSpec(exampleSpec('user-management')));
    const domain = buildDomainModel(await loadDomainModel(exampleModels('user-management') as string));
    const crud = bindOperations(model, domain);
    const implementation = crud.operations.get('updateUser')?.implementation;
    if (implementation?.kind !== 'crud') throw new Error('updateUser is not CRUD');
    const code = buildServiceCode([implementation.operation], crud, domain, model.basePath);
    const body = code.methods.get('updateUser')?.body ?? '';
    expect(body.startsWith('return this.unitOfWork.run(async () => {')).toBe(true);
    expect(body).toContain('const before = user.toProps();');
    expect(body).toContain('await onUserUpdated(saved, before, this.repositories);');
    expect([...code.uses.domainRules]).toEqual(['onUserUpdated']);
  });
});
