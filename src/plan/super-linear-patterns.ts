import { isSuperLinearPattern } from '../model/pattern.js';

/**
 * The `pattern`s and `patternProperties` keys, anywhere in the given schemas and operations, that can
 * backtrack super-linearly: the generated server tests these with a linear-time engine
 * (src/dto/schemas.gen.ts, read by src/utils/patterns.ts). Sorted, each once.
 */
export function superLinearPatterns(...roots: readonly unknown[]): string[] {
  const found = new Set<string>();
  const pending: unknown[] = [...roots];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      pending.push(...(value as unknown[]));
      continue;
    }
    const record = value as Record<string, unknown>;
    const candidates = [
      ...(typeof record.pattern === 'string' ? [record.pattern] : []),
      ...(isRecord(record.patternProperties) ? Object.keys(record.patternProperties) : []),
    ];
    for (const pattern of candidates) if (isSuperLinearPattern(pattern)) found.add(pattern);
    pending.push(...Object.values(record));
  }
  return [...found].sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
