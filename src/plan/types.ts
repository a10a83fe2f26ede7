/**
 * The plan: every file of the generated project, who owns it, and what produces its text.
 * Ownership is the contract with the user:
 * - `generator`: rewritten on every generation (`.gen.ts`, with a do-not-edit header);
 * - `user`: written once, then only extended; the user's code lives here;
 * - `template`: written once, the user may edit it; regeneration merges updates into it.
 */
export type FileOwner = 'generator' | 'user' | 'template';

export type FileSource =
  | { kind: 'template'; template: string; data: unknown }
  | { kind: 'openapi-types' }
  /** Text computed by the plan itself (migrations, snapshots), emitted as is. */
  | { kind: 'text'; content: string };

export interface PlannedFile {
  /** Stable identity across regenerations, independent of the path (files may move). */
  id: string;
  /** Relative POSIX path inside the output directory. */
  path: string;
  /** Where the default layout puts the file, when the guidelines moved it (its templates import from there). */
  defaultPath?: string;
  owner: FileOwner;
  source: FileSource;
}

export interface Plan {
  files: PlannedFile[];
  /** Default layer folders the guidelines moved (`src/controllers` -> `src/api/controllers`); absent by default. */
  movedFolders?: ReadonlyMap<string, string>;
}
