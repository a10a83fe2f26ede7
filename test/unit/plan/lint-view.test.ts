import { describe, expect, it } from 'vitest';
import { DEFAULT_GUIDELINES } from '../../../src/load/guidelines-types.js';
import { resolveGuidelines } from '../../../src/load/load-guidelines.js';
import { buildLintView } from '../../../src/plan/lint-view.js';

describe("the layer rules of the project's own lint", () => {
  it('restricts the default layer folders', () => {
    const view = buildLintView(DEFAULT_GUIDELINES);
    expect(view.controllers).toEqual({ files: 'src/controllers/**/*.ts', regex: '(^|/)repositories/' });
    expect(view.models?.files).toBe('src/models/**/*.ts');
    expect(view.models?.packages).toEqual(expect.arrayContaining(['fastify', 'drizzle-orm', '@electric-sql/pglite']));
    expect(view.circularImports).toBe(true);
  });

  it('follows the folders the guidelines move, and leaves out the rules they turn off', () => {
    const view = buildLintView(
      resolveGuidelines({
        layers: { controllers: { path: 'src/api/controllers' }, repositories: { path: 'src/infrastructure/repositories' } },
        rules: { 'models-no-framework': false, 'no-circular-imports': false },
      }),
    );
    expect(view.controllers).toEqual({ files: 'src/api/controllers/**/*.ts', regex: '(^|/)infrastructure/repositories/' });
    expect(new RegExp(view.controllers?.regex ?? '$^').test('../../infrastructure/repositories/order.repo.js')).toBe(true);
    expect(new RegExp(view.controllers?.regex ?? '$^').test('../../domain/services/orders.service.js')).toBe(false);
    expect(view.models).toBeUndefined();
    expect(view.circularImports).toBe(false);
  });
});
