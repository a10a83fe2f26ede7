import { styleText } from 'node:util';

/** What the CLI may do with the terminal it runs in. */
export interface Terminal {
  /** Questions can be asked: stdin and stdout are a terminal, and this is not CI. */
  interactive: boolean;
  /** Stdout is a terminal: a spinner may redraw its line. */
  tty: boolean;
  /** Colours are allowed: a terminal, and NO_COLOR is unset. */
  color: boolean;
}

/**
 * The terminal of a run that writes to `out`. Anything but the process's own stdout (tests, pipes)
 * is not a terminal; CI counts as no terminal even when it allocates one, so a job never waits for input.
 */
export function detectTerminal(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Terminal {
  const tty = out === process.stdout && process.stdout.isTTY === true;
  const color = tty && !env.NO_COLOR;
  return { interactive: tty && process.stdin.isTTY === true && !env.CI, tty, color };
}

export type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold';

/** Colours text when the terminal allows it, and only then. */
export function painter(terminal: Terminal): (style: Style, text: string) => string {
  return (style, text) => (terminal.color ? styleText(style, text) : text);
}
