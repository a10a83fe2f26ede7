import { createHash } from 'node:crypto';

/** A SHA-256 (hex) of the parts, each followed by a NUL so that ["ab", "c"] and ["a", "bc"] differ. */
export function contentHash(...parts: readonly string[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part).update('\0');
  return digest.digest('hex');
}
