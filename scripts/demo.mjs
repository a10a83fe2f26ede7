#!/usr/bin/env node
// The main job on the embedded default: generate examples/ecommerce into .demo/ecommerce,
// install its dependencies, check and build it, then start it (Ctrl-C stops it).
import { spawnSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, '.demo', 'ecommerce');

function step(title, command, args, cwd) {
  console.log(`\n> ${title}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step('generate examples/ecommerce', process.execPath, [resolve(root, 'bin', 'scaffold.js'), 'generate', '--spec', resolve(root, 'examples', 'ecommerce', 'openapi.yaml'), '--models', resolve(root, 'examples', 'ecommerce', 'domain.yaml'), '--out', out], root);
step('install its dependencies', 'npm', ['install', '--no-audit', '--no-fund'], out);
step('type-check and build it', 'npm', ['run', 'build'], out);
step('run its tests', 'npm', ['test'], out);

const port = process.env.PORT ?? '3000';
console.log(`\n> start it on http://localhost:${port} (API under /api/v1, reference at /docs); Ctrl-C stops it`);
const server = spawn(process.execPath, ['dist/server.js'], {
  cwd: out,
  stdio: 'inherit',
  env: { JWT_SECRET: 'demo-secret-change-me-0123456789abcdef', ...process.env, PORT: port },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
