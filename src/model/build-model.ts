import { ScaffoldError, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RunCache } from '../cache/run-cache.js';
import type { LoadedSpec } from '../load/load-spec.js';
import { basePathOf } from './base-path.js';
import { buildComponentSchemas } from './components.js';
import { reportIgnoredConstructs } from './ignored-constructs.js';
import { camelCase, NameRegistry, names, pascalCase, RESERVED_WORDS } from './naming.js';
import { buildOperations, type DraftOperation } from './operations.js';
import { reportProtoNames } from './proto-names.js';
import { buildSecuritySchemes } from './security.js';
import type { ApiModel, Operation, Resource } from './types.js';

export interface ModelResult {
  model: ApiModel;
  diagnostics: Diagnostic[];
}

/** Members of the generated base classes; an operation method must not shadow them. */
const BASE_CLASS_MEMBERS = ['service', 'services', 'handle', ...Object.getOwnPropertyNames(Object.prototype)];

/** Resource names that would collide with the project's own modules or folders. */
const RESERVED_RESOURCE_NAMES = ['app', 'server', 'config', 'errors', 'routes', 'health', 'index', 'docs', 'openapi'];

/**
 * `defaultBasePath`: the route prefix when the spec has no server URL (a guideline; `/api/v1` otherwise).
 * `cache`: the run cache, for what depends on the components alone (with the spec's piece hashes).
 */
export function buildModel(spec: LoadedSpec, defaultBasePath?: string, cache?: RunCache): ModelResult {
  const { document } = spec;
  const diagnostics: Diagnostic[] = [...spec.warnings, ...reportIgnoredConstructs(document), ...reportProtoNames(document)];
  const basePath = basePathOf(document, defaultBasePath);
  const components = buildComponentSchemas(document, spec.version, diagnostics, { ...(cache && { cache }), restHash: spec.pieceHashes?.rest });
  const drafts = buildOperations(document, basePath, components.converter, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new ScaffoldError(errors);

  for (const [index, diagnostic] of diagnostics.entries()) {
    // A super-linear pattern is for whoever owns the spec to rewrite: name the file beside the pointer.
    if (diagnostic.code === 'SCF017' && diagnostic.location?.file === undefined) diagnostics[index] = { ...diagnostic, location: { file: spec.path, ...diagnostic.location } };
  }
  const resources = groupIntoResources(drafts, document.tags ?? [], diagnostics);
  const model: ApiModel = {
    title: document.info.title,
    version: document.info.version,
    description: document.info.description ?? '',
    openapiVersion: spec.version,
    basePath,
    schemas: components.definitions,
    resources,
    securitySchemes: buildSecuritySchemes(document, diagnostics),
    usesEnvelope: resources.some((r) => r.operations.some((o) => o.responses.some((res) => res.envelope))),
  };
  return { model, diagnostics };
}

/** Operations group by their first tag, else by the first literal path segment. */
function groupIntoResources(drafts: DraftOperation[], tags: { name: string; description?: string }[], diagnostics: Diagnostic[]): Resource[] {
  const groups = new Map<string, DraftOperation[]>();
  for (const draft of drafts) {
    const key = draft.tags[0] ?? draft.path.split('/').find((s) => s !== '' && !s.startsWith('{')) ?? 'root';
    const group = groups.get(key);
    if (group) group.push(draft);
    else groups.set(key, [draft]);
  }
  const resourceNames = new NameRegistry(RESERVED_RESOURCE_NAMES);
  const typeNames = new NameRegistry();
  return [...groups.entries()].map(([key, operations]) => {
    const resourceNamesFor = names(key, 'resource');
    const kebab = resourceNames.claim(resourceNamesFor.kebab);
    if (kebab !== resourceNamesFor.kebab) {
      diagnostics.push(warning('SCF102', `resource "${key}" is named "${kebab}" to avoid a collision`));
    }
    const resourceNames2 = { ...names(kebab, 'resource'), original: key };
    const methodNames = new NameRegistry(BASE_CLASS_MEMBERS);
    return {
      names: resourceNames2,
      description: tags.find((t) => t.name === key)?.description ?? '',
      operations: operations.map((draft): Operation => {
        const base = camelCase(draft.operationId, draft.method);
        const methodName = methodNames.claim(RESERVED_WORDS.has(base) ? `${base}Operation` : base);
        if (methodName !== base) {
          diagnostics.push(warning('SCF102', `operationId "${draft.operationId}" becomes method ${methodName}() (collision or reserved word)`));
        }
        const { tags: _tags, ...operation } = draft;
        return { ...operation, methodName, typeName: typeNames.claim(pascalCase(methodName, 'Operation')) };
      }),
    };
  });
}
