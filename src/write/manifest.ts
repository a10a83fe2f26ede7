import { createHash } from 'node:crypto';
import type { FileOwner } from '../plan/types.js';

/**
 * `.scaffold/manifest.json`: what the generator wrote, so a later run knows which files are its own,
 * which the user has changed, and where a file went if it moved (files are tracked by id).
 */
export interface Manifest {
  schemaVersion: 1;
  toolVersion: string;
  files: ManifestEntry[];
}

export interface ManifestEntry {
  id: string;
  /** Where the file is: the planned path, or where the user moved it. */
  path: string;
  /** Where the generator planned the file, when the user moved it elsewhere (files are tracked by id). */
  generatedPath?: string;
  owner: FileOwner;
  /** sha256 of the content the generator wrote. */
  hash: string;
}

export const MANIFEST_PATH = '.scaffold/manifest.json';
export const CONFIG_PATH = '.scaffold/config.json';

export function hashContent(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

export function parseManifest(text: string): Manifest | undefined {
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    return value.schemaVersion === 1 && Array.isArray(value.files) ? (value as Manifest) : undefined;
  } catch {
    return undefined;
  }
}
