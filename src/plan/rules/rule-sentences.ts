/**
 * Sentences of an operation's description that state a rule in prose: who may call it ("**Admin
 * only.**"), whose rows it reaches ("customers may only read their own orders"), in which states it
 * is allowed, what it refuses and with which status or error code. The report lists the ones the
 * design does not declare (src/plan/rules/declared-rules.ts), so that a CRUD shape is never taken for
 * the behaviour its description promises.
 *
 * The classifier is deliberately plain: a sentence is rule-like only when it has a trigger (a word
 * such as `must`, `only`, `refused`, a role, a status or an error code); "Returns a page of products"
 * has none and is never listed.
 */

/** What a rule-like sentence is about; a sentence may have several kinds. */
export type RuleKind = 'roles' | 'ownership' | 'state' | 'error-code' | 'uniqueness' | 'idempotency' | 'effect' | 'other';

export const RULE_KINDS: readonly RuleKind[] = ['roles', 'ownership', 'state', 'error-code', 'uniqueness', 'idempotency', 'effect', 'other'];

/** A status or error code named in prose: `409 INVALID_ORDER_STATE`, a bare `403`, a bare `BUILT_IN_ROLE`. */
export interface NamedCode {
  status: number | undefined;
  code: string | undefined;
}

/** `409 INVALID_ORDER_STATE`, `403`, `BUILT_IN_ROLE`. */
export function namedCodeText(named: NamedCode): string {
  return [named.status, named.code].filter((part) => part !== undefined).join(' ');
}

export interface RuleSentence {
  /** The sentence as the description writes it, its whitespace collapsed. */
  text: string;
  /** Its kinds, in the order of RULE_KINDS; never empty (`other` when nothing more specific applies). */
  kinds: RuleKind[];
  /** The statuses and error codes it names (kind `error-code`). */
  codes: NamedCode[];
}

/** What the classifier knows of the operation: the states of its entity's state machine. */
export interface SentenceContext {
  states: readonly string[];
}

const PATTERNS: Record<Exclude<RuleKind, 'state' | 'error-code' | 'other'>, readonly RegExp[]> = {
  roles: [
    /\badmins?\s+only\b/i,
    /\badmins\b/i,
    /\ban admin\b/i,
    // "who must hold the `admin` or `support` role", "requires the `editor` role"
    /\b(?:must|needs? to|required to)\s+(?:hold|have)\b[^.;]*\broles?\b/i,
    /\brequires?\b[^.;]*\broles?\b/i,
    // "back-office clients need `sessions:admin`", "requires both `users:write` and `roles:write`"
    /\b(?:need|needs|requires?|with)\s+(?:both\s+)?`[\w.-]+:[\w.-]+`/i,
  ],
  ownership: [/\btheir own\b/i, /\bits own\b/i, /\bcaller's own\b/i, /\bthemselves\b/i, /\bonly see\b/i, /\bvisible to\b/i, /\btoken's subject\b/i],
  uniqueness: [/\bunique\b/i, /\bmust not belong to another\b/i, /\balready (?:exists|taken|in use)\b/i],
  idempotency: [/\bIdempotency-Key\b/i],
  // What an action changes besides its own record: "reserves stock", "releases its reserved stock",
  // "moves the order to paid", "its inventory starts at zero", "the payment is refunded".
  effect: [
    /\b(?:reserves|are reserved|releases|consumes|decrements|increments)\b/i,
    /\b(?:is|are) refunded\b/i,
    /\bturns\b[^.;]*\binto\b/i,
    /\bstarts? at (?:zero|0)\b/i,
    /\bmoves (?:the|its) \w+ to\b/i,
  ],
};

/** Words that make a sentence rule-like even when no specific kind applies (then: `other`). */
const TRIGGERS: readonly RegExp[] = [
  /\bmust\b/i,
  /\bcannot\b/i,
  /\bcan't\b/i,
  /\bmay only\b/i,
  /\bonly (?:if|when|while|after|before|for|by)\b/i,
  /\b(?:refused|rejected|forbidden|denied|not allowed|disallowed)\b/i,
  /\brequires?\b/i,
  /\brate[- ]limited\b/i,
];

