import type { Guidelines } from '../load/guidelines-types.js';

/**
 * The layer rules the generated project's own lint enforces (eslint.config.js, `npm run lint`): the
 * same rules `scaffold check` verifies, as `no-restricted-imports` patterns per layer folder.
 */
export interface LintView {
  /** Controllers never import repositories: the files it applies to, and the pattern of a repository import. */
  controllers?: { files: string; regex: string };
  /** Models import no framework code. */
  models?: { files: string; packages: string[] };
}

/** Packages a model must not import (src/check/guidelines.ts checks the same list). */
export const FRAMEWORK_PACKAGES = ['fastify', '@fastify/*', 'fastify-*', 'drizzle-orm', 'drizzle-orm/*', 'drizzle-kit', 'pg', 'pg/*', 'postgres', '@electric-sql/pglite', '@electric-sql/pglite/*'];

export function buildLintView(guidelines: Guidelines): LintView {
  const { controllers, repositories, models } = guidelines.layers;
  // A relative import reaching the repositories folder ends with its path below src/: `../repositories/x.js`.
  const repositoriesTail = repositories.path.replace(/^src\//, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    ...(guidelines.rules['controllers-no-repositories'] && { controllers: { files: `${controllers.path}/**/*.ts`, regex: `(^|/)${repositoriesTail}/` } }),
    ...(guidelines.rules['models-no-framework'] && { models: { files: `${models.path}/**/*.ts`, packages: FRAMEWORK_PACKAGES } }),
  };
}
