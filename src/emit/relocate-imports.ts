import { posix } from 'node:path';

/**
 * Rewrites the relative imports of a module written for the default layout once the guidelines moved
 * files: each specifier is resolved against the file's default path, mapped through `moved` (default
 * path -> project path, `.ts` paths) and made relative to the file's own new place.
 */
export function relocateImports(text: string, defaultPath: string, projectPath: string, moved: ReadonlyMap<string, string>): string {
  return text.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]+)\2/g, (match, lead: string, quote: string, specifier: string) => {
    const target = posix.join(posix.dirname(defaultPath), specifier);
    const extension = posix.extname(target);
    const asSource = extension === '.js' ? `${target.slice(0, -3)}.ts` : target;
    const relocated = moved.get(asSource);
    const newTarget = relocated === undefined ? target : extension === '.js' ? `${relocated.slice(0, -3)}.js` : relocated;
    let next = posix.relative(posix.dirname(projectPath), newTarget);
    if (!next.startsWith('.')) next = `./${next}`;
    return next === specifier ? match : `${lead}${quote}${next}${quote}`;
  });
}

/**
 * Rewrites the project paths that comments and docs mention (`src/services/pets.service.ts`,
 * `src/controllers/`) to where the guidelines put them, so no text points at the default layout.
 */
export function relocatePathMentions(text: string, moved: ReadonlyMap<string, string>, folders: ReadonlyMap<string, string>): string {
  return text.replace(/\b(?:src|test|dist)\/[A-Za-z0-9_./-]*[A-Za-z0-9_/]/g, (mention) => {
    // dist/ mirrors src/ (`dist/repositories/migrate.js` is src/repositories/migrate.ts compiled).
    if (mention.startsWith('dist/')) {
      const source = relocateMention(`src/${mention.slice(5).replace(/\.js$/, '.ts')}`, moved, folders);
      return `dist/${source.slice(4)}`.replace(/\.ts$/, mention.endsWith('.js') ? '.js' : '.ts');
    }
    return relocateMention(mention, moved, folders);
  });
}

function relocateMention(mention: string, moved: ReadonlyMap<string, string>, folders: ReadonlyMap<string, string>): string {
  const file = moved.get(mention);
  if (file !== undefined) return file;
  const within = (folder: string) => mention === folder || mention.startsWith(`${folder}/`);
  // A mention already in the new folder stays (it may sit inside the old one: src/services/domain).
  for (const [from, to] of folders) if (within(from) && !within(to)) return to + mention.slice(from.length);
  return mention;
}
