import type { Stage } from '../../engine.js';
import { painter, type Terminal } from './terminal.js';

export interface StageProgress {
  /** Runs the pipeline, showing its stages; the spinner stops however the run ends. */
  track<T>(run: (onStage: (stage: Stage) => void) => Promise<T>): Promise<T>;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress through the pipeline's stages: on a terminal a task list whose current line spins and
 * turns into a tick with its duration; elsewhere (pipes, CI, logs) one plain line per stage.
 */
export function stageProgress(out: NodeJS.WritableStream, terminal: Terminal): StageProgress {
  if (!terminal.tty) return { track: (run) => run((stage) => void out.write(`  ${stage.padEnd(6)} ...\n`)) };
  const paint = painter(terminal);
  let current: { stage: Stage; started: number } | undefined;
  let frame = 0;
  const draw = (mark: string, suffix = '') => current && out.write(`\r\x1b[2K  ${mark} ${current.stage}${suffix}`);
  const finish = (ok: boolean) => {
    if (!current) return;
    draw(ok ? paint('green', '✔') : paint('red', '✖'), paint('dim', ` ${Date.now() - current.started} ms`));
    out.write('\n');
    current = undefined;
  };
  const onStage = (stage: Stage) => {
    finish(true);
    current = { stage, started: Date.now() };
    draw(paint('yellow', FRAMES[frame]!));
  };
  return {
    async track(run) {
      const timer = setInterval(() => draw(paint('yellow', FRAMES[(frame = (frame + 1) % FRAMES.length)]!)), 80);
      let ok = false;
      try {
        const result = await run(onStage);
        ok = true;
        return result;
      } finally {
        clearInterval(timer);
        finish(ok);
      }
    },
  };
}
