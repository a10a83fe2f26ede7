import { contentHash } from '../cache/content-hash.js';
import type { RunCache } from '../cache/run-cache.js';
import type { SpecPieceHashes } from '../load/check-spec.js';
import { decodePointerSegment, isRecord } from '../model/json-schema.js';
import { markReferencedVisibility, prepareForOpenApiTypescript } from './openapi-types-input.js';
import { closing, coveredAtTopLevel, createPiecePrinter, hasDuplicateOperationIds, mergeFooters, OPERATIONS, PATHS, type AssembledTypes, type Footer, type PieceOptions } from './openapi-types-pieces.js';

/**
 * The spec's types, finished (header, prettier), put together from the previous run's lines for each path
 * item when the load stage hashed the spec's pieces (SpecPieceHashes): a one-operation change prints and
 * formats one path item, without preparing, serializing and looking up every piece of the document as the
 * assembly does, nor cutting and looking up every piece of the formatted file.
 *
 * What a path item prints depends on the item, the top level and the components (which its refs reach),
 * and on the discriminators of the whole document, which can patch the components they map. So the
 * types are cut in two: the frame (every line but the path items' own), kept under the hash of the top
 * level and the components together with the path items that hold a discriminator; and each path item's
 * lines, kept under that same context and the item's own hash. A path item whose refs are not all whole
 * components (ones the preparation moves into the components, or refs into other path items) makes the
 * types depend on more than that: such a spec goes the assembly's way every time.
 *
 * Prettier lays out each member of an interface on its own, so the finished frame (the members replaced
 * by a placeholder) and the finished members of each path item make the finished whole; tests compare.
 * The frame is taken from an assembly of the whole document; the first regeneration after a change to a
 * component or to a path item with a discriminator assembles again, as does a change to what the path
 * items ask of openapi-typescript's footer (Footer: the frame holds those declarations). A path item
 * missing from the cache is printed against a document of the top level, the path items and components
 * with a discriminator (those the scan for discriminators reads) and the components these and the item
 * reach, prepared as the whole would be.
 */
export async function typesByItem(
  document: unknown,
  hashes: SpecPieceHashes,
  options: PieceOptions,
  cache: RunCache,
  keyParts: readonly string[],
  { assembled, header, finish }: { assembled: () => Promise<AssembledTypes | undefined>; header: string; finish: (generated: string) => Promise<string> },
): Promise<string | undefined> {
  if (!coveredAtTopLevel(document) || !isRecord(document.paths) || hasDuplicateOperationIds(document)) return undefined;
  const paths = document.paths;
  if (Object.keys(paths).length !== hashes.paths.size) return undefined;
  const items: { url: string; hash: string; kind: ItemKind }[] = [];
  for (const [url, hash] of hashes.paths) {
    if (!(url in paths)) return undefined;
    const kind = cache.memoSync([...keyParts, 'by-item', 'kind'], hash, () => itemKind(paths[url])) as ItemKind;
    if (kind === 'other') return undefined;
    items.push({ url, hash, kind });
  }
  const context = contentHash(hashes.rest, ...items.flatMap(({ url, hash, kind }) => (kind === 'discriminator' ? [url, hash] : [])));
  const itemKey = [...keyParts, 'by-item', 'item', context];
  const itemLines = async (member: string[], operations: string[], footer: Footer[]) => {
    const finished = await Promise.all([finishMembers(PATHS, member, finish), finishMembers(OPERATIONS, operations, finish)]);
    return finished.every((lines) => lines !== undefined) ? JSON.stringify([...finished, footer]) : undefined;
  };

  // The frame, with the footer the path items asked for (see Footer); on a miss, the assembly of the whole
  // document, whose lines for each path item are kept too.
  const frameKey = [...keyParts, 'by-item', 'frame'];
  const assembleFrame = async () => {
    const types = await assembled();
    const frame = types && (await finishFrame(header, types.text, finish));
    if (!types || !frame || types.items.length !== items.length) return INELIGIBLE;
    for (const [index, item] of types.items.entries()) {
      const lines = item.url === items[index]!.url ? await itemLines(item.member, item.operations, item.footer) : undefined;
      if (lines === undefined) return INELIGIBLE;
      cache.store(itemKey, `${item.url}\0${items[index]!.hash}`, lines);
    }
    return JSON.stringify({ ...frame, footer: mergeFooters(types.items.map((item) => item.footer)), withDiscriminator: componentsWithDiscriminator(document) } satisfies Frame);
  };
  const storedFrame = await cache.memo(frameKey, context, assembleFrame);
  if (storedFrame === INELIGIBLE) return undefined;
  let frame = JSON.parse(storedFrame) as Frame;

  const kept = items.map(({ url, hash }) => cache.lookup(itemKey, `${url}\0${hash}`));
  const missing = items.filter((_, index) => kept[index] === undefined);
  const printed = new Map<string, string>();
  if (missing.length > 0) {
    const partial = prepareForOpenApiTypescript(markReferencedVisibility(partialDocument(document, paths, items, new Set(missing.map((item) => item.url)), frame.withDiscriminator)), { inPlace: true }) as Record<string, unknown>;
    const { pathItem } = await createPiecePrinter(partial, options);
    const prepared = partial.paths as Record<string, unknown>;
    for (const { url, hash } of missing) {
      const [member, operations, footer] = JSON.parse(pathItem(url, prepared[url])) as [string[] | undefined, string[] | undefined, Footer[]];
      const lines = await itemLines(member ?? [], operations ?? [], footer);
      if (lines === undefined) return undefined;
      cache.store(itemKey, `${url}\0${hash}`, lines);
      printed.set(url, lines);
    }
  }
  const members: string[] = [];
  const operations: string[] = [];
  const footers: Footer[][] = [];
  items.forEach(({ url }, index) => {
    const [member, operationLines, footer] = JSON.parse(kept[index] ?? printed.get(url)!) as [string[], string[], Footer[]];
    members.push(...member);
    operations.push(...operationLines);
    footers.push(footer);
  });
  // Without any member or operation, openapi-typescript prints those interfaces another way: the assembly knows how.
  if (members.length === 0 || operations.length === 0) return undefined;
  // A changed path item that asks for the footer in another order (or for more or less of it) needs another frame.
  if (JSON.stringify(mergeFooters(footers)) !== JSON.stringify(frame.footer)) {
    const assembledAgain = await assembleFrame();
    if (assembledAgain === INELIGIBLE) return undefined;
    cache.store(frameKey, context, assembledAgain);
    frame = JSON.parse(assembledAgain) as Frame;
  }
  return `${frame.before}${members.map((line) => `${line}\n`).join('')}${frame.between}${operations.map((line) => `${line}\n`).join('')}${frame.after}`;
}

