import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRunCache } from '../../../src/cache/run-cache.js';
import { formatDiagnostic, ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { createTemplateRenderer } from '../../../src/emit/render-template.js';
import { matchesTemplatePattern } from '../../../src/project/eject-templates.js';

const renderError = (source: string, extensions = { helpers: {}, partials: {} }): string => {
  try {
    createTemplateRenderer({}, extensions).render('mine.ts.hbs', source, { name: 'pet' }, 'SCF065');
  } catch (cause) {
    return (cause as ScaffoldError).diagnostics.map(formatDiagnostic).join('\n');
  }
  throw new Error('rendered');
};

describe('template errors', () => {
  it('name the template, line and cause', () => {
    expect(renderError('a\nb\n{{#if name}}\nc')).toMatch(/^error SCF065: mine\.ts\.hbs:4: template syntax error: Expecting .*got 'EOF'/);
    expect(renderError('a\n  {{shout name}}')).toMatch(/^error SCF065: mine\.ts\.hbs:2:5: "shout" is neither a helper nor a field/);
    expect(renderError('a\nb\n{{> owner}}')).toMatch(/^error SCF065: mine\.ts\.hbs:3: unknown partial "owner"/);
    const thrown = renderError('x\n{{boom name}}', { helpers: { boom: () => { throw new Error('helper blew up'); } }, partials: {} });
    expect(thrown).toMatch(/^error SCF065: mine\.ts\.hbs: template failed: helper blew up/);
  });

  it('render with the project helpers and partials', () => {
    const renderer = createTemplateRenderer({}, { helpers: { shout: (t: unknown) => String(t).toUpperCase() }, partials: { owner: 'by {{name}}' } });
    expect(renderer.render('t.hbs', '{{shout name}} {{> owner}}', { name: 'pet' })).toBe('PET by pet');
  });
});

describe('compiled templates kept in the run cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaffold-templates-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('render as freshly compiled ones do, and are compiled once', async () => {
    const source = '{{#each items}}{{shout this}}{{#unless @last}}, {{/unless}}{{/each}} <{{{raw}}}> {{> owner}}';
    const data = { items: ['a', 'b'], raw: '<&>', name: 'pet' };
    const extensions = { helpers: { shout: (t: unknown) => String(t).toUpperCase() }, partials: { owner: 'by {{name}}' } };
    const expected = createTemplateRenderer({}, extensions).render('t.hbs', source, data);
    expect(expected).toBe('A, B <<&>> by pet');
    for (const run of [1, 2]) {
      const cache = await openRunCache(dir);
      expect(createTemplateRenderer({}, extensions, cache).render('t.hbs', source, data)).toBe(expected);
      expect(cache.stats).toEqual(run === 1 ? { hits: 0, misses: 1 } : { hits: 1, misses: 0 });
      await cache.save();
    }
  });

  it('hand the compile options on to partials: nothing HTML-escaped, a missing field an error', async () => {
    const cache = await openRunCache(dir);
    const renderer = createTemplateRenderer({ header: '// from {{specFile}}' }, { helpers: {}, partials: { mine: '{{missing}}' } }, cache);
    expect(renderer.render('t.hbs', '{{> header}}', { specFile: "a&b'c=.yaml" })).toBe("// from a&b'c=.yaml");
    expect(() => renderer.render('u.hbs', '{{> mine}}', {}, 'SCF065')).toThrow(/"missing" is neither a helper nor a field/);
  });

  it('still name the template and line of a syntax error', async () => {
    const cache = await openRunCache(dir);
    expect(() => createTemplateRenderer({}, undefined, cache).render('mine.ts.hbs', 'a\n{{#if x}}', {}, 'SCF065')).toThrow(/mine\.ts\.hbs:2: template syntax error/);
  });
});

describe('eject patterns', () => {
  const path = 'src/controllers/__resource__.controller.gen.ts.hbs';
  it.each([
    ['controllers', true],
    [path, true],
    ['src/controllers/*.gen.ts.hbs', true],
    ['src/*.hbs', false],
    ['src/**/*.gen.ts.hbs', true],
    ['**/__resource__.*', true],
    ['services', false],
  ])('%s matches: %s', (pattern, expected) => expect(matchesTemplatePattern(path, pattern)).toBe(expected));
});
