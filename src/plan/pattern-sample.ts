import { compilePattern, patternTester } from '../model/pattern.js';

/**
 * Strings made to match a spec's or a domain model's `pattern`, for the samples of the generated
 * tests: literals, escapes (`\d \w \s` and their negations, `\p{L}`), character classes (negated ones
 * too), the dot, groups, alternatives, anchors and the quantifiers `? * + {m} {m,} {m,n}`. Each
 * character position takes the characters its atom allows from a pool of readable ones, and the
 * length is chosen among those the pattern can make within `minLength`/`maxLength`. Every result is
 * tested against the pattern as the generated server tests it; what the reader cannot follow
 * (backreferences) or what the test refuses (a lookaround that rules the string out) gives nothing.
 */
export interface LengthBounds {
  minLength?: number;
  maxLength?: number;
}

/** A few strings that match the pattern within the bounds, shortest first (lengths near 1, 3 and 8 where allowed). */
export function patternSamples(pattern: string, bounds: LengthBounds = {}): string[] {
  const reading = readPattern(pattern);
  if (!reading) return [];
  const { lo, hi } = lengthRange(bounds);
  const found = new Set<string>();
  for (const preferred of [1, 3, 8]) {
    const length = reading.lengths.findIndex((possible, n) => possible && n >= Math.max(lo, preferred) && n <= hi);
    const fallback = length >= 0 ? length : reading.lengths.findIndex((possible, n) => possible && n >= lo && n <= hi);
    if (fallback < 0) continue;
    const positions = reading.positions(fallback);
    const value = positions?.map((alphabet) => alphabet.charAt(0)).join('');
    if (value !== undefined && reading.test(value)) found.add(value);
  }
  return [...found];
}

/**
 * A string of the pattern with a running number written into it, for unique fields whose pattern
 * leaves no room for decimal digits (`^[A-Z]{2,6}$` -> `AA` + n written in the letters A-Z, 4 of them):
 * `before + spellNumber(n, digits, width) + after`. Distinct for the first `capacity` numbers.
 */
export interface SpelledText {
  before: string;
  digits: string;
  width: number;
  after: string;
  capacity: number;
}

/** Below this many distinct values a pattern is too narrow for the samples of a test file. */
export const MIN_UNIQUE_CAPACITY = 1_000;
/** Enough distinct values for the running numbers the generated tests are checked with (request-values RUNNING_NUMBERS). */
const PREFERRED_UNIQUE_CAPACITY = 100_000;

export function spelledPatternText(pattern: string, bounds: LengthBounds = {}): SpelledText | undefined {
  const reading = readPattern(pattern);
  if (!reading) return undefined;
  const { lo, hi } = lengthRange(bounds);
  let best: SpelledText | undefined;
  for (let length = Math.max(lo, 1); length <= hi && length < reading.lengths.length; length += 1) {
    if (!reading.lengths[length]) continue;
    const positions = reading.positions(length);
    const text = positions && longestRun(positions);
    if (!text || (best && text.capacity <= best.capacity)) continue;
    const samples = [0, 1, 2, text.capacity - 1, 98765].map((n) => spellText(text, n));
    if (!samples.every((sample) => reading.test(sample))) continue;
    best = text;
    if (best.capacity >= PREFERRED_UNIQUE_CAPACITY) break;
  }
  return best && best.capacity >= MIN_UNIQUE_CAPACITY ? best : undefined;
}

/** `n` written with `digits` as its digits, `width` of them (so it wraps after digits.length ** width numbers). */
export function spellNumber(n: number, digits: string, width: number): string {
  let text = '';
  let rest = n;
  while (text.length < width) {
    text = digits.charAt(rest % digits.length) + text;
    rest = Math.floor(rest / digits.length);
  }
  return text;
}

export function spellText(text: SpelledText, n: number): string {
  return `${text.before}${spellNumber(n, text.digits, text.width)}${text.after}`;
}