const INELIGIBLE = 'ineligible';

/** The frame as kept: the finished text around the members, and what it was made for. */
interface Frame {
  /** Up to the path items' members, between them and the operations', and after those. */
  before: string;
  between: string;
  after: string;
  /** The footer the path items asked for when it was made. */
  footer: Footer[];
  /** The components (`kind/name`) holding a discriminator: the frame's key covers them too. */
  withDiscriminator: string[];
}

type ItemKind = 'plain' | 'discriminator' | 'other';

/**
 * `other` for a path item with a ref that is not to a whole component (the preparation may move its
 * target into the components, or it reaches into another path item), `discriminator` for one that
 * holds a discriminator (the scan may patch the components from it), else `plain`.
 */
function itemKind(item: unknown): ItemKind {
  let kind: ItemKind = 'plain';
  const stack: unknown[] = [item];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (isRecord(node)) {
      if ('$ref' in node && !(typeof node.$ref === 'string' && WHOLE_COMPONENT.test(node.$ref))) return 'other';
      if ('discriminator' in node) kind = 'discriminator';
      stack.push(...Object.values(node));
    }
  }
  return kind;
}

const WHOLE_COMPONENT = /^#\/components\/[^/]+\/[^/]+$/;

/** Stand for the members in the frame: prettier lays out the frame around them as around the members. */
const PATHS_PLACEHOLDER = '__scaffold_path_items__: never;';
const OPERATIONS_PLACEHOLDER = '__scaffold_operations__: never;';

/**
 * The finished frame (header, replacements, prettier) around the members: the path items' lines replaced
 * by placeholder members, finished, and cut at them.
 */
async function finishFrame(header: string, text: string, finish: (generated: string) => Promise<string>): Promise<Pick<Frame, 'before' | 'between' | 'after'> | undefined> {
  const lines = text.split('\n');
  const pathsAt = lines.indexOf(PATHS);
  const operationsAt = lines.indexOf(OPERATIONS);
  if (pathsAt < 0 || operationsAt < pathsAt) return undefined;
  const pathsEnd = closing(lines, pathsAt, '');
  const operationsEnd = closing(lines, operationsAt, '');
  if (operationsAt < pathsEnd) return undefined;
  const frame = [header, ...lines.slice(0, pathsAt + 1), `    ${PATHS_PLACEHOLDER}`, ...lines.slice(pathsEnd, operationsAt + 1), `    ${OPERATIONS_PLACEHOLDER}`, ...lines.slice(operationsEnd)].join('\n');
  const finished = await finish(frame);
  const [before, rest, ...more] = finished.split(`  ${PATHS_PLACEHOLDER}\n`);
  const [between, after, ...others] = (rest ?? '').split(`  ${OPERATIONS_PLACEHOLDER}\n`);
  if (before === undefined || between === undefined || after === undefined || more.length > 0 || others.length > 0) return undefined;
  return { before, between, after };
}

