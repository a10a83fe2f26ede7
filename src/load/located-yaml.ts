import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { fail, type SourceLocation } from '../diagnostics/diagnostic.js';
import { checkDocumentShape, checkDocumentSize, checkFlowNesting, tooDeep } from './document-limits.js';
import { mayHoldAliases, yamlLocation, yamlValue } from './read-document.js';

/**
 * A YAML (or JSON) file parsed so that any value in it can be pointed at by its path:
 * `locate(['entities', 'Order', 'fields', 'status'])` gives file, line and column.
 */
export interface LocatedDocument {
  value: unknown;
  locate(path: readonly (string | number)[]): SourceLocation;
}

export function locatedDocument(file: string, document: Document, lineCounter: LineCounter, text: string): LocatedDocument {
  const value = yamlValue(file, document);
  checkDocumentShape(file, value, mayHoldAliases(text), (at) => yamlLocation(document, lineCounter, at));
  return {
    value,
    locate(path) {
      const pointer = `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
      // The deepest node that exists on the path: a missing key is reported where it should be.
      for (let depth = path.length; depth >= 0; depth -= 1) {
        const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
        if (isNode(node) && node.range) {
          const { line, col } = lineCounter.linePos(node.range[0]);
          return { file, line, column: col, pointer };
        }
      }
      return { file, pointer };
    },
  };
}

export function parseLocatedYaml(text: string): { document: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  return { document: parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false }), lineCounter };
}

/** Parses a YAML (or JSON) file for located diagnostics; a syntax error stops the run where it is (SCF002). */
export function readLocatedYaml(file: string, text: string): LocatedDocument {
  checkDocumentSize(file, Buffer.byteLength(text));
  checkFlowNesting(file, text);
  const { document, lineCounter } = parseLocatedYaml(text);
  const first = document.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    if (/Maximum call stack size exceeded/.test(first.message)) tooDeep({ file, line, column: col });
    fail('SCF002', `syntax error: ${first.message.split('\n')[0]}`, { file, line, column: col });
  }
  return locatedDocument(file, document, lineCounter, text);
}
