import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DATABASE_DEPENDENCIES, DATABASE_DEV_DEPENDENCIES, GATEWAY_DEPENDENCIES, PROJECT_DEPENDENCIES, PROJECT_DEV_DEPENDENCIES, PROJECT_OVERRIDES } from '../../src/plan/project-dependencies.js';

const run = promisify(execFile);
export const CACHE_DIR = resolve(import.meta.dirname, '..', '.cache');

/** What a generated project with a domain model installs (the part of its package.json npm reads for that). */
export const RUNTIME_PACKAGES = {
  dependencies: { ...PROJECT_DEPENDENCIES, ...DATABASE_DEPENDENCIES, ...GATEWAY_DEPENDENCIES },
  devDependencies: { ...PROJECT_DEV_DEPENDENCIES, ...DATABASE_DEV_DEPENDENCIES },
  overrides: PROJECT_OVERRIDES,
};

/**
 * Every generated project has the same dependencies, so tests install them once (keyed by their
 * hash) and link each generated project's node_modules to that install.
 */
export async function sharedRuntimeModules(): Promise<string> {
  const manifest = { name: 'scaffold-runtime-cache', private: true, ...RUNTIME_PACKAGES };
  const key = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  const dir = join(CACHE_DIR, `runtime-${key}`);
  const marker = join(dir, '.installed');
  if (!existsSync(marker)) {
    // Test files in several workers may all find no install: each installs into a directory of its own
    // and renames it into place, so none ever sees (or deletes) another's half-done install.
    const staging = `${dir}.${process.pid}-${randomUUID()}`;
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, maxBuffer: 64 * 1024 * 1024 });
    await writeFile(join(staging, '.installed'), new Date().toISOString());
    // An install left half-done by an interrupted run has no marker: it goes; a finished one stays.
    if (existsSync(dir) && !existsSync(marker)) await rm(dir, { recursive: true, force: true });
    try {
      await rename(staging, dir);
    } catch (error) {
      if (!existsSync(marker)) throw error;
      await rm(staging, { recursive: true, force: true });
    }
  }
  return join(dir, 'node_modules');
}

export async function linkRuntimeModules(projectDir: string): Promise<void> {
  const modules = await sharedRuntimeModules();
  const link = join(projectDir, 'node_modules');
  if (!existsSync(link)) await symlink(modules, link, 'dir');
}
