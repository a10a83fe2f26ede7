import type { FileOwner, Plan, PlannedFile } from './types.js';
import type { ProjectView } from './view-model.js';

/** Files the user completes: written once, never rewritten (the generation-gap pattern). */
const USER_OWNED = new Set([
  'src/app.ts',
  'src/controllers/__resource__.controller.ts',
  'src/services/__resource__.service.ts',
  'src/middlewares/credential-verifiers.ts',
]);

export const RESOURCE_PLACEHOLDER = '__resource__';

/** A template file's output path (without `.hbs`) decides who owns the file. */
export function ownerOf(outputPath: string): FileOwner {
  if (/\.gen\.[a-z]+$/.test(outputPath)) return 'generator';
  if (USER_OWNED.has(outputPath)) return 'user';
  return 'template';
}

/**
 * Lists every file of the project: one per template, per-resource templates once per resource,
 * plus the spec's types from openapi-typescript.
 */
export function buildPlan(view: ProjectView, templatePaths: readonly string[]): Plan {
  const files: PlannedFile[] = [];
  for (const template of [...templatePaths].sort()) {
    const output = template.replace(/\.hbs$/, '');
    if (output.includes(RESOURCE_PLACEHOLDER)) {
      for (const resource of view.resources) {
        files.push({
          id: `${output}#${resource.fileStem}`,
          path: output.replaceAll(RESOURCE_PLACEHOLDER, resource.fileStem),
          owner: ownerOf(output),
          source: { kind: 'template', template, data: { ...view, resource } },
        });
      }
    } else {
      files.push({ id: output, path: output, owner: ownerOf(output), source: { kind: 'template', template, data: view } });
    }
  }
  files.push({ id: 'src/dto/openapi.gen.ts', path: 'src/dto/openapi.gen.ts', owner: 'generator', source: { kind: 'openapi-types' } });
  return { files: files.sort((a, b) => a.path.localeCompare(b.path)) };
}
