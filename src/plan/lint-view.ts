import type { Guidelines } from '../load/guidelines-types.js';

/**
 * The layer rules the generated project's own lint enforces (eslint.config.js, `npm run lint`): the
 * same rules `scaffold check` verifies, as `no-restricted-imports` patterns per layer folder, and the
 * project's own import-cycle rule.
 */
export interface LintView {
  /** Controllers never import repositories: the files it applies to, and the pattern of a repository import. */
  controllers?: { files: string; regex: string };
  /** Models import no framework code. */
  models?: { files: string; packages: string[] };
  /** No import cycle under src/: the rule ships with the project (CIRCULAR_IMPORTS_RULE_FILE). */
  circularImports: boolean;
}

/**
 * The project's own ESLint rule for import cycles, written only when the guidelines enforce them. A
 * local rule rather than eslint-plugin-import-x's `no-cycle`, which needs a TypeScript resolver (two
 * packages more, with a native binary) for the `.js` specifiers of `.ts` files and does not name the
 * cycle; this one reads imports as `scaffold check` does and reports the same cycle.
 */
export const CIRCULAR_IMPORTS_RULE_FILE = 'eslint/no-circular-imports.js';

/** Packages a model must not import (src/check/guidelines.ts checks the same list). */
export const FRAMEWORK_PACKAGES = ['fastify', '@fastify/*', 'fastify-*', 'drizzle-orm', 'drizzle-orm/*', 'drizzle-kit', 'pg', 'pg/*', 'postgres', '@electric-sql/pglite', '@electric-sql/pglite/*'];

export function buildLintView(guidelines: Guidelines): LintView {
  const { controllers, repositories, models } = guidelines.layers;
  // A relative import reaching the repositories folder ends with its path below src/: `../repositories/x.js`.
  const repositoriesTail = repositories.path.replace(/^src\//, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    ...(guidelines.rules['controllers-no-repositories'] && { controllers: { files: `${controllers.path}/**/*.ts`, regex: `(^|/)${repositoriesTail}/` } }),
    ...(guidelines.rules['models-no-framework'] && { models: { files: `${models.path}/**/*.ts`, packages: FRAMEWORK_PACKAGES } }),
    circularImports: guidelines.rules['no-circular-imports'],
  };
}
