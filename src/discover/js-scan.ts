import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { pickDialer, type Dialer } from './dialers.js';
import type { PortFinding, ScanOptions } from './scan.js';
import { boardOf, OPEN, scanShare, SHUT, type ScanBoard, type ScanShare } from './scan-share.js';

// The scan where the native one (native-scan.ts) is not used: banners, no addon, or asked for.

/** A second thread pays off only for a long --no-banners scan on a machine with a core to spare. */
const THREAD_MIN_PORTS = 2_048;

function wantsSecondThread(n: number, o: ScanOptions): boolean {
  if (o.open !== 'at-once' || n < THREAD_MIN_PORTS || process.env.PORTHOLE_DISCOVER_THREADS === '1') return false;
  return availableParallelism() >= 2;
}

/**
 * The connect scan in JavaScript (see scanPorts in scan.ts): at most `concurrency` handshakes in flight, each given up after
 * `timeoutMs` ("filtered"), so the whole scan ends within about ceil(ports / concurrency) × timeout.
 * No object per port beyond a closure while it is in flight: states live in typed arrays, and one
 * timer watches the oldest handshake (they all have the same timeout, so they expire in start order).
 * A shortage of file descriptors or local ports lowers the concurrency to what the machine managed
 * and tries the port again. A long scan whose open ports are closed at once (--no-banners) is shared
 * with a worker thread: both take ports from one counter, each with half the concurrency, so the
 * kernel's connect work runs on two cores; the main thread starts at once and the worker joins when
 * it is up (a short scan may be over first, and the worker is then let go without waiting for it).
 */
export async function jsScan(address: string, family: 4 | 6, ports: readonly number[], concurrency: number, timeoutMs: number, o: ScanOptions): Promise<PortFinding[]> {
  const n = ports.length;
  const two = wantsSecondThread(n, o);
  const { board, counter } = boardOf(n, two);
  const share: ScanShare = { address, ports, concurrency: two ? Math.max(1, Math.ceil(concurrency / 2)) : concurrency, timeoutMs };
  const helper = two ? startHelper(family, share, board, counter) : undefined;
  const errnos = await scanShare(pickDialer(address, family) as Dialer<unknown>, share, board, o);
  if (helper) for (const [i, code] of await helper()) errnos.set(i, code);
  const out: PortFinding[] = new Array<PortFinding>(n);
  for (let i = 0; i < n; i++) {
    const s = board.state[i];
    const port = ports[i]!;
    if (s === OPEN) out[i] = { port, state: 'open', connectMs: board.connectMs[i]! };
    else if (s === SHUT) out[i] = { port, state: 'closed' };
    else out[i] = { port, state: 'filtered', errno: errnos.get(i) ?? 'ETIMEDOUT' };
  }
  return out;
}

/** Message from the helper thread: the errno of each port it found filtered for another reason than silence. */
export type HelperReply = { errnos: [number, string][] } | { error: string };

/** Job for the helper thread (the board's buffers are shared, not copied). */
export interface HelperJob {
  family: 4 | 6;
  share: ScanShare;
  state: Uint8Array;
  connectMs: Float64Array;
  counter: Int32Array;
}

/** Index 1 of the counter: 0 the helper has not started, 1 it is scanning, 2 the main thread no longer waits for it. */
export const HELPER_GATE = 1;

function startHelper(family: 4 | 6, share: ScanShare, board: ScanBoard, counter: Int32Array): () => Promise<[number, string][]> {
  const job: HelperJob = { family, share, state: board.state, connectMs: board.connectMs, counter };
  const worker = new Worker(new URL('./scan-helper.js', import.meta.url), { workerData: job });
  worker.unref();
  const reply = new Promise<HelperReply>((resolve) => {
    worker.once('message', (m: HelperReply) => resolve(m));
    worker.once('error', (err) => resolve({ error: err.message }));
    worker.once('exit', () => resolve({ errnos: [] }));
  });
  return async () => {
    // The main thread has claimed every port. A helper that has not begun never will: do not wait for it.
    if (Atomics.compareExchange(counter, HELPER_GATE, 0, 2) === 0) {
      void worker.terminate();
      return [];
    }
    const r = await reply;
    if ('error' in r) throw new Error(r.error);
    return r.errnos;
  };
}

