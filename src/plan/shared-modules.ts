import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ownerOf } from './build-plan.js';
import type { PlannedFile } from './types.js';

/**
 * Modules of src/shared that every generated project receives verbatim, and where. They import
 * nothing, so the generator runs them too: what it reports about the project is what the project
 * will do (src/shared/response-serializer.ts decides which responses take the serializer's fallback).
 */
export const SHARED_MODULES: readonly { source: string; path: string }[] = [{ source: 'response-serializer.ts', path: 'src/utils/response-serializer.ts' }];

/** The shared modules as planned files, read from `sharedDir` (src/shared of the scaffold package). */
export async function planSharedModules(sharedDir: string): Promise<PlannedFile[]> {
  return Promise.all(
    SHARED_MODULES.map(async (module): Promise<PlannedFile> => ({
      id: module.path,
      path: module.path,
      owner: ownerOf(module.path),
      source: { kind: 'text', content: await readFile(join(sharedDir, module.source), 'utf8') },
    })),
  );
}
