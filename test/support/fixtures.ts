import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const fixtureSpec = (name: string): string => resolve(REPO_ROOT, 'test', 'fixtures', 'specs', name);
export const exampleSpec = (name: string): string => resolve(REPO_ROOT, 'examples', name, 'openapi.yaml');

/** The example's domain model, when it has one (`examples/<name>/domain.yaml`). */
export const exampleModels = (name: string): string | undefined => {
  const path = resolve(REPO_ROOT, 'examples', name, 'domain.yaml');
  return existsSync(path) ? path : undefined;
};
