import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../../../src/config/target.js';

export function tempDir(prefix = 'porthole-history-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function loopbackTarget(id: string, port: number, overrides: Partial<Target> = {}): Target {
  return {
    id,
    name: id,
    host: '127.0.0.1',
    port,
    intervalMs: 200,
    timeoutMs: 1000,
    retries: 1,
    retryDelayMs: 100,
    slowAfterMs: 1000,
    tags: [],
    internal: false,
    paused: false,
    family: 4,
    ...overrides,
  };
}

/** A writable that keeps what is written, for running commands in-process. */
export class Capture {
  text = '';
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
  once(): this {
    return this;
  }
}
