/** Terminal modes the console sets, and the one idempotent way to put them back. */
const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

export interface TerminalGuard {
  enter(): void;
  restore(): void;
}

export function terminalGuard(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): TerminalGuard {
  let entered = false;
  return {
    enter() {
      if (entered) return;
      entered = true;
      stdout.write(ALT_SCREEN_ON);
    },
    restore() {
      if (!entered) return;
      entered = false;
      try {
        if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
      } catch {
        // stdin already closed: nothing to restore.
      }
      stdout.write(`${SHOW_CURSOR}${ALT_SCREEN_OFF}`);
    },
  };
}

/** NO_COLOR (any non-empty value, per no-color.org) or --no-color turns every style off. */
export function colorWanted(flag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag) return false;
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}
