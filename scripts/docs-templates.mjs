// Regenerates the data reference of docs/templates.md from the view-model types (run `npm run build` first).
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { templateDataReference, withReference } from '../dist/plan/template-data-doc.js';

const root = resolve(import.meta.dirname, '..');
const file = join(root, 'docs', 'templates.md');
await writeFile(file, withReference(await readFile(file, 'utf8'), templateDataReference(root)));
console.log(`updated ${file}`);
