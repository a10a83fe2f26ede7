import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Terminal } from '../../src/cli/prompts/terminal.js';

/** No terminal: nothing is asked, no spinner, no colour (as in CI). */
export const NO_TERMINAL: Terminal = { interactive: false, tty: false, color: false };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, as `scaffold <args>` would, and collects what it prints. */
export async function runCli(args: string[], terminal: Terminal = NO_TERMINAL): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await main(args, out, err, terminal);
  return { code, stdout, stderr };
}
