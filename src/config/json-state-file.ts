// A small JSON object kept in one file, written atomically (a temporary file beside it, fsynced, then
// renamed over it), in the format `conf` used for it before (tab-indented JSON). Our own because conf
// loads ajv, ajv-formats, semver and atomically — ≈9 MB of heap and 0.3–0.4 s of start-up in every
// console and agent — for the one read and one write this needs (measured for the idle console, issue 12).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The object in `path`; {} when the file does not exist. A file that is not a JSON object throws (it is never overwritten silently). */
export function readJsonState(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError(`${path}: not a JSON object`);
  return { ...(value as Record<string, unknown>) };
}

/** Replaces `path` with `value`, atomically: a reader sees the old file or the new one, never a part. */
export function writeJsonState(path: string, value: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o666);
    try {
      writeSync(fd, JSON.stringify(value, undefined, '\t'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
