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
