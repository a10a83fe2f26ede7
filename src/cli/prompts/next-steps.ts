import { relative } from 'node:path';
import { quote } from './session.js';

/**
 * The commands that run a freshly generated project: into it (unless it is where the user is, as on a
 * regeneration), install and start. With a PostgreSQL server chosen, its URL goes on the command line:
 * the project reads DATABASE_URL from its environment, and scaffold never writes it anywhere (a URL
 * carries a password).
 */
export function nextSteps(outDir: string, databaseUrl?: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, outDir);
  const cd = rel === '' ? [] : [`cd ${quote(rel.startsWith('..') ? outDir : rel)}`];
  const env = databaseUrl ? `DATABASE_URL=${quote(databaseUrl)} ` : '';
  return ['Next:', ...cd, `npm install && ${env}npm run dev`].join('\n  ');
}
