import { isRecord } from '../model/json-schema.js';
import { unescapeSegment } from './redocly-pointer.js';

/**
 * A single-file spec cut into the pieces its checks can be cached by: every path item and webhook on
 * its own, and the rest (the top level and the components, which every path item may reference).
 */
export interface SpecPieces {
  /** The top level without `paths`, `webhooks` and `components`. */
  root: Record<string, unknown>;
  /** The references of the top level outside its vendor extensions. */
  rootRefs: PieceRefs;
  /** The references of the top level's vendor extensions (which path items are checked without, unless `rootReferenced`). */
  extensionRefs: PieceRefs;
  components: Record<string, unknown> | undefined;
  /** The components each component references directly, by `kind/name`. */
  componentRefs: Map<string, PieceRefs>;
  items: SpecItem[];
  /** Whether any `$ref` names another file or URL: such a spec is checked and bundled whole. */
  external: boolean;
  /** Whether any `$ref` points into `paths` or `webhooks`, which makes path items depend on each other. */
  crossItem: boolean;
  /** Whether any `$ref` points into the top level outside the components (a vendor extension there). */
  rootReferenced: boolean;
}

export interface SpecItem {
  section: 'paths' | 'webhooks';
  key: string;
  value: unknown;
  /** The components it references directly (see componentKey). */
  refs: PieceRefs;
}

export function cutSpec(document: Record<string, unknown>): SpecPieces {
  const { paths, webhooks, components, ...root } = document;
  const state = { external: false, crossItem: false, rootReferenced: false };
  const items: SpecItem[] = [];
  for (const section of ['paths', 'webhooks'] as const) {
    const entries = document[section];
    if (!isRecord(entries)) continue;
    for (const [key, value] of Object.entries(entries)) items.push({ section, key, value, refs: collectRefs(value, state, 'path-item') });
  }
  const componentRefs = new Map<string, PieceRefs>();
  if (isRecord(components)) {
    for (const [kind, group] of Object.entries(components)) {
      if (!isRecord(group)) continue;
      for (const [name, value] of Object.entries(group)) componentRefs.set(componentKey(kind, name), collectRefs(value, state, COMPONENT_ROLES.get(kind)));
    }
  }
  const isExtension = ([key]: [string, unknown]) => key.startsWith('x-');
  const rootRefs = collectRefs(Object.fromEntries(Object.entries(root).filter((entry) => !isExtension(entry))), state);
  const extensionRefs = collectRefs(Object.fromEntries(Object.entries(root).filter(isExtension)), state);
  return { root, rootRefs, extensionRefs, components: isRecord(components) ? components : undefined, componentRefs, items, ...state };
}

/**
 * The components the given items need to be checked apart from the rest: the ones they reference
 * and, transitively, the ones those reference. Shallow, the schemas and examples among them are
 * empty: enough for the items' own checks (a reference only has to resolve, and its target is checked
 * with the components), unless a reference points inside a component. Undefined when a reference names a
 * component that does not exist (the whole spec is then checked, which reports it where it is).
 */
export function componentClosure(pieces: SpecPieces, items: readonly SpecItem[], shallow: boolean): ComponentSubset | undefined {
  // Without prototypes: a component named `__proto__` is a key like any other.
  const components = Object.create(null) as Record<string, Record<string, unknown>>;
  let exact = !shallow;
  // The top level's vendor extensions are part of the check only when something references into them (see checkItems).
  const rootRefs = pieces.rootReferenced ? [pieces.rootRefs, pieces.extensionRefs] : [pieces.rootRefs];
  const pending = [...rootRefs.flatMap((refs) => [...refs.components]), ...items.flatMap((item) => [...item.refs.components])];
  if (rootRefs.some((refs) => refs.deep) || items.some((item) => item.refs.deep)) exact = true;
  const seen = new Set<string>();
  while (pending.length > 0) {
    const ref = pending.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const refs = pieces.componentRefs.get(ref);
    if (refs === undefined) return undefined;
    const [kind, name] = JSON.parse(ref) as [string, string];
    // Schemas and examples are the bulk of large specs' components, and what is inside them is checked with the components.
    const stub = shallow && (kind === 'schemas' || kind === 'examples');
    (components[kind] ??= Object.create(null) as Record<string, unknown>)[name] = stub ? {} : (pieces.components![kind] as Record<string, unknown>)[name];
    if (stub) continue;
    if (refs.deep) exact = true;
    pending.push(...refs.components);
  }
  // A reference inside a component needs the real ones: start again without stubs.
  if (shallow && exact) return componentClosure(pieces, items, false);
  return { components, shallow };
}

