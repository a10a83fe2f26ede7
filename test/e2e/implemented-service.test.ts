import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExample } from '../support/generated-project.js';
import { runCommand, startServer, type RunningServer } from '../support/run.js';

/**
 * After the user implements an operation in the user-owned service, the project still type-checks,
 * its generated contract tests still pass, and responses carry exactly the declared shape: the
 * envelope around the data, no writeOnly password, no undeclared field.
 */
let project: string;
const JWT_SECRET = 'implemented-secret-0123456789abcdef012';
const USER_ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

const USERS_SERVICE = `import { envelope, type RequestContext } from '../dto/operation-types.js';
import type * as UsersDto from '../dto/users.dto.gen.js';
import { NotFoundError } from '../errors/index.js';
import { UsersServiceBase } from './users.service.gen.js';

export class UsersService extends UsersServiceBase {
  override async listUsers(_input: UsersDto.ListUsersInput, _context: RequestContext): Promise<UsersDto.ListUsersResult> {
    return envelope({
      data: [],
      meta: { page: 1, pageSize: 20, total: 0, totalPages: 0 },
      links: { self: '/api/v1/users?page=1', first: '/api/v1/users?page=1', last: '/api/v1/users?page=1', next: null, prev: null },
    });
  }

  override async getUser(input: UsersDto.GetUserInput, context: RequestContext): Promise<UsersDto.GetUserResult> {
    if (input.params.userId !== '${USER_ID}') throw new NotFoundError(\`No user \${input.params.userId}\`);
    context.setHeader('etag', '"v1"');
    const user = {
      id: input.params.userId,
      email: 'grace@example.com',
      displayName: 'Grace Hopper',
      status: 'active' as const,
      roles: ['admin'],
      emailVerified: true,
      lastLoginAt: null,
      createdAt: '2024-01-15T09:30:00Z',
      updatedAt: '2024-01-15T09:30:00Z',
      links: { self: \`/api/v1/users/\${input.params.userId}\` },
    };
    // A careless implementation returns its whole record: what the spec does not declare must not leak.
    return Object.assign(user, { password: 'hunter2-hunter2', internalNote: 'do not show' });
  }
}
`;

let server: RunningServer | undefined;

beforeAll(async () => {
  project = await generateExample('user-management', 'e2e-implemented');
  await writeFile(join(project, 'src', 'services', 'users.service.ts'), USERS_SERVICE);
});

afterAll(async () => {
  await server?.stop();
});

describe('a project whose user implemented an operation', () => {
  it('still type-checks, builds and passes its generated contract tests', async () => {
    const typecheck = await runCommand('npx', ['tsc', '--noEmit'], { cwd: project });
    expect(typecheck.code, typecheck.output).toBe(0);
    const tests = await runCommand('npx', ['vitest', 'run'], { cwd: project, env: { CI: 'true' } });
    expect(tests.code, tests.output).toBe(0);
    const build = await runCommand('npm', ['run', 'build'], { cwd: project });
    expect(build.code, build.output).toBe(0);
  });

  it('answers with the declared shape only: envelope, no writeOnly or undeclared fields', async () => {
    server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env: { LOG_LEVEL: 'warn', JWT_SECRET }, readyPath: '/health/live' });
    const token = await new SignJWT({ scope: 'users:read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
    const response = await fetch(`${server.baseUrl}/api/v1/users/${USER_ID}`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-42' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"v1"');
    const body = (await response.json()) as { success: boolean; data: Record<string, unknown>; meta: Record<string, unknown> };
    expect(body.success).toBe(true);
    expect(body.meta).toEqual({ requestId: 'req-42' });
    expect(body.data.email).toBe('grace@example.com');
    expect(body.data).not.toHaveProperty('password');
    expect(body.data).not.toHaveProperty('internalNote');

    const list = await fetch(`${server.baseUrl}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ success: true, data: [], meta: { total: 0, requestId: expect.any(String) }, links: { next: null } });

    const missing = await fetch(`${server.baseUrl}/api/v1/users/00000000-0000-4000-8000-000000000000`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });

    const wrongScope = await new SignJWT({ scope: 'roles:read' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
    const forbidden = await fetch(`${server.baseUrl}/api/v1/users/${USER_ID}`, { headers: { authorization: `Bearer ${wrongScope}` } });
    expect(forbidden.status).toBe(403);
    const anonymous = await fetch(`${server.baseUrl}/api/v1/users/${USER_ID}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
  });
});
