import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { generate } from '../../../src/engine.js';
import { templateDataFields, templateDataReference, TEMPLATE_DATA_TYPES } from '../../../src/plan/template-data-doc.js';
import type { ProjectView } from '../../../src/plan/view-model.js';
import { exampleModels, exampleSpec, REPO_ROOT } from '../../support/fixtures.js';

// The view a real generation hands its templates, captured on its way to the plan.
const captured = vi.hoisted(() => ({ views: [] as unknown[] }));
vi.mock('../../../src/plan/view-model.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/plan/view-model.js')>();
  return {
    ...original,
    buildProjectView: (...args: Parameters<typeof original.buildProjectView>) => {
      const view = original.buildProjectView(...args);
      captured.views.push(view);
      return view;
    },
  };
});

describe('docs/templates.md, the data templates receive', () => {
  const fields = templateDataFields(REPO_ROOT);
  let view: ProjectView;
  beforeAll(async () => {
    await generate({ spec: exampleSpec('ecommerce'), models: exampleModels('ecommerce'), out: join(await mkdtemp(join(tmpdir(), 'scaffold-view-')), 'p'), dryRun: true, name: undefined, force: false });
    view = captured.views.at(-1) as ProjectView;
  }, 60_000);

  it('lists every field of the types as they are declared (regenerate it with `node scripts/docs-templates.mjs`)', async () => {
    const doc = await readFile(join(REPO_ROOT, 'docs', 'templates.md'), 'utf8');
    expect(doc).toContain(templateDataReference(REPO_ROOT));
  });

  it('describes every field of the project, resource and operation views', () => {
    for (const type of ['ProjectView', 'ResourceView', 'OperationView']) {
      expect(fields.get(type)!.filter((f) => f.description === '').map((f) => f.name), type).toEqual([]);
    }
  });

  it('documents exactly the fields of the objects templates really receive', () => {
    const items: Record<(typeof TEMPLATE_DATA_TYPES)[number]['name'], unknown[]> = {
      ProjectView: [view],
      ResourceView: view.resources,
      OperationView: view.resources.flatMap((r) => r.operations),
      EntityView: view.entities,
      ValueObjectView: view.valueObjects,
      RepositoryView: view.persistence?.repositories ?? [],
      ApiTestFile: view.apiTests,
      UnitOfWorkView: view.unitOfWork ? [view.unitOfWork] : [],
    };
    for (const type of TEMPLATE_DATA_TYPES) {
      const objects = items[type.name] as object[];
      expect(objects.length, `the example yields no ${type.name} to compare with`).toBeGreaterThan(0);
      const documented = fields.get(type.name)!;
      const received = new Set(objects.flatMap((o) => Object.keys(o)));
      expect([...received].filter((key) => !documented.some((f) => f.name === key)), `${type.name}: received but not documented`).toEqual([]);
      // A field the example never sets may be absent only if its type allows it.
      const missing = documented.filter((f) => !received.has(f.name) && !/\bundefined\b/.test(f.type)).map((f) => f.name);
      expect(missing, `${type.name}: documented but never received`).toEqual([]);
    }
  });
});
