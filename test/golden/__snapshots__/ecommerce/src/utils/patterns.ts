import { RE2JS } from 're2js';
import { superLinearPatterns } from '../dto/schemas.gen.js';

/**
 * The spec's and the domain model's patterns, as the validators and the entities test them. Patterns
 * come in two dialects: with the `u` flag where they compile (`\p{L}`), without it where they do not
 * (the common `\-`); the generator checks them the same way. A pattern that can backtrack
 * super-linearly (`^(a+)+$`: 28 characters would hold the event loop for seconds) runs on RE2's
 * linear-time engine; the generator lists them (scaffold's SCF017 warning).
 */
export interface PatternTester {
  test(value: string): boolean;
  /** Ajv keys its compiled patterns by this text, and it names the engine in use. */
  toString(): string;
}

/**
 * A super-linear pattern that RE2 cannot express (a backreference, a lookaround) is run only on values
 * this short, where even exponential backtracking stays under a millisecond; longer ones do not match.
 */
export const BACKTRACKING_INPUT_LIMIT = 16;

const compiled = new Map<string, PatternTester>();

/** Whether the generator found that the pattern can backtrack super-linearly (scaffold's SCF017). */
export function backtracksSuperLinearly(pattern: string): boolean {
  return superLinearPatterns.has(pattern);
}

/** The tester of a pattern, compiled once. */
export function compilePattern(pattern: string, flags = 'u'): PatternTester {
  const key = `${flags}/${pattern}`;
  let tester = compiled.get(key);
  if (tester === undefined) {
    tester = backtracksSuperLinearly(pattern)
      ? (linearTimePattern(pattern) ?? boundedPattern(nativePattern(pattern, flags)))
      : nativePattern(pattern, flags);
    compiled.set(key, tester);
  }
  return tester;
}

function nativePattern(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, flags.replace('u', ''));
  }
}

function linearTimePattern(pattern: string): PatternTester | undefined {
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch {
    return undefined;
  }
  return { test: (value) => re2.test(value), toString: () => `re2:/${pattern}/` };
}

function boundedPattern(regExp: RegExp): PatternTester {
  return {
    test: (value) => value.length <= BACKTRACKING_INPUT_LIMIT && regExp.test(value),
    toString: () => `bounded:${String(regExp)}`,
  };
}