/**
 * Members of the `paths` or `operations` interface, finished (replacements, prettier) inside the
 * interface alone: prettier lays out each member on its own, so they read as in the whole file.
 */
async function finishMembers(header: string, lines: readonly string[], finish: (generated: string) => Promise<string>): Promise<string[] | undefined> {
  if (lines.length === 0) return [];
  const finished = (await finish(`${header}\n${lines.join('\n')}\n}\n`)).split('\n');
  if (finished[0] !== header || finished.at(-2) !== '}' || finished.at(-1) !== '') return undefined;
  return finished.slice(1, -2);
}

/**
 * The document with only the path items to print and those with a discriminator, in their order, and of
 * the components only those they and the components with a discriminator reach through refs (directly
 * or through other components, the top level's refs included): printing a path item reads no other
 * component (a discriminator can patch the components it maps, which decides whether an `allOf` of one
 * needs `WithRequired`), and preparing, marking and scanning the rest of a big spec's components is most
 * of what printing one item would cost.
 */
function partialDocument(document: Record<string, unknown>, paths: Record<string, unknown>, items: readonly { url: string; kind: ItemKind }[], toPrint: ReadonlySet<string>, withDiscriminator: readonly string[]): Record<string, unknown> {
  const kept = Object.fromEntries(items.filter(({ url, kind }) => kind === 'discriminator' || toPrint.has(url)).map(({ url }) => [url, paths[url]]));
  const { paths: _paths, components, ...root } = document;
  const reached = isRecord(components) ? reachedComponents(components, [kept, root], withDiscriminator) : undefined;
  return Object.fromEntries(
    Object.entries(document).map(([key, value]) => {
      if (key === 'paths') return [key, kept];
      if (key !== 'components' || !isRecord(value) || !reached) return [key, value];
      const partial = Object.entries(value).map(([kind, group]) => [kind, isRecord(group) && !kind.startsWith('x-') ? Object.fromEntries(Object.entries(group).filter(([name]) => reached.has(`${kind}/${name}`))) : group]);
      return [key, Object.fromEntries(partial)];
    }),
  );
}

/**
 * The components (`kind/name`) the roots reach through refs and discriminator mappings (by ref or by
 * schema name), transitively, the `seeds` (`kind/name`) included; a ref into part of a component reaches
 * all of it. Undefined when a ref names a component that is not there (then nothing is left out).
 */
function reachedComponents(components: Record<string, unknown>, roots: readonly unknown[], seeds: readonly string[]): Set<string> | undefined {
  const reached = new Set<string>();
  const stack: unknown[] = [...roots];
  const reach = (kind: string | undefined, name: string | undefined): boolean => {
    const group = kind === undefined ? undefined : components[kind];
    if (name === undefined || !isRecord(group) || !Object.hasOwn(group, name)) return false;
    if (!reached.has(`${kind}/${name}`)) {
      reached.add(`${kind}/${name}`);
      stack.push(group[name]);
    }
    return true;
  };
  const reachRef = (ref: string): boolean => {
    try {
      const [kind, name] = ref.slice('#/components/'.length).split('/').map(decodePointerSegment);
      return reach(kind, name);
    } catch {
      return false; // a segment that does not decode
    }
  };
  for (const seed of seeds) {
    const slash = seed.indexOf('/');
    reach(seed.slice(0, slash), seed.slice(slash + 1));
  }
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (isRecord(node)) {
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#/components/') && !reachRef(node.$ref)) return undefined;
      if (isRecord(node.discriminator) && isRecord(node.discriminator.mapping)) {
        for (const target of Object.values(node.discriminator.mapping)) {
          if (typeof target !== 'string') continue;
          if (target.startsWith('#/components/') ? !reachRef(target) : !target.includes('/') && !target.startsWith('#') && !reach('schemas', target)) return undefined;
        }
      }
      stack.push(...Object.values(node));
    }
  }
  return reached;
}

/** The components (`kind/name`) holding a discriminator anywhere in them. */
function componentsWithDiscriminator(document: Record<string, unknown>): string[] {
  const names: string[] = [];
  const components = isRecord(document.components) ? document.components : {};
  for (const [kind, group] of Object.entries(components)) {
    if (!isRecord(group) || kind.startsWith('x-')) continue;
    for (const [name, component] of Object.entries(group)) if (holdsDiscriminator(component)) names.push(`${kind}/${name}`);
  }
  return names;
}

function holdsDiscriminator(root: unknown): boolean {
  const stack: unknown[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (isRecord(node)) {
      if ('discriminator' in node) return true;
      stack.push(...Object.values(node));
    }
  }
  return false;
}
