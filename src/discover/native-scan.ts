import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';
import type { PortFinding } from './scan.js';

// The connect scan in C (src/native/scan.c): non-blocking connect()s under epoll on threads of
// libuv's pool, results in typed arrays, no JavaScript per port. Used for scans whose open ports are
// closed at once (--no-banners); scan.ts falls back to its own loop when the addon is missing.

interface ScanAddon {
  scan(
    address: string,
    family: 4 | 6,
    ports: Uint16Array,
    concurrency: number,
    timeoutMs: number,
    jobs: number,
    state: Int32Array,
    connectMs: Float64Array,
    done: (error: string | null, concurrencyUsed: number) => void,
  ): void;
}

/** Where `npm install` builds it (src/native/build.mjs), from dist/discover, dist/bin or src/discover alike. */
const ADDON = '../../src/native/build/Release/porthole_scan.node';
/** state[i] as scan.c writes it; a negative value is -errno (given up for another reason than silence). */
const OPEN = 1;
const CLOSED = 2;
const TIMED_OUT = 3;

let addon: ScanAddon | null | undefined;
let why = '';

function load(): ScanAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.PORTHOLE_DISCOVER_SCAN === 'js') why = 'PORTHOLE_DISCOVER_SCAN=js';
  else if (process.platform !== 'linux') why = 'the native scan is Linux-only';
  else {
    try {
      // process.dlopen, not require(): no CommonJS resolution at start (as probe/handshake-clock.ts).
      const m = { exports: {} };
      process.dlopen(m, fileURLToPath(new URL(ADDON, import.meta.url)));
      const a = m.exports as Partial<ScanAddon>;
      if (typeof a.scan === 'function') addon = a as ScanAddon;
      else why = 'the scan addon has no scan()';
    } catch (err) {
      why = `the scan addon did not load: ${(err as Error).message.split('\n')[0]}; rebuild it with \`node src/native/build.mjs\``;
    }
  }
  return addon;
}

/** Which scan this process uses, and why when it is not the native one. */
export function scanEngine(): { engine: 'native' | 'js'; why?: string } {
  return load() ? { engine: 'native' } : { engine: 'js', why };
}

function errnoName(errno: number): string {
  try {
    return getSystemErrorName(-errno);
  } catch {
    return `E${errno}`;
  }
}

/**
 * Scans `ports` of one address in C, `jobs` threads sharing the ports. Undefined when the addon is
 * not there (the caller scans in JS). Rejects when the machine cannot give the scan a socket at all.
 */
export function nativeScan(address: string, family: 4 | 6, ports: readonly number[], concurrency: number, timeoutMs: number, jobs: number): Promise<PortFinding[]> | undefined {
  const a = load();
  if (!a) return undefined;
  const n = ports.length;
  const list = Uint16Array.from(ports);
  const state = new Int32Array(n);
  const connectMs = new Float64Array(n);
  return new Promise<PortFinding[]>((resolve, reject) => {
    a.scan(address, family, list, concurrency, Math.max(1, Math.round(timeoutMs)), jobs, state, connectMs, (error) => {
      if (error !== null) return reject(new Error(error));
      const out = new Array<PortFinding>(n);
      for (let i = 0; i < n; i++) {
        const s = state[i]!;
        const port = ports[i]!;
        if (s === OPEN) out[i] = { port, state: 'open', connectMs: connectMs[i]! };
        else if (s === CLOSED) out[i] = { port, state: 'closed' };
        else out[i] = { port, state: 'filtered', errno: s === TIMED_OUT || s >= 0 ? 'ETIMEDOUT' : errnoName(-s) };
      }
      resolve(out);
    });
  });
}