/** The longest stretch of positions that allow the same several characters, as the place for the number. */
function longestRun(positions: string[]): SpelledText | undefined {
  let best: { start: number; width: number; capacity: number } | undefined;
  for (let start = 0; start < positions.length; start += 1) {
    const alphabet = positions[start] as string;
    if (alphabet.length < 2) continue;
    let width = 1;
    while (positions[start + width] === alphabet) width += 1;
    const capacity = Math.min(digitsOf(alphabet).length ** width, Number.MAX_SAFE_INTEGER);
    if (!best || capacity > best.capacity) best = { start, width, capacity };
    start += width - 1;
  }
  if (!best) return undefined;
  const first = (alphabets: string[]) => alphabets.map((a) => a.charAt(0)).join('');
  return {
    before: first(positions.slice(0, best.start)),
    digits: digitsOf(positions[best.start] as string),
    width: best.width,
    after: first(positions.slice(best.start + best.width)),
    capacity: best.capacity,
  };
}

/** The characters a number is written with: decimal digits first, then letters (readable ones only, where there are enough). */
function digitsOf(alphabet: string): string {
  const readable = [...alphabet].filter((c) => /[0-9A-Za-z]/.test(c));
  const chosen = readable.length >= 2 ? readable : [...alphabet];
  const rank = (c: string) => (/[0-9]/.test(c) ? 0 : /[A-Z]/.test(c) ? 1 : /[a-z]/.test(c) ? 2 : 3);
  return chosen.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)).join('');
}

/** Lengths are searched up to this far beyond `minLength`. */
const LENGTH_SEARCH = 64;

function lengthRange(bounds: LengthBounds): { lo: number; hi: number } {
  const lo = Math.max(0, bounds.minLength ?? 0);
  return { lo, hi: Math.min(bounds.maxLength ?? Infinity, lo + LENGTH_SEARCH) };
}

// ---- reading a pattern ----

type Node =
  { kind: 'char'; alphabet: string } | { kind: 'empty' } | { kind: 'sequence'; items: Node[] } | { kind: 'alternatives'; options: Node[] } | { kind: 'repeat'; node: Node; min: number; max: number };

interface Reading {
  /** lengths[n]: whether the pattern can make a string of n characters (up to the search limit). */
  lengths: boolean[];
  /** The allowed characters of each position of a string of that length (possible lengths only). */
  positions(length: number): string[] | undefined;
  test(value: string): boolean;
}

class Unsupported extends Error {}

/**
 * The characters single-character atoms are chosen from: readable ones first (their order is the
 * order samples prefer), then the rest of printable ASCII, then a few letters beyond it (for `\p{L}`).
 */
const POOL = [
  ...'abcdefghijklmnopqrstuvwxyz',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'0123456789',
  ...'-_. ',
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => !/[A-Za-z0-9\-_. ]/.test(c)),
  ...'éßøΩж',
];

const readings = new Map<string, Reading | undefined>();

function readPattern(pattern: string): Reading | undefined {
  if (!readings.has(pattern)) readings.set(pattern, buildReading(pattern));
  return readings.get(pattern);
}

function buildReading(pattern: string): Reading | undefined {
  const compiled = compilePattern(pattern);
  const tester = patternTester(pattern);
  if (!compiled || !tester) return undefined;
  let tree: Node;
  try {
    tree = new Reader(pattern, compiled.unicode ? 'u' : '').read();
  } catch {
    return undefined;
  }
  // A pattern matches anywhere in the string unless anchored: room for more characters around it.
  const anyChar: Node = {
    kind: 'repeat',
    node: { kind: 'char', alphabet: POOL.filter((c) => c !== '\n').join('') },
    min: 0,
    max: Infinity,
  };
  const items = [...(pattern.startsWith('^') ? [] : [anyChar]), tree, ...(/(^|[^\\])\$$/.test(pattern) ? [] : [anyChar])];
  const chosen: Node = items.length === 1 ? tree : { kind: 'sequence', items };
  const limit = LENGTH_SEARCH * 4;
  const lengthsOf = memoLengths(limit);
  return {
    lengths: lengthsOf(chosen),
    positions: (length) => (lengthsOf(chosen)[length] ? positionsOf(chosen, length, lengthsOf) : undefined),
    test: (value) => tester.test(value),
  };
}

