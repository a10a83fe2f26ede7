import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { exampleSpec, fixtureSpec } from '../../support/fixtures.js';

describe('model stage', () => {
  it('groups operations into resources by tag and names them safely', async () => {
    const { model } = buildModel(await loadSpec(exampleSpec('petstore')));
    expect(model.basePath).toBe('/v2');
    expect(model.resources.map((r) => r.names.kebab)).toEqual(['pet', 'store', 'user']);
    const pet = model.resources[0];
    expect(pet?.operations.map((o) => o.methodName)).toContain('uploadFile');
    expect(pet?.operations.find((o) => o.methodName === 'getPetById')?.routeUrl).toBe('/v2/pet/:petId');
  });

  it('makes request and response variants of components with readOnly/writeOnly properties', async () => {
    const { model } = buildModel(await loadSpec(fixtureSpec('minimal.yaml')));
    expect(model.schemas.map((s) => s.id)).toEqual(['Thing', 'Thing.request', 'Thing.response']);
  });

  it('turns hostile names into identifiers, router-safe paths and a safe base path', async () => {
    const { model, diagnostics } = buildModel(await loadSpec(fixtureSpec('hostile-names.yaml')));
    expect(model.basePath).toBe('/etc');
    const names = model.resources.map((r) => r.names.kebab);
    expect(names).toEqual(['evil-tag', 'constructor']);
    const [get, post] = model.resources[0]?.operations ?? [];
    expect(get?.methodName).toBe('reposGet');
    expect(get?.routeUrl).toBe('/etc/repos/:ownerName/:repoName');
    expect(post?.methodName).toBe('classOperation');
    expect(model.resources[1]?.operations[0]?.methodName).toBe('deleteNoIdById');
    expect(diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['SCF101', 'SCF102']));
    expect(model.schemas.map((s) => s.id)).toEqual(['AB', 'AB2']);
  });

  it('refuses two paths that are the same route (SCF011)', async () => {
    const spec = await loadSpec(fixtureSpec('colliding-routes.yaml'));
    try {
      buildModel(spec);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScaffoldError);
      expect((error as ScaffoldError).diagnostics[0]?.code).toBe('SCF011');
    }
  });

  it('detects the house envelope through allOf', async () => {
    const { model } = buildModel(await loadSpec(exampleSpec('ecommerce')));
    expect(model.usesEnvelope).toBe(true);
    const getProduct = model.resources.flatMap((r) => r.operations).find((o) => o.operationId === 'getProduct');
    expect(getProduct?.responses.find((r) => r.status === '200')?.envelope).toBe(true);
  });
});

describe('constructs that are not endpoints of this server', () => {
  it('are reported, never dropped silently', async () => {
    const { diagnostics } = buildModel(await loadSpec(fixtureSpec('callbacks-webhooks.yaml')));
    const messages = diagnostics.filter((d) => d.code === 'SCF010').map((d) => d.message);
    expect(messages).toEqual([
      expect.stringContaining('webhook "newPet"'),
      expect.stringContaining('/subscribe declares its own servers'),
      expect.stringContaining('callback "onEvent" of POST /subscribe'),
    ]);
  });
});
