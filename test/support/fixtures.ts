import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const fixtureSpec = (name: string): string => resolve(REPO_ROOT, 'test', 'fixtures', 'specs', name);
export const exampleSpec = (name: string): string => resolve(REPO_ROOT, 'examples', name, 'openapi.yaml');
