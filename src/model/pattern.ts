import { isSafePattern } from 'redos-detector';
import { RE2JS } from 're2js';

/**
 * A spec's `pattern` as JavaScript runs it. Specs are written for many regex dialects: a pattern is
 * compiled with the `u` flag when it can be (so `\p{L}` means a letter) and without it otherwise
 * (so the common `\-` escape still works), the same way the generated validators compile it.
 */
export function compilePattern(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // try the next dialect
    }
  }
  return undefined;
}

/**
 * The analysis is bounded by steps rather than time, so that its verdict does not depend on the
 * machine; a pattern whose analysis runs out of steps is not proven safe and counts as super-linear.
 */
const MAX_ANALYSIS_STEPS = 2_000;
const verdicts = new Map<string, boolean>();

/**
 * Whether a backtracking engine (JavaScript's) can take super-linear time on some input to test this
 * pattern: nested quantifiers (`^(a+)+$`), overlapping alternatives under a quantifier (`^(a|a)*$`),
 * adjacent quantifiers over the same characters. The generated server checks such patterns with a
 * linear-time engine (src/utils/patterns.ts). Invalid patterns are not super-linear: they are never run.
 */
export function isSuperLinearPattern(pattern: string): boolean {
  let verdict = verdicts.get(pattern);
  if (verdict === undefined) {
    const unicode = compilePattern(pattern)?.unicode;
    verdict = unicode !== undefined && !analysedSafe(pattern, unicode);
    verdicts.set(pattern, verdict);
  }
  return verdict;
}

function analysedSafe(pattern: string, unicode: boolean): boolean {
  try {
    return isSafePattern(pattern, { unicode, maxSteps: MAX_ANALYSIS_STEPS, timeout: Infinity }).safe;
  } catch {
    return false; // a construct the analysis cannot follow: not proven safe
  }
}

export interface PatternTester {
  test(value: string): boolean;
}

/**
 * A super-linear pattern that RE2 cannot express (a backreference, a lookaround) is run only on values
 * this short; longer ones do not match. The generated server's src/utils/patterns.ts holds the same bound.
 */
export const BACKTRACKING_INPUT_LIMIT = 16;

/**
 * A pattern as the generated server tests it (src/utils/patterns.ts): natively, or with RE2's
 * linear-time engine when it can backtrack super-linearly, so that the generator, which tests sample
 * values against the spec's patterns, cannot be held for minutes by one either. Undefined when invalid.
 */
export function patternTester(pattern: string): PatternTester | undefined {
  if (!testers.has(pattern)) testers.set(pattern, buildTester(pattern));
  return testers.get(pattern);
}

const testers = new Map<string, PatternTester | undefined>();

function buildTester(pattern: string): PatternTester | undefined {
  const native = compilePattern(pattern);
  if (native === undefined || !isSuperLinearPattern(pattern)) return native;
  try {
    const re2 = RE2JS.compile(RE2JS.translateRegExp(pattern));
    return { test: (value) => re2.test(value) };
  } catch {
    return { test: (value) => value.length <= BACKTRACKING_INPUT_LIMIT && native.test(value) };
  }
}
