import { isSuperLinearPattern } from '../model/pattern.js';

/**
 * The `pattern`s and `patternProperties` keys, anywhere in the given schemas and operations, that can
 * backtrack super-linearly: the generated server tests these with a linear-time engine
 * (src/dto/schemas.gen.ts, read by src/utils/patterns.ts). Sorted, each once.
 */
export function superLinearPatterns(...roots: readonly unknown[]): string[] {
  const found = new Set<string>();
  // Each object once: the model shares schema objects between operations.
  const seen = new Set<object>();
  const pending: unknown[] = [...roots];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      if (typeof record.pattern === 'string' && isSuperLinearPattern(record.pattern)) found.add(record.pattern);
      if (isRecord(record.patternProperties)) for (const key of Object.keys(record.patternProperties)) if (isSuperLinearPattern(key)) found.add(key);
    }
    // One at a time: spreading a huge enum into push() would overflow the stack.
    for (const child of children) pending.push(child);
  }
  return [...found].sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
