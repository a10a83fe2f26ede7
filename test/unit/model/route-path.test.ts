import { describe, expect, it } from 'vitest';
import { toRoutePath, unroutableLiteral } from '../../../src/model/operations.js';

describe('router paths', () => {
  it('turns templates into safe parameter names', () => {
    const { routePath, routeNames } = toRoutePath('/pets/{pet-id}/photos/{name}.jpg');
    expect(routePath).toBe('/pets/:petId/photos/:name.jpg');
    expect(routeNames).toEqual(new Map([['pet-id', 'petId'], ['name', 'name']]));
  });

  it('leaves parameters the router can delimit itself alone (`/`, `-`, `.`, end)', () => {
    expect(toRoutePath('/range/{from}-{to}/{id}').routePath).toBe('/range/:from-:to/:id');
    expect(toRoutePath('/articles{ext}').routePath).toBe('/articles:ext');
  });

  it('ends a parameter followed by other text in its segment with a pattern (parliament.uk, healthcare.gov)', () => {
    // Without the pattern the router reads `sectionId,:step` as one parameter name, the same route as `/{sectionId}`.
    expect(toRoutePath('/Section/{sectionId},{step}').routePath).toBe('/Section/:sectionId([^/]+?),:step');
    expect(toRoutePath('/{pageName}{mediaTypeExtension}').routePath).toBe('/:pageName([^/]+?):mediaTypeExtension');
    expect(toRoutePath('/a/{x}_{y}/b').routePath).toBe('/a/:x([^/]+?)_:y/b');
  });
});

describe('literal text the router reads as syntax', () => {
  it('escapes a colon and leaves a parenthesis as it is, which the router serves as written', () => {
    expect(toRoutePath('/a:b').routePath).toBe('/a::b');
    expect(toRoutePath('/f(x)').routePath).toBe('/f(x)');
    expect(toRoutePath('/g/{id}(x)').routePath).toBe('/g/:id([^/]+?)(x)');
    expect(unroutableLiteral('/a:b/f(x)/{id}(x)')).toBeUndefined();
  });

  it('refuses a `*`, a wildcard the router cannot escape, located at the path', async () => {
    expect(unroutableLiteral('/d/*/x')).toContain('wildcard');
    expect(unroutableLiteral('/files/*')).toContain('wildcard');
    expect(unroutableLiteral('/d/{id}/x')).toBeUndefined();
    const { buildModel } = await import('../../../src/model/build-model.js');
    const document = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/d/*/x': { get: { responses: { '204': { description: 'none' } } } } } };
    const build = () => buildModel({ path: 'openapi.yaml', document, version: '3.0', warnings: [] } as never);
    expect(build).toThrowError(expect.objectContaining({ diagnostics: [expect.objectContaining({ code: 'SCF010', location: { pointer: '/paths/~1d~1*~1x' } })] }) as Error);
  });
});