/** The lengths a node can make (memoized per reading), and for a repeat the lengths by number of copies. */
interface LengthsOf {
  (node: Node): boolean[];
  byCount(node: Extract<Node, { kind: 'repeat' }>): boolean[][];
}

function memoLengths(limit: number): LengthsOf {
  const memo = new Map<Node, boolean[]>();
  const counts = new Map<Node, boolean[][]>();
  const lengthsOf = (node: Node): boolean[] => {
    let found = memo.get(node);
    if (!found) {
      if (node.kind === 'repeat') {
        const { byCount, union } = repeatLengths(node, limit, lengthsOf);
        counts.set(node, byCount);
        found = union;
      } else found = computeLengths(node, limit, lengthsOf);
      memo.set(node, found);
    }
    return found;
  };
  const byCount = (node: Extract<Node, { kind: 'repeat' }>): boolean[][] => {
    lengthsOf(node);
    return counts.get(node) as boolean[][];
  };
  return Object.assign(lengthsOf, { byCount });
}

/** The lengths of a node other than a repeat, from those of its parts. */
function computeLengths(node: Exclude<Node, { kind: 'repeat' }>, limit: number, lengthsOf: (node: Node) => boolean[]): boolean[] {
  const none = () => new Array<boolean>(limit + 1).fill(false);
  switch (node.kind) {
    case 'char': {
      const result = none();
      result[1] = node.alphabet.length > 0;
      return result;
    }
    case 'empty':
      return emptyOnly(limit);
    case 'sequence':
      return node.items.reduce((reach, item) => combine(reach, lengthsOf(item)), emptyOnly(limit));
    case 'alternatives':
      return node.options.map(lengthsOf).reduce((a, b) => a.map((v, i) => v || (b[i] ?? false)), none());
  }
}

/** Lengths up to `limit` of which only 0 is possible. */
function emptyOnly(limit: number): boolean[] {
  const result = new Array<boolean>(limit + 1).fill(false);
  result[0] = true;
  return result;
}

function combine(a: boolean[], b: boolean[]): boolean[] {
  const result = new Array<boolean>(a.length).fill(false);
  const bs = b.flatMap((v, i) => (v ? [i] : []));
  a.forEach((v, i) => {
    if (!v) return;
    for (const j of bs) if (i + j < result.length) result[i + j] = true;
  });
  return result;
}

/** The lengths of k copies for each k tried, and of all counts the repeat allows. */
function repeatLengths(node: Extract<Node, { kind: 'repeat' }>, limit: number, lengthsOf: (node: Node) => boolean[]): { byCount: boolean[][]; union: boolean[] } {
  const child = lengthsOf(node.node);
  const byCount: boolean[][] = [emptyOnly(limit)];
  const union = new Array<boolean>(limit + 1).fill(false);
  if (node.min === 0) union[0] = true;
  for (let k = 1; k <= node.max && k <= limit + node.min; k += 1) {
    const current = combine(byCount[k - 1] as boolean[], child);
    byCount.push(current);
    let grew = false;
    if (k >= node.min)
      current.forEach((v, i) => {
        if (v && !union[i]) grew = union[i] = true;
      });
    // More copies make no new length (the fewest copies of each are known), or none at all.
    if ((k > node.min && !grew) || !current.some(Boolean)) break;
  }
  return { byCount, union };
}

function positionsOf(node: Node, length: number, lengthsOf: LengthsOf): string[] {
  switch (node.kind) {
    case 'char':
      return [node.alphabet];
    case 'empty':
      return [];
    case 'alternatives': {
      const option = node.options.find((o) => lengthsOf(o)[length]) as Node;
      return positionsOf(option, length, lengthsOf);
    }
    case 'sequence': {
      // Each item takes the least it can, from the first on; the last one the rest.
      const suffixes = [emptyOnly(length)];
      for (const item of [...node.items].reverse()) suffixes.unshift(combine(suffixes[0] as boolean[], lengthsOf(item).slice(0, length + 1)));
      const parts: string[][] = [];
      let rest = length;
      node.items.forEach((item, i) => {
        const own = lengthsOf(item);
        let taken = 0;
        while (taken < rest && !(own[taken] && (suffixes[i + 1] as boolean[])[rest - taken])) taken += 1;
        parts.push(positionsOf(item, taken, lengthsOf));
        rest -= taken;
      });
      return parts.flat();
    }
    case 'repeat': {
      const byCount = lengthsOf.byCount(node);
      let count = Math.max(node.min, length === 0 ? 0 : 1);
      while (count < byCount.length - 1 && !byCount[count]?.[length]) count += 1;
      const child = lengthsOf(node.node);
      const parts: string[][] = [];
      let rest = length;
      for (let k = count; k > 0; k -= 1) {
        let taken = 0;
        while (taken < rest && !(child[taken] && (byCount[k - 1] as boolean[])[rest - taken])) taken += 1;
        parts.unshift(positionsOf(node.node, taken, lengthsOf));
        rest -= taken;
      }
      return parts.flat();
    }
  }
}

