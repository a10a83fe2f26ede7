/** The conventions of schemas/guidelines.schema.json (docs/guidelines.md), with every default filled in. */
export type FileCase = 'kebab' | 'camel' | 'pascal' | 'snake';
export const FILE_CASES: readonly FileCase[] = ['kebab', 'camel', 'pascal', 'snake'];

export type LayerName = 'controllers' | 'services' | 'repositories' | 'models';
export const LAYER_NAMES: readonly LayerName[] = ['controllers', 'services', 'repositories', 'models'];

export interface LayerConvention {
  /** Folder under src/, e.g. `src/api/controllers`. */
  path: string;
  /** The part between a file's name and `.ts`, e.g. `.controller`. */
  fileSuffix: string;
  /** Ending of the layer's class names, e.g. `Controller`; models have none. */
  classSuffix: string;
}

export type RuleName = 'controllers-no-repositories' | 'models-no-framework' | 'no-circular-imports' | 'operations-have-handlers';
export const RULE_NAMES: readonly RuleName[] = ['controllers-no-repositories', 'models-no-framework', 'no-circular-imports', 'operations-have-handlers'];

export interface Guidelines {
  /** The file they were read from; undefined for the defaults. */
  file?: string;
  fileCase: FileCase;
  layers: Record<LayerName, LayerConvention>;
  /** The route prefix when the spec has no server URL; undefined keeps the house default `/api/v1`. */
  apiPrefix?: string;
  errorEnvelope?: boolean;
  idType?: 'uuid' | 'serial';
  rules: Record<RuleName, boolean>;
}

/** What scaffold generates with no guidelines file: the output every golden test pins. */
export const DEFAULT_GUIDELINES: Guidelines = {
  fileCase: 'kebab',
  layers: {
    controllers: { path: 'src/controllers', fileSuffix: '.controller', classSuffix: 'Controller' },
    services: { path: 'src/services', fileSuffix: '.service', classSuffix: 'Service' },
    repositories: { path: 'src/repositories', fileSuffix: '.repository', classSuffix: 'Repository' },
    models: { path: 'src/models', fileSuffix: '.entity', classSuffix: '' },
  },
  rules: { 'controllers-no-repositories': true, 'models-no-framework': true, 'no-circular-imports': true, 'operations-have-handlers': true },
};

/** The file as written (schemas/guidelines.schema.json): every key optional. */
export interface GuidelinesDocument {
  fileCase?: FileCase;
  layers?: Partial<Record<LayerName, Partial<LayerConvention>>>;
  apiPrefix?: string;
  errorEnvelope?: boolean;
  idType?: 'uuid' | 'serial';
  rules?: Partial<Record<RuleName, boolean>>;
}
