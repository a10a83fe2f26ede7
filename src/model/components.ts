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

export function buildComponentSchemas(document: OpenApiDocument, version: '3.0' | '3.1', diagnostics: Diagnostic[]): ComponentSchemas {
  const components = document.components?.schemas ?? {};
  const componentNames = Object.keys(components);
  const registry = new NameRegistry();
  const baseIds = new Map(componentNames.map((name) => [name, registry.claim(pascalCase(name, 'Schema'))]));

  const resolve = (ref: string) => resolvePointer(document, ref);
  const needs = {
    request: closure(componentNames, (name) => hasVisibilityMarker(components[name], 'readOnly', resolve), components),
    response: closure(componentNames, (name) => hasVisibilityMarker(components[name], 'writeOnly', resolve), components),
  };

  function idFor(name: string, view: SchemaView): string | undefined {
    const base = baseIds.get(name);
    if (base === undefined) return undefined;
    return view !== 'neutral' && needs[view].has(name) ? `${base}.${view}` : base;
  }

  const converter = createSchemaConverter({
    version,
    componentIdFor: idFor,
    resolvePointer: (ref) => resolvePointer(document, ref),
    diagnostics,
  });

  const definitions: SchemaDefinition[] = [];
  for (const name of componentNames) {
    const pointer = `/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    for (const view of ['neutral', 'request', 'response'] as const) {
      if (view !== 'neutral' && !needs[view].has(name)) continue;
      const id = idFor(name, view) as string;
      definitions.push({ id, specName: name, schema: converter.convert(components[name], view, pointer) });
    }
  }
  return { definitions, converter, idFor };
}

/** Components that have the marker themselves or reach one that does through their refs. */
function closure(names: string[], direct: (name: string) => boolean, components: Record<string, unknown>): Set<string> {
  const refs = new Map(names.map((name) => [name, referencedComponents(components[name])]));
  const result = new Set(names.filter(direct));
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of names) {
      if (result.has(name)) continue;
      if ([...(refs.get(name) ?? [])].some((target) => result.has(target))) {
        result.add(name);
        changed = true;
      }
    }
  }
  return result;
}
