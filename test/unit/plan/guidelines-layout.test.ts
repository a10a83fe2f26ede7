import { describe, expect, it } from 'vitest';
import { relocateImports, relocatePathMentions } from '../../../src/emit/relocate-imports.js';
import { DEFAULT_GUIDELINES, type Guidelines } from '../../../src/load/guidelines-types.js';
import { resolveGuidelines } from '../../../src/load/load-guidelines.js';
import { caseFileStem, followsCase, isDefaultLayout, layoutPath } from '../../../src/plan/guidelines-layout.js';

const team: Guidelines = resolveGuidelines({
  fileCase: 'camel',
  layers: {
    controllers: { path: 'src/api/controllers', fileSuffix: '.handler' },
    repositories: { path: 'src/infrastructure/persistence' },
  },
});

describe('where a file goes under guidelines', () => {
  it('maps every path to itself under the default guidelines', () => {
    expect(isDefaultLayout(DEFAULT_GUIDELINES)).toBe(true);
    for (const path of ['src/controllers/user-accounts.controller.gen.ts', 'src/app.ts', 'test/api/orders.api.gen.ts', 'package.json']) {
      expect(layoutPath(path, DEFAULT_GUIDELINES)).toBe(path);
    }
  });

  it('moves a layer to its folder, renames its suffix and cases the name', () => {
    expect(layoutPath('src/controllers/user-accounts.controller.gen.ts', team)).toBe('src/api/controllers/userAccounts.handler.gen.ts');
    expect(layoutPath('src/controllers/user-accounts.controller.ts', team)).toBe('src/api/controllers/userAccounts.handler.ts');
    expect(layoutPath('src/controllers/register-routes.ts', team)).toBe('src/api/controllers/registerRoutes.ts');
    expect(layoutPath('src/repositories/order-item.repository.gen.ts', team)).toBe('src/infrastructure/persistence/orderItem.repository.gen.ts');
    expect(layoutPath('src/services/orders.service.ts', team)).toBe('src/services/orders.service.ts');
    expect(layoutPath('test/support/api-client.ts', team)).toBe('test/support/apiClient.ts');
    expect(layoutPath('docs/ARCHITECTURE.md', team)).toBe('docs/ARCHITECTURE.md');
    expect(isDefaultLayout(team)).toBe(false);
  });

  it('cases a file name four ways, and tells which case a name is in', () => {
    expect(['kebab', 'camel', 'pascal', 'snake'].map((c) => caseFileStem('order-items', c as Guidelines['fileCase']))).toEqual(['order-items', 'orderItems', 'OrderItems', 'order_items']);
    expect(followsCase('orderItems', 'camel')).toBe(true);
    expect(followsCase('order-items', 'camel')).toBe(false);
    expect(followsCase('order_items', 'snake')).toBe(true);
    expect(followsCase('OrderItems', 'kebab')).toBe(false);
  });
});

describe('imports that follow moved files', () => {
  const moved = new Map([
    ['src/controllers/orders.controller.gen.ts', 'src/api/controllers/orders.handler.gen.ts'],
    ['src/controllers/orders.controller.ts', 'src/api/controllers/orders.handler.ts'],
  ]);

  it('rewrites the specifiers of a moved module and of the modules importing it', () => {
    const controller = "import { OrdersControllerBase } from './orders.controller.gen.js';\nimport { NotFoundError } from '../errors/index.js';\n";
    expect(relocateImports(controller, 'src/controllers/orders.controller.ts', 'src/api/controllers/orders.handler.ts', moved)).toBe(
      "import { OrdersControllerBase } from './orders.handler.gen.js';\nimport { NotFoundError } from '../../errors/index.js';\n",
    );
    const app = "import { OrdersController } from './controllers/orders.controller.js';\ntype T = import('./controllers/orders.controller.js').X;\nimport { z } from 'zod';\n";
    expect(relocateImports(app, 'src/app.ts', 'src/app.ts', moved)).toBe(
      "import { OrdersController } from './api/controllers/orders.handler.js';\ntype T = import('./api/controllers/orders.handler.js').X;\nimport { z } from 'zod';\n",
    );
  });

  it('rewrites the paths that comments and docs mention', () => {
    const folders = new Map([['src/controllers', 'src/api/controllers']]);
    expect(relocatePathMentions('Edit src/controllers/orders.controller.ts; routes live in src/controllers/routes.gen.ts.', moved, folders)).toBe(
      'Edit src/api/controllers/orders.handler.ts; routes live in src/api/controllers/routes.gen.ts.',
    );
    expect(relocatePathMentions('run node dist/controllers/orders.controller.js, not dist/server.js', moved, folders)).toBe('run node dist/api/controllers/orders.handler.js, not dist/server.js');
  });
});
