import { readFile } from 'node:fs/promises';
import { resolveInside } from './safe-path.js';

/**
 * The project's files as this run found them, each read at most once. A regeneration looks at every
 * file it plans (and at the pristine copies): read one after another, a thousand small reads spend
 * most of their time waiting, so `prefetch` starts them all and libuv's thread pool overlaps them.
 */
export class FileReader {
  private readonly contents = new Map<string, Promise<string | undefined>>();

  constructor(private readonly outDir: string) {}

  /** The file's text; undefined when it does not exist or cannot be read. Throws for a path outside the project. */
  read(path: string): Promise<string | undefined> {
    let content = this.contents.get(path);
    if (!content) {
      content = readFile(resolveInside(this.outDir, path), 'utf8').catch(() => undefined);
      this.contents.set(path, content);
    }
    return content;
  }

  prefetch(paths: Iterable<string>): void {
    for (const path of paths) {
      try {
        void this.read(path);
      } catch {
        // a path outside the project: reading it later throws where it is asked for
      }
    }
  }
}
