import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { expect, it } from 'vitest';
import { generateExample } from '../support/generated-project.js';
import { RUNTIME_PACKAGES, sharedRuntimeModules } from '../support/runtime-deps.js';

interface PackageJson {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, string>;
}

/** Every package.json of an installed tree: scoped packages and nested node_modules included. */
async function installedPackages(modules: string): Promise<PackageJson[]> {
  const found: PackageJson[] = [];
  for (const entry of await readdir(modules, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = join(modules, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...(await installedPackages(dir)));
      continue;
    }
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest !== undefined) found.push(JSON.parse(manifest) as PackageJson);
    found.push(...(await installedPackages(join(dir, 'node_modules'))));
  }
  return found;
}

it("every package a generated project installs allows the oldest Node its package.json accepts", async () => {
  const project = await generateExample('ecommerce', 'runtime-engines');
  const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as PackageJson;
  // The tree checked is the tests' shared install: the one the generated package.json asks for.
  expect({ dependencies: manifest.dependencies, devDependencies: manifest.devDependencies, overrides: manifest.overrides }).toEqual(RUNTIME_PACKAGES);
  const floor = semver.minVersion(manifest.engines?.node ?? '');
  expect(floor, 'package.json declares engines.node').not.toBeNull();

  const packages = await installedPackages(await sharedRuntimeModules());
  expect(packages.length).toBeGreaterThan(100);
  const refusing = packages.filter((pkg) => pkg.engines?.node !== undefined && !semver.satisfies(floor!, pkg.engines.node)).map((pkg) => `${pkg.name}@${pkg.version} wants node ${pkg.engines!.node}`);
  expect(refusing).toEqual([]);
}, 600_000);
