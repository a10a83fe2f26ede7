import { extname } from 'node:path';
import type { BaseResolver, Document, Source } from '@redocly/openapi-core';
import { error, ScaffoldError, type Diagnostic, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { DOCUMENT_LIMITS, formatBytes } from './document-limits.js';
import { placeInRoot } from './design-root.js';
import { fetchDocument, REMOTE_TIMEOUT_MS } from './fetch-document.js';
import { parseText } from './read-document.js';
import { readRegularFile } from './read-regular-file.js';
import { escapeParsedDocuments } from './redocly-keys.js';

/** What a design's `$ref`s may reach. */
export interface ReferencePolicy {
  /** The folder every referenced file must really be in (src/load/design-root.ts). */
  root: string;
  /** Whether `http://` and `https://` references are fetched (`--allow-remote-refs`); other schemes never are. */
  allowRemote: boolean;
}

/** A refused or failed reference, as Redocly reports it: the message it was thrown with, and what to say instead. */
interface Failure {
  diagnostic: Diagnostic;
  /** Whether the diagnostic has its own location (a problem inside the referenced file) rather than the `$ref`'s. */
  located: boolean;
}

/**
 * The only way the load stage reads a file or URL that a spec references: Redocly's resolver, with
 * every read confined to the policy. A refused reference is thrown to Redocly, which reports it at
 * the `$ref` (file, pointer, line); `diagnosticOf` then turns that report into our diagnostic.
 * Referenced documents are parsed by our parser, so the same size, depth and alias limits apply.
 */
export class DesignReferences {
  private readonly failures = new Map<string, Failure>();
  private readonly reported = new Set<string>();
  private resolver: BaseResolver | undefined;

  constructor(readonly policy: ReferencePolicy) {}

  /** The resolver to give Redocly's lint and bundle: one per spec, so each file is read once. */
  async redoclyResolver(): Promise<BaseResolver> {
    if (this.resolver) return this.resolver;
    const { BaseResolver, Source } = await import('@redocly/openapi-core');
    const references = this;
    class ConfinedResolver extends BaseResolver {
      override resolveExternalRef(base: string | null, ref: string): string {
        // Any scheme but http(s) stays as written, to be refused by loadExternalRef (Redocly would take `file:/x` for a relative path).
        return hasScheme(ref) ? ref : super.resolveExternalRef(base, ref);
      }

      override async loadExternalRef(absoluteRef: string): Promise<Source> {
        const { text, mimeType } = await references.read(absoluteRef);
        return new Source(absoluteRef, text.replace(/\r\n/g, '\n'), mimeType);
      }

      override parseDocument(source: Source, isRoot = false): Document {
        const name = hasScheme(source.absoluteRef) ? new URL(source.absoluteRef).pathname : source.absoluteRef;
        // As Redocly does: other files (a Markdown description) are taken as text.
        if (!isRoot && !['.json', '.yml', '.yaml'].includes(extname(name).toLowerCase()) && !/(json|yaml|openapi)/.test(source.mimeType ?? '')) return { source, parsed: source.body };
        try {
          return { source, parsed: parseText(source.absoluteRef, source.body) };
        } catch (cause) {
          if (!(cause instanceof ScaffoldError)) throw cause;
          const [first] = cause.diagnostics;
          throw references.refuse({ diagnostic: first!, located: true });
        }
      }
    }
    // Referenced files get the same escaping of inherited names as the spec (redocly-keys.ts).
    this.resolver = escapeParsedDocuments(new ConfinedResolver());
    return this.resolver;
  }

  /**
   * The diagnostic for Redocly's report of an unresolved `$ref` that this refused, located at the
   * `$ref`; undefined for any other problem.
   */
  diagnosticOf(message: string, at: Diagnostic['location']): Diagnostic | undefined {
    const key = message.replace(/^Can't resolve \$ref: /, '');
    const failure = this.failures.get(key);
    if (!failure) return undefined;
    this.reported.add(key);
    if (!failure.located) return { ...failure.diagnostic, ...(at && { location: at }) };
    const from = at?.file === undefined ? undefined : `${at.file}${at.line === undefined ? '' : `:${at.line}`}`;
    return { ...failure.diagnostic, ...(from && { hint: `referenced from ${from}${failure.diagnostic.hint ? `; ${failure.diagnostic.hint}` : ''}` }) };
  }

  /**
   * Refusals no report of Redocly's carried, as warnings located at the spec: only reads that are not
   * `$ref`s go unreported (an example's `externalValue`, which Redocly reads to check it and the bundle
   * leaves as written), so refusing them withholds nothing the generation uses. Each is given once.
   */
  unreported(spec: string): Diagnostic[] {
    const left = [...this.failures].filter(([key]) => !this.reported.has(key));
    for (const [key] of left) this.reported.add(key);
    return left.map(([, { diagnostic }]) => ({ ...diagnostic, severity: 'warning', message: `${diagnostic.message} (not read)`, location: diagnostic.location ?? { file: spec } }));
  }

  private async read(absoluteRef: string): Promise<{ text: string; mimeType?: string }> {
    if (hasScheme(absoluteRef)) return this.fetch(absoluteRef);
    const place = await placeInRoot(this.policy.root, absoluteRef);
    if (place === 'outside') {
      throw this.refusal('SCF007', `${absoluteRef} is not a file inside the design root ${this.policy.root}: references may only name files in that folder`, 'move the file into the design folder, or pass --design with the folder that holds every file of the design');
    }
    if (place === 'missing') throw new Error(`no such file: ${absoluteRef}`);
    const read = await readRegularFile(place);
    if (read.ok) return { text: read.text };
    if (read.reason === 'missing') throw new Error(`no such file: ${absoluteRef}`);
    if (read.reason === 'not-a-file') throw this.refusal('SCF009', `${absoluteRef} is not a regular file (${read.detail ?? 'something else'}): a $ref may only name a file`);
    throw this.refusal('SCF009', `${absoluteRef} is larger than the limit of ${formatBytes(DOCUMENT_LIMITS.maxBytes)} for one document`, 'split it into files that reference each other');
  }

  private async fetch(url: string): Promise<{ text: string; mimeType?: string }> {
    const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
    if (scheme !== 'http:' && scheme !== 'https:') {
      throw this.refusal('SCF008', `${url}: a $ref may name a file of the design or, with --allow-remote-refs, an http(s) URL; ${scheme} references are never read`);
    }
    if (!this.policy.allowRemote) {
      throw this.refusal('SCF008', `${url} is a remote reference, and remote references are off`, 'copy the document into the design folder and reference it by its path, or pass --allow-remote-refs to fetch http(s) references (each within 10 s and 16 MiB)');
    }
    const fetched = await fetchDocument(url, { maxBytes: DOCUMENT_LIMITS.maxBytes, timeoutMs: REMOTE_TIMEOUT_MS });
    if (!fetched.ok) throw this.refusal('SCF008', `${url}: ${fetched.reason}`);
    return fetched;
  }

  private refusal(code: DiagnosticCode, message: string, hint?: string): Error {
    return this.refuse({ diagnostic: error(code, message, undefined, hint), located: false });
  }

  /** The error thrown to Redocly: its message is the key its report is recognized by. */
  private refuse(failure: Failure): Error {
    const { diagnostic } = failure;
    const key = failure.located ? `${diagnostic.location?.file ?? ''}: ${diagnostic.message}` : diagnostic.message;
    this.failures.set(key, failure);
    return new Error(key);
  }
}

/** `http://...`, `file:...`, `urn:...`: a URL, not a path (a one-letter scheme would be a Windows drive). */
export function hasScheme(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(ref);
}
