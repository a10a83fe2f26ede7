import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** tmux, for tests that drive the real binary at a real (pseudo-)terminal; undefined where it is not installed. */
export const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((path) => existsSync(path));

export interface Terminal {
  /** Runs a tmux command against this terminal's own server. */
  tmux(...args: string[]): string;
  /** What the pane `cli` shows now (with its escape sequences when `raw`). */
  screen(raw?: boolean): string;
  /** Polls the pane until it shows `text`: prompts appear after async checks, never at a fixed time. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Stops the tmux server and every session on it. */
  kill(): void;
}

/** A private tmux server (its own socket), which keeps a test away from any session of the user's. */
export function privateTerminal(name: string): Terminal {
  const socket = `${name}-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync(TMUX!, ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (raw = false) => tmux('capture-pane', '-p', ...(raw ? ['-e'] : []), '-t', 'cli');
  return {
    tmux,
    screen,
    async waitFor(text, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = screen();
        if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; the terminal shows:\n${shown}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // Already gone.
      }
    },
  };
}

/**
 * `npm run dev` as typed at the terminal, in its own process group (npm, tsx watch and the server) so
 * it stops as a whole; ready once `/health/ready` answers 200 on `port`. The caller's `env` says where
 * it listens (PORT) unless the project's `.env` does.
 */
export async function startDevServer(project: string, port: number, env: NodeJS.ProcessEnv): Promise<{ baseUrl: string; stop(): void }> {
  const child = spawn('npm', ['run', 'dev'], { cwd: project, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  let logs = '';
  child.stdout.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited with ${child.exitCode}:\n${logs}`);
    if (await fetch(`${baseUrl}/health/ready`).then((r) => r.status === 200, () => false)) return { baseUrl, stop };
    if (Date.now() > deadline) {
      stop();
      throw new Error(`npm run dev did not answer on port ${port} in 90 s:\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
