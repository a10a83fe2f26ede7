import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recoverInterruptedWrite } from '../../src/write/write-project.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { runCommand } from '../support/run.js';

/**
 * A regeneration killed with SIGKILL at a random moment (a fixed seed, so a failure can be replayed)
 * never leaves a half-written project: once the interrupted write is recovered (which the next run
 * does first), the project is exactly as it was before, or exactly as the completed run makes it.
 */
const WORK = resolve(REPO_ROOT, 'test', '.cache', 'e2e-killed');
const TRIALS = Number(process.env.KILL_TRIALS ?? 10);
const SEED = Number(process.env.KILL_SEED ?? 20261126);
const BIN = resolve(REPO_ROOT, 'bin', 'scaffold.js');

/** The e-commerce example with one more operation and one more field: a change that touches many files. */
async function writeDesign(dir: string, version: 1 | 2): Promise<void> {
  await mkdir(dir, { recursive: true });
  let spec = await readFile(join(REPO_ROOT, 'examples', 'ecommerce', 'openapi.yaml'), 'utf8');
  let domain = await readFile(join(REPO_ROOT, 'examples', 'ecommerce', 'domain.yaml'), 'utf8');
  if (version === 2) {
    const { ecommerceV2 } = await import('../support/ecommerce-v2.js');
    ({ spec, domain } = ecommerceV2(spec, domain));
  }
  await writeFile(join(dir, 'openapi.yaml'), spec);
  await writeFile(join(dir, 'domain.yaml'), domain);
}

/**
 * path -> sha256 of every file of a project; left aside: the staging folder of an interrupted run, and
 * the emit cache, which only speeds runs up (a stale or missing one changes no output).
 */
async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      const name = relative(dir, path);
      if (name === '.scaffold/staging' || name === '.scaffold/cache' || name === 'node_modules') continue;
      if (entry.isDirectory()) await walk(path);
      else files.set(name, createHash('sha256').update(await readFile(path)).digest('hex'));
    }
  };
  await walk(dir);
  return files;
}

function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([path, hash]) => b.get(path) === hash);
}

/** A small deterministic PRNG (mulberry32): the same seed kills at the same moments. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `scaffold generate` in the project and kills it `delayMs` after it started or, with
 * `whileWriting`, that long after its write stage began staging files (or lets it finish first).
 */
function regenerateAndKill(project: string, delayMs: number, whileWriting = false): Promise<'killed' | 'finished'> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [BIN, 'generate'], { cwd: project, stdio: 'ignore' });
    const timers: NodeJS.Timeout[] = [];
    const kill = () => timers.push(setTimeout(() => child.kill('SIGKILL'), delayMs));
    if (!whileWriting) kill();
    else {
      const staging = join(project, '.scaffold', 'staging');
      const poll = setInterval(() => {
        if (!existsSync(staging)) return;
        clearInterval(poll);
        kill();
      }, 1);
      timers.push(poll);
    }
    child.once('error', failed);
    child.once('exit', (code, signal) => {
      timers.forEach((timer) => clearTimeout(timer));
      if (signal === 'SIGKILL') done('killed');
      else if (code === 0) done('finished');
      else failed(new Error(`scaffold generate exited with ${code}`));
    });
  });
}

let v1Project: string;
let v1Tree: Map<string, string>;
let v2Tree: Map<string, string>;
let fullRunMs: number;

beforeAll(async () => {
  await rm(WORK, { recursive: true, force: true });
  v1Project = join(WORK, 'v1', 'shop');
  await writeDesign(join(WORK, 'v1', 'design'), 1);
  const generated = await runCommand(process.execPath, [BIN, 'generate', '--spec', join(WORK, 'v1', 'design', 'openapi.yaml'), '--models', join(WORK, 'v1', 'design', 'domain.yaml'), '--out', v1Project], { cwd: REPO_ROOT });
  expect(generated.code, generated.output).toBe(0);
  v1Tree = await tree(v1Project);

  // The reference: the same regeneration, not interrupted.
  const reference = join(WORK, 'reference');
  await cp(join(WORK, 'v1'), reference, { recursive: true });
  await writeDesign(join(reference, 'design'), 2);
  const started = Date.now();
  expect(await regenerateAndKill(join(reference, 'shop'), 600_000)).toBe('finished');
  fullRunMs = Date.now() - started;
  v2Tree = await tree(join(reference, 'shop'));
  expect(sameTree(v1Tree, v2Tree), 'v2 must change the project').toBe(false);
}, 300_000);

describe('a regeneration killed at a random moment', () => {
  it(`leaves the project as it was or fully updated, never half-written (${TRIALS} kills, seed ${SEED})`, async () => {
    const next = random(SEED);
    const outcomes = { before: 0, after: 0, finished: 0 };
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const dir = join(WORK, `trial-${trial}`);
      await cp(join(WORK, 'v1'), dir, { recursive: true });
      await writeDesign(join(dir, 'design'), 2);
      const project = join(dir, 'shop');
      // Every other kill lands anywhere in the run; the others inside its write stage, the critical part.
      const whileWriting = trial % 2 === 1;
      const delay = Math.round(next() * (whileWriting ? 60 : fullRunMs));
      const result = await regenerateAndKill(project, delay, whileWriting);
      await recoverInterruptedWrite(project);
      const after = await tree(project);
      const state = sameTree(after, v1Tree) ? 'before' : sameTree(after, v2Tree) ? 'after' : 'half-written';
      expect(state, `trial ${trial}: killed ${delay} ms after ${whileWriting ? 'its write began' : 'it started'} (a full run: ${fullRunMs} ms)`).not.toBe('half-written');
      outcomes[result === 'finished' ? 'finished' : state === 'before' ? 'before' : 'after'] += 1;
      // And the next run completes the change.
      if (state === 'before') {
        expect(await regenerateAndKill(project, 600_000)).toBe('finished');
        expect(sameTree(await tree(project), v2Tree), `trial ${trial}: the run after the kill`).toBe(true);
      }
      await rm(dir, { recursive: true, force: true });
    }
    console.log(`killed ${TRIALS} regenerations (a full one takes ${fullRunMs} ms): ${outcomes.before} left the project as it was, ${outcomes.after} fully updated, ${outcomes.finished} finished first`);
  }, 600_000);
});
