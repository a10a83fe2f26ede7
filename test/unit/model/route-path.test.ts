import { describe, expect, it } from 'vitest';
import { toRoutePath } from '../../../src/model/operations.js';

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
