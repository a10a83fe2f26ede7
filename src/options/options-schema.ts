import { kebabCase } from '../model/naming.js';

/**
 * Every option of `scaffold generate`, declared once: the CLI's flags and --help, the project config
 * in `.scaffold/config.json` and the interactive prompts (src/cli/prompts/) all come from this table.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The command-line flag, without `--`. */
  flag: string;
  description: string;
  default?: string | boolean;
  /** Saved in `.scaffold/config.json`, so a later run inside the project needs no flags. */
  persisted: boolean;
  /** A placeholder for --help, e.g. `<file>`. */
  valueName?: string;
  /** A one-letter alias, e.g. `y` for `-y`. */
  short?: string;
  /**
   * Asked on a terminal when the flag is missing (src/cli/prompts/questions.ts says how); the
   * questions come in `order`. Options without it are never asked.
   */
  prompt?: { message: string; order: number };
}

export const GENERATE_OPTIONS = {
  spec: {
    type: 'string',
    flag: 'spec',
    valueName: '<file>',
    description: 'OpenAPI 3.0/3.1 document (YAML or JSON)',
    persisted: true,
    prompt: { message: 'Design folder or OpenAPI file', order: 1 },
  },
  design: {
    type: 'string',
    flag: 'design',
    valueName: '<dir>',
    description: 'design folder (or its documents/ subfolder) holding openapi.(yaml|yml|json), optionally domain.(yaml|yml|json|dbml|sql) and a guidelines file. A $ref may name any file in it (without it: files in the spec\'s folder)',
    persisted: true,
  },
  out: {
    type: 'string',
    flag: 'out',
    valueName: '<dir>',
    description: 'directory to generate the project into (new, empty, or a project scaffold generated)',
    persisted: false,
    prompt: { message: 'Output directory', order: 5 },
  },
  name: {
    type: 'string',
    flag: 'name',
    valueName: '<pkg>',
    description: 'npm package name (default: from the spec title)',
    persisted: true,
    prompt: { message: 'Package name', order: 6 },
  },
  models: {
    type: 'string',
    flag: 'models',
    valueName: '<file>',
    description: 'domain model (docs/domain-model.md): YAML/JSON, DBML (.dbml), PostgreSQL DDL (.sql), or an overlay that names a .dbml/.sql structure',
    persisted: true,
    prompt: { message: 'Domain model', order: 2 },
  },
  guidelines: {
    type: 'string',
    flag: 'guidelines',
    valueName: '<file>',
    description: 'team conventions (docs/guidelines.md): file name case, layer folders, file and class suffixes, API prefix, layer rules for `scaffold check`. Default: guidelines.(yaml|yml|json) of the --design folder',
    persisted: true,
    prompt: { message: 'Naming conventions', order: 4 },
  },
  persistence: {
    type: 'string',
    flag: 'persistence',
    valueName: '<infer|none>',
    description: 'without --models: infer entities from the spec\'s schemas (infer) or generate the API without a database (none)',
    default: 'infer',
    persisted: true,
    prompt: { message: 'Without a domain model', order: 3 },
  },
  databaseUrl: {
    type: 'string',
    flag: 'database-url',
    valueName: '<url>',
    description: 'PostgreSQL server for the next steps (`DATABASE_URL=<url> npm run dev`); the project reads DATABASE_URL from its environment, scaffold never stores it. Default: the embedded PGlite',
    persisted: false,
    prompt: { message: 'Database', order: 7 },
  },
  yes: { type: 'boolean', flag: 'yes', short: 'y', description: 'ask nothing: take the default of every option not given (the spec from ./ or ./documents/)', default: false, persisted: false },
  json: { type: 'boolean', flag: 'json', description: 'print one JSON object on stdout instead of the progress and summary (docs/json-output.md); asks nothing, errors included', default: false, persisted: false },
  dryRun: { type: 'boolean', flag: 'dry-run', description: 'show the files that would be written and a unified diff of each one that would change; write nothing', default: false, persisted: false },
  force: { type: 'boolean', flag: 'force', description: 'overwrite what a run would otherwise refuse to: files in a non-empty directory scaffold did not generate, generator-owned files you edited (SCF026); each overwritten file is first saved under .scaffold/backup/<timestamp>/', default: false, persisted: false },
  allowRemoteRefs: {
    type: 'boolean',
    flag: 'allow-remote-refs',
    description: 'fetch $refs to http(s) URLs (each within 10 s and 16 MiB); without it a remote $ref is refused (SCF008). Other schemes are never read',
    default: false,
    persisted: true,
  },
  allowDataLoss: {
    type: 'boolean',
    flag: 'allow-data-loss',
    description:
      'write schema changes that can fail on existing rows or lose data (a dropped column or table, SET NOT NULL, a narrower type, a new unique or CHECK constraint) into the new migration, each marked with a comment; without it such a change is refused (SCF037). Applies to this run only',
    default: false,
    persisted: false,
  },
} as const satisfies Record<string, OptionSpec>;

export type GenerateOptionName = keyof typeof GENERATE_OPTIONS;

export interface GenerateOptions {
  spec: string;
  out: string;
  name: string | undefined;
  models: string | undefined;
  /** A guidelines file (docs/guidelines.md); undefined: the default conventions. */
  guidelines?: string;
  /** Without models: infer entities from the spec (default) or generate no persistence. */
  persistence?: Persistence;
  /**
   * The design folder: a `$ref` may name any file in it (src/load/design-root.ts). Undefined: the
   * spec's folder (for a domain model's `structure`, the model's folder).
   */
  design?: string | undefined;
  /** Fetch `http(s)://` references; off, a remote `$ref` is refused (SCF008). */
  allowRemoteRefs?: boolean;
  dryRun: boolean;
  force: boolean;
  /** Confirms migration steps that can fail on existing rows or lose data (never saved in the config). */
  allowDataLoss?: boolean;
  /**
   * The text of the spec or the model file to generate from instead of what is on disk (by absolute
   * path): `scaffold add --dry-run` previews an edit of the design it does not write.
   */
  designTexts?: ReadonlyMap<string, string>;
}

export type Persistence = 'infer' | 'none';
export const PERSISTENCE_CHOICES: readonly Persistence[] = ['infer', 'none'];

/** The package name when none is given: the spec title in kebab case (`Swagger Petstore` -> `swagger-petstore`). */
export function defaultPackageName(title: string): string {
  return kebabCase(title, 'api').slice(0, 60) || 'api';
}

/** A valid npm package name (lowercase, url-safe, optional scope); reused by the CLI and the engine. */
export const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
