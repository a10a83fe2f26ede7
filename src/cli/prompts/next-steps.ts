import { relative } from 'node:path';
import { quote } from './session.js';

/**
 * The two commands that run a freshly generated project. With a PostgreSQL server chosen, its URL
 * goes on the command line: the project reads DATABASE_URL from its environment, and scaffold never
 * writes it anywhere (a URL carries a password).
 */
export function nextSteps(outDir: string, databaseUrl?: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, outDir);
  const dir = rel === '' ? '.' : rel.startsWith('..') ? outDir : rel;
  const env = databaseUrl ? `DATABASE_URL=${quote(databaseUrl)} ` : '';
  return `Next:\n  cd ${quote(dir)}\n  npm install && ${env}npm run dev`;
}
