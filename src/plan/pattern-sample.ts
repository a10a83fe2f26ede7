import { patternTester } from '../model/pattern.js';

/**
 * Strings that match a regular expression of the common, simple kind (`^[A-Z]{3}$`,
 * `^\+[1-9][0-9]{1,14}$`, `^[0-9]{3}-[0-9]{10}$`, `^[A-Z0-9]+(?:-[A-Z0-9]+)*$`): literals, escapes,
 * character classes, groups with alternatives and quantifiers. Each result is checked against the
 * pattern itself; anything the reader does not understand (lookarounds, backreferences, negated
 * classes) gives no sample rather than a guess.
 */
export function patternSamples(pattern: string): string[] {
  const regex = patternTester(pattern);
  if (!regex) return [];
  let tree: Node | undefined;
  try {
    tree = new Reader(pattern).read();
  } catch {
    return [];
  }
  const found = new Set<string>();
  for (const repeat of [0, 3, 8]) {
    const value = generate(tree, repeat);
    if (value !== undefined && regex.test(value)) found.add(value);
  }
  return [...found];
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'sequence'; items: Node[] }
  | { kind: 'alternatives'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

class Unsupported extends Error {}

class Reader {
  private at = 0;

  constructor(private readonly source: string) {}

  read(): Node {
    const node = this.alternatives();
    if (this.at < this.source.length) throw new Unsupported(this.source);
    return node;
  }

  private alternatives(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.at += 1;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: 'alternatives', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { kind: 'sequence', items };
  }

  private atom(): Node {
    const char = this.next();
    switch (char) {
      case '^':
      case '$':
        return { kind: 'text', text: '' };
      case '(': {
        if (this.source.startsWith('?:', this.at)) this.at += 2;
        else if (this.peek() === '?') throw new Unsupported('lookaround or named group');
        const inner = this.alternatives();
        if (this.next() !== ')') throw new Unsupported('unclosed group');
        return inner;
      }
      case '[':
        return { kind: 'text', text: this.characterClass() };
      case '\\':
        return { kind: 'text', text: this.escape(false) };
      case '.':
        return { kind: 'text', text: 'a' };
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
        throw new Unsupported(`unexpected ${char}`);
      default:
        return { kind: 'text', text: char };
    }
  }

  /** The first character a class allows (a readable one where the class offers it). */
  private characterClass(): string {
    if (this.peek() === '^') throw new Unsupported('negated class');
    const chars: string[] = [];
    while (this.peek() !== ']') {
      if (this.at >= this.source.length) throw new Unsupported('unclosed class');
      let char = this.next();
      if (char === '\\') char = this.escape(true);
      if (this.peek() === '-' && this.source[this.at + 1] !== ']' && this.source[this.at + 1] !== undefined) {
        this.at += 1;
        let end = this.next();
        if (end === '\\') end = this.escape(true);
        if (char.length === 1 && end.length === 1 && char <= end) chars.push(char);
        else throw new Unsupported('range');
        continue;
      }
      chars.push(char);
    }
    this.at += 1;
    const readable = chars.find((c) => /[A-Za-z0-9]/.test(c)) ?? chars[0];
    if (readable === undefined) throw new Unsupported('empty class');
    return readable;
  }

  private escape(inClass: boolean): string {
    const char = this.next();
    if (char === 'd') return '0';
    if (char === 'w') return 'a';
    if (char === 's') return ' ';
    if (!inClass && (char === 'b' || char === 'B')) return '';
    if (/[1-9]/.test(char) || /[DWSpPuxck]/.test(char)) throw new Unsupported(`\\${char}`);
    if (char === 'n') return '\n';
    if (char === 't') return '\t';
    return char;
  }

  private quantified(node: Node): Node {
    const char = this.peek();
    let min: number;
    let max: number;
    if (char === '*') [min, max] = [0, Infinity];
    else if (char === '+') [min, max] = [1, Infinity];
    else if (char === '?') [min, max] = [0, 1];
    else if (char === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (!match) return node;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      this.at += match[0].length - 1;
    } else return node;
    this.at += 1;
    if (this.peek() === '?') this.at += 1;
    return { kind: 'repeat', node, min, max };
  }

  private peek(): string | undefined {
    return this.source[this.at];
  }

  private next(): string {
    const char = this.source[this.at];
    if (char === undefined) throw new Unsupported('unexpected end');
    this.at += 1;
    return char;
  }
}

/** A string of the tree: each repetition as often as its minimum, or `repeat` times where it may be. */
function generate(node: Node, repeat: number): string | undefined {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'sequence': {
      let text = '';
      for (const item of node.items) {
        const part = generate(item, repeat);
        if (part === undefined) return undefined;
        text += part;
      }
      return text;
    }
    case 'alternatives':
      return generate(node.options[0] as Node, repeat);
    case 'repeat': {
      const count = Math.min(node.max, Math.max(node.min, repeat));
      const part = generate(node.node, repeat);
      return part === undefined ? undefined : part.repeat(count);
    }
  }
}
