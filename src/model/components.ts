import { codeFingerprint } from '../cache/code-fingerprint.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { OpenApiDocument } from '../load/openapi-types.js';
import { createSchemaConverter, hasVisibilityMarker, referencedComponents, type SchemaConverter, type SchemaView } from './json-schema.js';
import { NameRegistry, pascalCase } from './naming.js';
import { resolvePointer } from './resolve-ref.js';
import type { SchemaDefinition } from './types.js';

/**
 * Component schemas become registered schemas with stable ids. A component that (through its refs)
 * has readOnly or writeOnly properties gets request (`X.request`) and/or response (`X.response`) variants.
 */
export interface ComponentSchemas {
  definitions: SchemaDefinition[];
  converter: SchemaConverter;
  /** The registered id of a component in a view, e.g. `Pet` or `Pet.request`. */
  idFor(name: string, view: SchemaView): string | undefined;
}

export function buildComponentSchemas(document: OpenApiDocument, version: '3.0' | '3.1', diagnostics: Diagnostic[], { cache = noRunCache(), restHash }: { cache?: RunCache; restHash?: string | undefined } = {}): ComponentSchemas {
  const components = document.components?.schemas ?? {};
  const componentNames = Object.keys(components);
  const registry = new NameRegistry();
  const baseIds = new Map(componentNames.map((name) => [name, registry.claim(pascalCase(name, 'Schema'))]));
  const resolvePointerIn = (ref: string) => resolvePointer(document, ref);

  const convertAll = (): string => {
    const referencedBy = referrers(componentNames, components);
    const needs = {
      request: closure(componentNames, (name) => hasVisibilityMarker(components[name], 'readOnly', resolvePointerIn), referencedBy),
      response: closure(componentNames, (name) => hasVisibilityMarker(components[name], 'writeOnly', resolvePointerIn), referencedBy),
    };
    const idFor = componentIds(baseIds, needs);
    const found: Diagnostic[] = [];
    const converter = createSchemaConverter({ version, componentIdFor: idFor, resolvePointer: resolvePointerIn, diagnostics: found });
    const definitions: SchemaDefinition[] = [];
    for (const name of componentNames) {
      const pointer = `/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      for (const view of ['neutral', 'request', 'response'] as const) {
        if (view !== 'neutral' && !needs[view].has(name)) continue;
        definitions.push({ id: idFor(name, view) as string, specName: name, schema: converter.convert(components[name], view, pointer) });
      }
    }
    const stored: StoredComponents = { request: [...needs.request], response: [...needs.response], definitions, diagnostics: found };
    return JSON.stringify(stored);
  };
  // They depend on the top level and the components only: a change to path items reuses the last run's.
  // Read back from JSON in both cases, so that a hit and a miss give the very same values.
  const stored = JSON.parse(restHash === undefined ? convertAll() : cache.memoSync(['component-schemas', codeFingerprint(), version], restHash, convertAll)) as StoredComponents;
  diagnostics.push(...stored.diagnostics);
  const idFor = componentIds(baseIds, { request: new Set(stored.request), response: new Set(stored.response) });
  const converter = createSchemaConverter({ version, componentIdFor: idFor, resolvePointer: resolvePointerIn, diagnostics });
  return { definitions: stored.definitions, converter, idFor };
}

/** What the conversion of the components keeps: the variants each needs, the definitions, the warnings. */
interface StoredComponents {
  request: string[];
  response: string[];
  definitions: SchemaDefinition[];
  diagnostics: Diagnostic[];
}

/** The registered id of a component in a view: its base id, or a variant's when it needs one. */
function componentIds(baseIds: ReadonlyMap<string, string>, needs: Record<'request' | 'response', ReadonlySet<string>>) {
  return (name: string, view: SchemaView): string | undefined => {
    const base = baseIds.get(name);
    if (base === undefined) return undefined;
    return view !== 'neutral' && needs[view].has(name) ? `${base}.${view}` : base;
  };
}

/** Components that have the marker themselves or reach one that does through their refs. */
function closure(names: string[], direct: (name: string) => boolean, referencedBy: ReadonlyMap<string, string[]>): Set<string> {
  const result = new Set(names.filter(direct));
  // Outward from the marked ones along the reversed refs: each component is reached at most once.
  const pending = [...result];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const referrer of referencedBy.get(name) ?? []) {
      if (result.has(referrer)) continue;
      result.add(referrer);
      pending.push(referrer);
    }
  }
  return result;
}

/** For each component, the components that reference it directly. */
function referrers(names: string[], components: Record<string, unknown>): Map<string, string[]> {
  const referencedBy = new Map<string, string[]>();
  for (const name of names) {
    for (const target of referencedComponents(components[name])) {
      const list = referencedBy.get(target);
      if (list) list.push(name);
      else referencedBy.set(target, [name]);
    }
  }
  return referencedBy;
}