export interface ComponentSubset {
  components: Record<string, Record<string, unknown>>;
  /** Whether schemas were replaced by empty ones. */
  shallow: boolean;
}

/** The components a piece references, and whether any reference points inside one. */
export interface PieceRefs {
  components: Set<string>;
  deep: boolean;
}

/** A component's identity in the maps above (kind and name can hold any character). */
function componentKey(kind: string, name: string): string {
  return JSON.stringify([kind, name]);
}

const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)(\/.*)?$/;

/**
 * Where a node stands in the OpenAPI structure, as far as it matters to tell an examples map (of a
 * media type, parameter or header) from a schema property or header that happens to be named `examples`.
 */
type Role = 'path-item' | 'operation' | 'parameter-list' | 'parameter' | 'body' | 'responses' | 'response' | 'headers' | 'header' | 'content' | 'media-type' | 'examples' | 'example';

const COMPONENT_ROLES = new Map<string, Role>([
  ['parameters', 'parameter'],
  ['headers', 'header'],
  ['responses', 'response'],
  ['requestBodies', 'body'],
  ['pathItems', 'path-item'],
]);
const OPERATION_KEYS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function childRole(role: Role | undefined, key: string): Role | undefined {
  switch (role) {
    case 'path-item':
      return OPERATION_KEYS.has(key) ? 'operation' : key === 'parameters' ? 'parameter-list' : undefined;
    case 'operation':
      return key === 'parameters' ? 'parameter-list' : key === 'requestBody' ? 'body' : key === 'responses' ? 'responses' : undefined;
    case 'responses':
      return 'response';
    case 'response':
      return key === 'content' ? 'content' : key === 'headers' ? 'headers' : undefined;
    case 'body':
      return key === 'content' ? 'content' : undefined;
    case 'headers':
      return 'header';
    case 'parameter':
    case 'header':
      return key === 'content' ? 'content' : key === 'examples' ? 'examples' : undefined;
    case 'content':
      return 'media-type';
    case 'media-type':
      return key === 'examples' ? 'examples' : undefined;
    case 'examples':
      return 'example';
    default:
      return undefined;
  }
}

/**
 * Every reference under `value`: `$ref`s, and strings that look like one (discriminator mappings),
 * as the component they land in. Refs into paths or webhooks set `crossItem`, refs to other files
 * `external`, refs elsewhere in the top level `rootReferenced`.
 */
function collectRefs(value: unknown, state: { external: boolean; crossItem: boolean; rootReferenced: boolean }, role?: Role): PieceRefs {
  const refs: PieceRefs = { components: new Set<string>(), deep: false };
  /** `asExample`: the ref is an entry of an examples map, the one place an example component fits. */
  const note = (ref: string, asExample: boolean): void => {
    if (/^#\/(paths|webhooks)(\/|$)/.test(ref)) state.crossItem = true;
    const match = COMPONENT_REF.exec(ref);
    if (match) {
      const kind = unescapeSegment(match[1]!);
      refs.components.add(componentKey(kind, unescapeSegment(match[2]!)));
      if (match[3] !== undefined && match[3] !== '/') refs.deep = true;
      // An example used as something else is checked as that something: against the real example, not a stub.
      if (kind === 'examples' && !asExample) refs.deep = true;
    } else if (ref.startsWith('#/components')) state.crossItem = true; // the components object itself: no one piece
    else if (!/^#\/(paths|webhooks)(\/|$)/.test(ref)) state.rootReferenced = true;
  };
  const visit = (node: unknown, role: Role | undefined): void => {
    if (typeof node === 'string') {
      if (node.startsWith('#/')) note(node, false);
      return;
    }
    if (Array.isArray(node)) {
      for (const child of node) visit(child, role === 'parameter-list' ? 'parameter' : undefined);
      return;
    }
    if (!isRecord(node)) return;
    for (const key in node) {
      const child = node[key];
      if (key === '$ref' && typeof child === 'string' && !child.startsWith('#')) state.external = true;
      else if (key === '$ref' && typeof child === 'string') note(child, role === 'example');
      else visit(child, childRole(role, key));
    }
  };
  visit(value, role);
  return refs;
}
