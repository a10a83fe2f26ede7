#!/usr/bin/env node
// `npm test`: the type-check and every test suite, started together so that the first progress line
// comes in seconds, not after the type-check's minute. Arguments go to vitest (`npm test -- --project unit`).
// Exits non-zero when either fails; the type-check's errors are printed when it ends.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => resolve(root, 'node_modules', '.bin', name);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

console.log('type-check: tsc started beside the tests (its result is printed when it ends)');
const typecheck = new Promise((done) => {
  const child = spawn(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.on('close', (code) => {
    if (code === 0) console.log(`type-check: passed (${seconds()} s)`);
    else console.log(`type-check: FAILED (${seconds()} s)\n${output}`);
    done(code ?? 1);
  });
});
const tests = new Promise((done) => {
  const child = spawn(bin('vitest'), ['run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('close', (code) => done(code ?? 1));
});

const [typecheckCode, testsCode] = await Promise.all([typecheck, tests]);
if (typecheckCode !== 0) console.log('type-check: FAILED (errors above)');
process.exit(typecheckCode !== 0 ? typecheckCode : testsCode);
