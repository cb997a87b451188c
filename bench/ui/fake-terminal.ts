import { PassThrough, Writable } from 'node:stream';
import type { ConsoleCommands } from '../../src/ui/commands.js';

/** Commands that do nothing: the benches render, they do not press keys. */
export const noopCommands: ConsoleCommands = {
  submit: () => ({ ok: false, problems: [] }),
  remove: () => {},
  togglePause: () => {},
  toggleAll: () => 'paused',
  recheck: () => {},
  quit: () => {},
};

/** A TTY-looking stdout that discards what Ink writes, and a stdin that never types. */
export function fakeTty(columns: number, rows: number): { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream } {
  const out = new Writable({ write: (_c, _e, cb) => cb() }) as unknown as NodeJS.WriteStream;
  Object.assign(out, { columns, rows, isTTY: true });
  const inp = new PassThrough() as unknown as NodeJS.ReadStream;
  Object.assign(inp, { isTTY: true, isRaw: false, setRawMode: () => {}, ref: () => {}, unref: () => {} });
  return { stdout: out, stdin: inp };
}