class Reader {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly flags: string,
  ) {}

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
    while (this.at < this.source.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.quantified(this.atom()));
    return items.length === 1 ? (items[0] as Node) : { kind: 'sequence', items };
  }

  private atom(): Node {
    const start = this.at;
    const char = this.next();
    switch (char) {
      case '^':
      case '$':
        return { kind: 'empty' };
      case '(':
        return this.group();
      case '[':
        this.skipClass();
        return this.charOf(this.source.slice(start, this.at));
      case '\\':
        return this.escape(start);
      case '.':
        return this.charOf('.');
      case '*':
      case '+':
      case '?':
      case ')':
        throw new Unsupported(`unexpected ${char}`);
      default:
        return { kind: 'char', alphabet: char };
    }
  }

  private group(): Node {
    let lookaround = false;
    if (this.source.startsWith('?:', this.at)) this.at += 2;
    else if (/^\?<?[=!]/.test(this.source.slice(this.at))) {
      // Zero width: what it asks of the string is left to the final test against the pattern.
      lookaround = true;
      this.at += this.source[this.at + 1] === '<' ? 3 : 2;
    } else if (/^\?<[A-Za-z_$][\w$]*>/.test(this.source.slice(this.at))) this.at = this.source.indexOf('>', this.at) + 1;
    else if (this.peek() === '?') throw new Unsupported('group modifier');
    const inner = this.alternatives();
    if (this.next() !== ')') throw new Unsupported('unclosed group');
    return lookaround ? { kind: 'empty' } : inner;
  }

  private skipClass(): void {
    if (this.peek() === '^') this.at += 1;
    while (this.peek() !== ']') {
      if (this.next() === '\\') this.next();
    }
    this.at += 1;
  }

  private escape(start: number): Node {
    const char = this.next();
    if (/[1-9k]/.test(char)) throw new Unsupported('backreference');
    if (char === 'b' || char === 'B') return { kind: 'empty' };
    if ((char === 'p' || char === 'P') && this.peek() === '{') this.at = this.source.indexOf('}', this.at) + 1;
    else if (char === 'x') this.at += 2;
    else if (char === 'u') this.at += this.peek() === '{' ? this.source.indexOf('}', this.at) + 1 - this.at : 4;
    else if (char === 'c') this.at += 1;
    return this.charOf(this.source.slice(start, this.at));
  }

  /** An atom that matches one character: the characters of the pool it matches (or the one it names). */
  private charOf(atom: string): Node {
    const regex = new RegExp(`^(?:${atom})$`, this.flags);
    const fromPool = POOL.filter((c) => regex.test(c));
    if (fromPool.length > 0) return { kind: 'char', alphabet: fromPool.join('') };
    // A character outside the pool (`\n`, `\u00e9`, `[ü]`): the first one the atom names, if it matches.
    const named = atom.startsWith('\\') ? undefined : [...atom.replace(/^\[\^?|\]$/g, '')].find((c) => regex.test(c));
    if (named !== undefined) return { kind: 'char', alphabet: named };
    const escaped = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', '0': '\0' }[atom.slice(1)];
    return {
      kind: 'char',
      alphabet: escaped !== undefined && regex.test(escaped) ? escaped : '',
    };
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
    return this.quantified({ kind: 'repeat', node, min, max });
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
