import { codeFingerprint } from '../cache/code-fingerprint.js';
import type { RunCache } from '../cache/run-cache.js';
import type { SpecPieceHashes } from '../load/check-spec.js';
import { isRecord } from '../model/json-schema.js';
import { countQuotes, requote, stringLiteral } from '../model/naming.js';

export interface DocumentLiteralPieces {
  cache: RunCache;
  hashes: SpecPieceHashes;
}

/**
 * The spec as the string literal src/dto/openapi-document.gen.ts parses: its JSON, escaped.
 *
 * On a large spec that is megabytes to serialize, escape and requote on every run (GitHub's: 7 MB).
 * When the load stage cut the spec into pieces, the literal is put together from pieces instead: each
 * path item's part, and each other top-level member's, already requoted in single quotes (as prettier
 * will print it), remembered under the piece's hash; a regeneration escapes again only what changed.
 * The quotes of every piece are counted, and where prettier would pick double quotes (more single
 * quotes than double ones in the text), the plain JSON-escaped literal is used, which the emit stage
 * requotes as before. Either way the formatted file is the same.
 */
export function documentLiteral(document: unknown, pieces?: DocumentLiteralPieces): string {
  const plain = () => stringLiteral(JSON.stringify(document));
  if (!pieces || !isRecord(document) || !serializesMemberByMember(document)) return plain();
  const keyParts = ['document-literal', codeFingerprint()];
  const parts: string[] = [];
  let singles = 0;
  let doubles = 0;
  /** `json`'s escaped text, requoted for single quotes: computed, or remembered under `key`. */
  const add = (json: () => string, key?: string) => {
    const piece = () => {
      const escaped = stringLiteral(json()).slice(1, -1);
      // stringLiteral writes JSON's escapes only, which requote always handles.
      return `${countQuotes(escaped, "'")},${countQuotes(escaped, '"')},${requote(escaped, "'")!}`;
    };
    const kept = key === undefined ? piece() : pieces.cache.memoSync(keyParts, key, piece);
    const [single, double] = kept.split(',', 2);
    singles += Number(single);
    doubles += Number(double);
    parts.push(kept.slice(single!.length + double!.length + 2));
  };

  const paths = document.paths;
  const itemHashes = isRecord(paths) ? Object.keys(paths).map((path) => pieces.hashes.paths.get(path)) : [];
  const members = Object.entries(document);
  members.forEach(([member, value], index) => {
    add(() => `${index === 0 ? '{' : ','}${JSON.stringify(member)}:`);
    if (member === 'paths' && isRecord(value) && itemHashes.every((hash) => hash !== undefined)) {
      // Separators apart from the remembered pieces: an item's place among the others may change.
      Object.entries(value).forEach(([path, item], i) => {
        add(() => (i === 0 ? '{' : ','));
        add(() => `${JSON.stringify(path)}:${JSON.stringify(item)}`, `path\0${path}\0${itemHashes[i]}`);
      });
      add(() => (Object.keys(value).length === 0 ? '{}' : '}'));
    } else {
      // The top level and the components are covered by the rest's hash; webhooks (items of their own) are not.
      add(() => JSON.stringify(value), member === 'webhooks' ? undefined : `member\0${member}\0${pieces.hashes.rest}`);
    }
  });
  add(() => (members.length === 0 ? '{}' : '}'));
  return singles > doubles ? plain() : `'${parts.join('')}'`;
}

/** Whether JSON.stringify writes every member (and path item): none is undefined, a function or a symbol, which it would leave out. */
function serializesMemberByMember(document: Record<string, unknown>): boolean {
  const writable = (value: unknown) => value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
  return Object.values(document).every(writable) && (!isRecord(document.paths) || Object.values(document.paths).every(writable));
}
