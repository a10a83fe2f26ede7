import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { exampleModels, exampleSpec, REPO_ROOT } from './fixtures.js';
import { runCommand } from './run.js';
import { linkRuntimeModules } from './runtime-deps.js';

/**
 * Generates an example into a fresh directory through the `scaffold` bin, as a user would, and links
 * the shared install of the generated projects' dependencies. Returns the project directory.
 */
export async function generateExample(example: string, cacheFolder: string, options: { withModels?: boolean } = {}): Promise<string> {
  const project = resolve(REPO_ROOT, 'test', '.cache', cacheFolder, example);
  await rm(project, { recursive: true, force: true });
  const models = options.withModels === false ? undefined : exampleModels(example);
  const args = ['generate', '--spec', exampleSpec(example), '--out', project, ...(models ? ['--models', models] : [])];
  const generated = await runCommand(process.execPath, [resolve(REPO_ROOT, 'bin', 'scaffold.js'), ...args], { cwd: REPO_ROOT });
  expect(generated.code, generated.output).toBe(0);
  await linkRuntimeModules(project);
  return project;
}

/** As generateExample, for a spec and domain model of test/fixtures (`crud/library` -> openapi.yaml, domain.yaml there). */
export async function generateFixture(fixture: string, cacheFolder: string): Promise<string> {
  const project = resolve(REPO_ROOT, 'test', '.cache', cacheFolder, fixture.replace(/\//g, '-'));
  await rm(project, { recursive: true, force: true });
  const dir = resolve(REPO_ROOT, 'test', 'fixtures', fixture);
  const args = ['generate', '--spec', resolve(dir, 'openapi.yaml'), '--out', project, '--models', resolve(dir, 'domain.yaml')];
  const generated = await runCommand(process.execPath, [resolve(REPO_ROOT, 'bin', 'scaffold.js'), ...args], { cwd: REPO_ROOT });
  expect(generated.code, generated.output).toBe(0);
  await linkRuntimeModules(project);
  return project;
}

export async function buildProject(project: string): Promise<void> {
  const build = await runCommand('npm', ['run', 'build'], { cwd: project });
  expect(build.code, build.output).toBe(0);
}