/** Ignoring case where the design has no way to say it: an undeclared rule of its own. */
export const CASE_INSENSITIVE = /\bcase[- ]insensitive\b|\bignor\w* (?:the )?case\b/i;

const ANY_OTHER_STATE = /\bany other (?:status|state)\b/i;

/** `409 INVALID_ORDER_STATE` (in backticks or not), a bare status in backticks or after a verb, an UPPER_SNAKE code. */
const STATUS_AND_CODE = /\b([45]\d\d)\s+([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\b/g;
const BARE_STATUS = /`([45]\d\d)`|\b(?:answers?|returns?|with|status)\s+([45]\d\d)\b/g;
const UPPER_SNAKE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;

/** The rule-like sentences of a text (an operation's summary or description), each with its kinds. */
export function findRuleSentences(text: string, context: SentenceContext): RuleSentence[] {
  return splitSentences(text).flatMap((sentence) => {
    const classified = classifySentence(sentence, context);
    return classified ? [classified] : [];
  });
}

/** One sentence's kinds, or undefined when it states no rule. */
export function classifySentence(sentence: string, context: SentenceContext): RuleSentence | undefined {
  const kinds = new Set<RuleKind>();
  for (const [kind, patterns] of Object.entries(PATTERNS) as [RuleKind, readonly RegExp[]][]) {
    if (patterns.some((pattern) => pattern.test(sentence))) kinds.add(kind);
  }
  const codes = namedCodes(sentence);
  if (codes.length > 0) kinds.add('error-code');
  const triggered = kinds.size > 0 || TRIGGERS.some((pattern) => pattern.test(sentence));
  if (!triggered) return undefined;
  // A state named in a sentence that states a rule: the rule depends on the state.
  if (ANY_OTHER_STATE.test(sentence) || context.states.some((state) => namesWord(sentence, state))) kinds.add('state');
  if (CASE_INSENSITIVE.test(sentence) || kinds.size === 0) kinds.add('other');
  return { text: sentence, kinds: RULE_KINDS.filter((kind) => kinds.has(kind)), codes };
}

function namedCodes(sentence: string): NamedCode[] {
  const codes: NamedCode[] = [];
  const seen = new Set<string>();
  const add = (status: number | undefined, code: string | undefined) => {
    const key = `${status ?? ''} ${code ?? ''}`;
    if (!seen.has(key)) codes.push({ status, code });
    seen.add(key);
  };
  const withStatus = new Set<string>();
  for (const match of sentence.matchAll(STATUS_AND_CODE)) {
    const [, status, code] = match;
    // `409 CONFLICT`, `422 INSUFFICIENT_STOCK`: a code is at least two letters long and all capitals.
    if (status === undefined || code === undefined || code.length < 2) continue;
    add(Number(status), code);
    withStatus.add(status);
  }
  for (const match of sentence.matchAll(BARE_STATUS)) {
    const status = match[1] ?? match[2];
    if (status !== undefined && !withStatus.has(status)) add(Number(status), undefined);
  }
  const coded = new Set(codes.map((c) => c.code));
  for (const match of sentence.matchAll(UPPER_SNAKE)) if (!coded.has(match[0])) add(undefined, match[0]);
  return codes;
}

/** Whether the sentence names a word (a state such as `paid`), as a whole word, in any case. */
function namesWord(sentence: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, 'i').test(sentence);
}

/**
 * The sentences of a description: its whitespace collapsed, cut after `.`, `!` or `?` (and a closing
 * `**` or `)`) followed by a capital, a backtick, `*` or `(`. `e.g. a count` is not cut.
 */
export function splitSentences(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return [];
  return flat
    .split(/(?<=[.!?](?:\*\*|\))?)\s+(?=[A-Z`*(])/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
