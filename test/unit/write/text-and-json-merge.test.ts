import { describe, expect, it } from 'vitest';
import { mergeJson } from '../../../src/write/json-merge.js';
import { mergeText } from '../../../src/write/text-merge.js';

const text = (...lines: string[]) => lines.map((line) => `${line}\n`).join('');

describe('the line-based three-way merge of text', () => {
  const base = text('# Pets API', '', 'Run it:', 'npm run dev', '', 'License: MIT');

  it('takes changes made on one side only, from both sides', () => {
    const yours = text('# Pets API', '', 'Our team notes.', '', 'Run it:', 'npm run dev', '', 'License: MIT');
    const generated = text('# Pets API', '', 'Run it:', 'npm run dev', '', 'License: Apache-2.0');
    expect(mergeText(base, yours, generated)).toEqual({
      content: text('# Pets API', '', 'Our team notes.', '', 'Run it:', 'npm run dev', '', 'License: Apache-2.0'),
      conflicts: 0,
    });
  });

  it('does not count the same change made on both sides as a conflict', () => {
    const both = text('# Pets API', '', 'Run it:', 'npm start', '', 'License: MIT');
    expect(mergeText(base, both, both)).toEqual({ content: both, conflicts: 0 });
  });

  it('marks lines both sides changed differently with yours, the last generated and the generated version', () => {
    const yours = text('# Pets API', '', 'Run it:', 'npm run dev -- --port 4000', '', 'License: MIT');
    const generated = text('# Pets API', '', 'Run it:', 'npm run start:dev', '', 'License: MIT');
    expect(mergeText(base, yours, generated)).toEqual({
      content: text(
        '# Pets API',
        '',
        'Run it:',
        '<<<<<<< yours',
        'npm run dev -- --port 4000',
        '||||||| last generated',
        'npm run dev',
        '=======',
        'npm run start:dev',
        '>>>>>>> generated',
        '',
        'License: MIT',
      ),
      conflicts: 1,
    });
  });

  it('keeps marker lines whole when a conflicting last line has no newline', () => {
    const merged = mergeText('a\nb', 'a\nmine', 'a\ntheirs');
    expect(merged.conflicts).toBe(1);
    expect(merged.content).toBe(text('a', '<<<<<<< yours', 'mine', '||||||| last generated', 'b', '=======', 'theirs', '>>>>>>> generated'));
  });
});

describe('the structural three-way merge of JSON', () => {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const base = { name: 'pets', scripts: { build: 'tsc', dev: 'tsx watch src/server.ts' }, dependencies: { fastify: '^5.0.0', zod: '^3.0.0' } };

  it('merges key by key: a script you added and a dependency the generator added both arrive, in place', () => {
    const yours = { ...base, scripts: { ...base.scripts, lint: 'eslint .' } };
    const generated = { ...base, dependencies: { 'fastify': '^5.0.0', 'pino': '^9.0.0', 'zod': '^3.0.0' } };
    const merged = mergeJson(json(base), json(yours), json(generated));
    expect(merged?.conflicts).toEqual([]);
    expect(merged?.content).toBe(json({ ...yours, dependencies: generated.dependencies }));
    expect(Object.keys(JSON.parse(merged!.content).dependencies)).toEqual(['fastify', 'pino', 'zod']);
  });

  it('keeps your value of a key both sides changed differently and reports the three versions', () => {
    const yours = { ...base, scripts: { ...base.scripts, build: 'tsc -b' } };
    const generated = { ...base, scripts: { ...base.scripts, build: 'tsc -p tsconfig.build.json' }, type: 'module' };
    const merged = mergeJson(json(base), json(yours), json(generated));
    expect(merged?.conflicts).toEqual([{ pointer: '/scripts/build', yours: 'tsc -b', lastGenerated: 'tsc', generated: 'tsc -p tsconfig.build.json' }]);
    expect(JSON.parse(merged!.content)).toEqual({ ...yours, type: 'module' });
  });

  it('treats arrays as values, takes deletions from either side, and reports a key you deleted that the generator changed', () => {
    const baseDoc = { include: ['src'], exclude: ['dist'], compilerOptions: { strict: true, target: 'ES2022' } };
    const yours = { include: ['src', 'scripts'], compilerOptions: { strict: true } };
    const generated = { include: ['src'], exclude: ['dist'], compilerOptions: { strict: true, target: 'ES2023' } };
    const merged = mergeJson(json(baseDoc), json(yours), json(generated));
    expect(JSON.parse(merged!.content)).toEqual({ include: ['src', 'scripts'], compilerOptions: { strict: true } });
    expect(merged?.conflicts).toEqual([{ pointer: '/compilerOptions/target', yours: undefined, lastGenerated: 'ES2022', generated: 'ES2023' }]);
  });

  it('formats the result with your indentation and a final newline, and says when it is the same as yours', () => {
    const yours = JSON.stringify({ ...base, private: true }, null, 4);
    const merged = mergeJson(json(base), `${yours}\n`, json(base));
    expect(merged?.changed).toBe(false);
    const withChange = mergeJson(json(base), `${yours}\n`, json({ ...base, version: '1.0.0' }));
    expect(withChange?.content).toMatch(/^\{\n {4}"name": "pets",\n/);
    expect(withChange?.content.endsWith('}\n')).toBe(true);
    expect(withChange?.changed).toBe(true);
  });

  it('gives up on a document that is not valid JSON', () => {
    expect(mergeJson(json(base), '{ // mine\n}', json(base))).toBeUndefined();
  });
});

describe('the key-by-key merge of JSON, with a key named __proto__', () => {
  it('keeps the key of yours as a key (not a prototype) beside the generator change', () => {
    const merged = mergeJson('{ "name": "a", "version": "1" }\n', '{ "name": "a", "version": "1", "__proto__": { "polluted": true } }\n', '{ "name": "a", "version": "2" }\n');
    expect(merged?.content).toBe('{\n  "name": "a",\n  "version": "2",\n  "__proto__": {\n    "polluted": true\n  }\n}\n');
  });
});
