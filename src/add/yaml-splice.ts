import { Document, isMap, isScalar, isSeq, parseDocument, visit, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Edits a YAML file by splicing new text into it, so every byte outside the insertion stays as it
 * was: comments, blank lines, quoting, flow collections. The yaml Document API finds where (node
 * ranges); only the new entries are stringified, indented like their siblings.
 */
export class YamlSource {
  private text: string;
  /** The file writes short lists of scalars in flow style (`tags: [Products]`): new ones follow. */
  private readonly flowLists: boolean;
  /** The file quotes with ' ('#/components/...', '200'): new strings that need quotes follow. */
  private readonly singleQuote: boolean;

  constructor(text: string) {
    this.text = text;
    this.flowLists = /:[ \t]+\[[^\]\n]*\][ \t]*$/m.test(text);
    this.singleQuote = (text.match(/'[^'\n]*'/g) ?? []).length > (text.match(/"[^"\n]*"/g) ?? []).length;
  }

  toString(): string {
    return this.text;
  }

  /** The plain value at `path` (undefined when absent). */
  get(path: readonly (string | number)[]): unknown {
    const node = this.document().getIn(path, true);
    return node === undefined ? undefined : (node as Node).toJSON();
  }

  /** Whether the collection at `path` writes its items' values in flow style (`{ type: integer }`). */
  usesFlowValues(path: readonly (string | number)[]): boolean {
    const node = this.document().getIn(path, true);
    return isMap(node) && node.items.length > 0 && node.items.every((pair) => isMap(pair.value) && pair.value.flow === true);
  }

  /**
   * Adds `entries` at the end of the block mapping at `path`; missing mappings on the way are created
   * at the end of their parent. `flowDepth`: mappings that deep in `entries` (entries itself is 0) are written in flow style.
   */
  appendToMap(path: readonly string[], entries: Record<string, unknown>, flowDepth?: number): void {
    const document = this.document();
    let depth = path.length;
    while (depth > 0 && !isMap(document.getIn(path.slice(0, depth), true))) depth--;
    const existing = path.slice(0, depth);
    let value: Record<string, unknown> = entries;
    for (const key of path.slice(depth).reverse()) value = { [key]: value };
    const target = depth === 0 ? document.contents : document.getIn(existing, true);
    if (!isMap(target)) throw new Error(`${existing.join('.') || 'the document'} is not a mapping`);
    this.appendItems(target as YAMLMap, renderBlock(value, this.style(), flowDepth === undefined ? undefined : flowDepth + (path.length - depth)));
  }

  /** Adds `items` at the end of the block sequence at `path` (created under its parent when missing). */
  appendToSeq(path: readonly string[], items: unknown[]): void {
    const node = this.document().getIn(path, true);
    if (node === undefined) return this.appendToMap(path.slice(0, -1), { [path.at(-1)!]: items });
    if (!isSeq(node) || node.flow) throw new Error(`${path.join('.')} is not a block sequence`);
    this.appendItems(node as YAMLSeq, renderBlock(items, this.style()));
  }

  private appendItems(collection: YAMLMap | YAMLSeq, rendered: string): void {
    const last = collection.items.at(-1);
    const lastNode = last === undefined ? undefined : isMap(collection) ? (last as { key: Node }).key : (last as Node);
    if (lastNode?.range == null || collection.range == null) throw new Error('cannot place an entry in an empty or generated collection');
    const indent = columnOf(this.text, (collection.items[0] as { key?: Node } & Node).key?.range?.[0] ?? (collection.items[0] as Node).range![0]);
    const lastEnd = isMap(collection) ? endOfPair(collection.items.at(-1)!) : lastNode.range[2];
    const at = lineEndAfter(this.text, lastEnd);
    // Siblings separated by a blank line get one before the new entries too.
    const spaced = isMap(collection) && collection.items.length > 1 && /\n[ \t]*\n[ \t]*$/.test(this.text.slice(0, lineStartOf(this.text, lastNode.range[0])));
    const lines = rendered.replace(/\n$/, '').split('\n');
    const body = lines.map((line, i) => `${spaced && i > 0 && /^[^\s#-]/.test(line) ? '\n' : ''}${line === '' ? line : ' '.repeat(indent) + line}`).join('\n');
    const prefix = at > 0 && this.text[at - 1] !== '\n' ? '\n' : '';
    this.text = `${this.text.slice(0, at)}${prefix}${spaced ? '\n' : ''}${body}\n${this.text.slice(at)}`;
  }

  private style(): RenderStyle {
    return { flowLists: this.flowLists, singleQuote: this.singleQuote };
  }

  private document(): Document {
    const document = parseDocument(this.text);
    if (document.errors.length > 0) throw document.errors[0];
    return document;
  }
}

function endOfPair(pair: unknown): number {
  const { key, value } = pair as { key: Node; value: Node | null };
  return (value ?? key).range![1];
}

interface RenderStyle {
  flowLists: boolean;
  singleQuote: boolean;
}

function renderBlock(value: unknown, { flowLists, singleQuote }: RenderStyle, flowDepth?: number): string {
  const document = new Document(value, { aliasDuplicateObjects: false });
  visit(document, {
    Map(_key, node, path) {
      if (flowDepth !== undefined && path.filter((ancestor) => isMap(ancestor)).length === flowDepth) node.flow = true;
    },
    Seq(_key, node, path) {
      // Not a list of the entries themselves (tags: - name: ...), only lists inside them.
      if (flowLists && path.length > 1 && node.items.every((item) => isScalar(item)) && node.items.length <= 8) node.flow = true;
    },
  });
  // `{ type: integer }` but `[Products]`: the padding yaml gives flow maps, none for flow lists.
  return document.toString({ lineWidth: 0, flowCollectionPadding: true, singleQuote }).replace(/\[ ([^\[\]\n]*) \]/g, '[$1]');
}

/** The indentation of the line `offset` is on (a sequence item's `- ` is where the item starts). */
function columnOf(text: string, offset: number): number {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0].length;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the line after the one `offset` ends on (or the end of the text). */
function lineEndAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** The same edits on a JSON document (no comments to keep): the object is edited and written back with its indentation. */
export class JsonSource {
  private readonly value: Record<string, unknown>;
  private readonly indent: string;

  constructor(text: string) {
    this.value = JSON.parse(text) as Record<string, unknown>;
    this.indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  }

  toString(): string {
    return `${JSON.stringify(this.value, null, this.indent)}\n`;
  }

  get(path: readonly (string | number)[]): unknown {
    return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), this.value);
  }

  usesFlowValues(): boolean {
    return false;
  }

  appendToMap(path: readonly string[], entries: Record<string, unknown>): void {
    let node = this.value;
    for (const key of path) node = (node[key] ??= {}) as Record<string, unknown>;
    Object.assign(node, entries);
  }

  appendToSeq(path: readonly string[], items: unknown[]): void {
    const parent = this.get(path.slice(0, -1)) as Record<string, unknown>;
    parent[path.at(-1)!] = [...((parent[path.at(-1)!] as unknown[] | undefined) ?? []), ...items];
  }
}

export type DesignSource = YamlSource | JsonSource;

export function designSource(text: string, file: string): DesignSource {
  return file.endsWith('.json') ? new JsonSource(text) : new YamlSource(text);
}
