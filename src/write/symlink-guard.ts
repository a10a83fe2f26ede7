import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { error, ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';

/** A symbolic link inside the project that leads out of it, and where to. */
interface Escape {
  link: string;
  target: string;
}

/**
 * Paths inside the output directory can still lead out of it: a directory of the project replaced by a
 * symbolic link (`src/services -> /elsewhere`), or a file that is one. Every path the write stage writes,
 * deletes or backs up to is followed component by component from the project's real root, and one that
 * passes through a link leading outside is refused before anything is written. Links that stay inside
 * the project are followed as usual.
 */
export class ProjectRoot {
  private readonly links = new Map<string, Promise<Escape | undefined | 'missing'>>();
  private realRoot: Promise<string | undefined> | undefined;

  constructor(private readonly outDir: string) {}

  /** Throws SCF021, one diagnostic per link, when any of the paths (relative to the project) leads outside it. */
  async assertInside(paths: Iterable<string>): Promise<void> {
    const byLink = new Map<string, { escape: Escape; paths: string[] }>();
    // All at once: the checks of shared folders are shared, and the lstat calls overlap in libuv's pool.
    const unique = [...new Set(paths)];
    const escapes = await Promise.all(unique.map((path) => this.escape(path)));
    for (const [index, path] of unique.entries()) {
      const escape = escapes[index];
      if (!escape) continue;
      const group = byLink.get(escape.link) ?? { escape, paths: [] };
      group.paths.push(path);
      byLink.set(escape.link, group);
    }
    if (byLink.size === 0) return;
    throw new ScaffoldError([...byLink.values()].map(({ escape, paths: through }) => escapeDiagnostic(this.outDir, escape, through)));
  }

  /** The first link on the way to `path` that leads outside the project; undefined when none does. */
  async escape(path: string): Promise<Escape | undefined> {
    const parts = path.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
    for (let i = 1; i <= parts.length; i++) {
      const found = await this.checkComponent(parts.slice(0, i).join('/'));
      if (found === 'missing') return undefined; // nothing below exists: the write creates real directories
      if (found) return found;
    }
    return undefined;
  }

  private checkComponent(prefix: string): Promise<Escape | undefined | 'missing'> {
    let checked = this.links.get(prefix);
    if (!checked) {
      checked = this.inspect(prefix);
      this.links.set(prefix, checked);
    }
    return checked;
  }

  private async inspect(prefix: string): Promise<Escape | undefined | 'missing'> {
    const absolute = resolve(this.outDir, prefix);
    const stats = await lstat(absolute).catch(() => undefined);
    if (!stats) return 'missing';
    if (!stats.isSymbolicLink()) return undefined;
    const root = await (this.realRoot ??= realpath(this.outDir).catch(() => undefined));
    // A dangling link is judged by where it points: writing through it would create its target.
    const target = await realpath(absolute).catch(async () => resolve(dirname(absolute), await readlink(absolute)));
    return root !== undefined && isInside(root, target) ? undefined : { link: prefix, target };
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function escapeDiagnostic(outDir: string, escape: Escape, paths: readonly string[]): Diagnostic {
  const [first] = paths;
  const through = paths.length === 1 ? `${first} would be written through it` : `${paths.length} files would be written through it (${first}, ...)`;
  return error(
    'SCF021',
    `refusing to write outside the project: ${escape.link} is a symbolic link to ${escape.target}, outside ${outDir}; ${through}`,
    { file: resolve(outDir, escape.link) },
    'nothing was written; replace the link with a real directory (move its files into the project), then run again',
  );
}
