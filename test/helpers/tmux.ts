import { spawnSync } from 'node:child_process';
import { waitFor } from './net.js';

export const PROMPT = 'E2E-READY$ ';
/** capture-pane drops trailing spaces. */
export const PROMPT_SEEN = PROMPT.trimEnd();

export function tmux(...args: string[]): string {
  const r = spawnSync('tmux', args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A shell in a tmux session of the given size, with a recognisable prompt and CI removed from its
 * environment (with CI set, Ink renders only the last frame).
 */
export class Term {
  readonly session = `porthole-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(cols: number, rows: number, env: string[]) {
    tmux('new-session', '-d', '-s', this.session, '-x', String(cols), '-y', String(rows), 'env', '-u', 'CI', ...env, `PS1=${PROMPT}`, 'bash', '--norc', '--noprofile');
  }
  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.session);
  }
  see(what: string, test: (s: string) => boolean, timeoutMs = 10_000): Promise<string> {
    return waitFor(what, () => {
      const s = this.screen();
      return test(s) ? s : undefined;
    }, timeoutMs, 50).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\n--- screen ---\n${this.screen()}`);
    });
  }
  /** Keys by tmux name (Enter, Down, BSpace); several in one call reach the terminal together. */
  key(...k: string[]): void {
    tmux('send-keys', '-t', this.session, ...k);
  }
  type(text: string): void {
    tmux('send-keys', '-t', this.session, '-l', text);
  }
  resize(cols: number, rows: number): void {
    tmux('resize-window', '-t', this.session, '-x', String(cols), '-y', String(rows));
  }
  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.session]);
  }
}

/** The grid row of a target, as the console draws it (` › name …` or `   name …`). */
export const gridLine = (s: string, name: string): string => s.split('\n').find((l) => new RegExp(`^ [› ] ${name} `).test(l)) ?? '';
