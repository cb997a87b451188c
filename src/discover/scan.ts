import type { Socket } from 'node:net';
import { availableParallelism, constants as osConstants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import { Worker } from 'node:worker_threads';
import { pickDialer, type Dialer } from './dialers.js';

/** As `nmap -sT` says it: open (handshake done), closed (RST), filtered (no answer or ICMP unreachable). */
export type PortState = 'open' | 'closed' | 'filtered';

export interface PortFinding {
  port: number;
  state: PortState;
  connectMs?: number;
  errno?: string;
}

export interface ScanOptions {
  /**
   * What becomes of an open port's connection: by default it listens for a server that speaks
   * first and answers a MySQL greeting with a login before its FIN (see probe/mysql-farewell.ts);
   * 'at-once' closes it right after the handshake, as nmap -sT does; a function takes it over.
   */
  open?: 'polite' | 'at-once' | ((finding: PortFinding, socket: Socket) => void);
}

/** Errors that say "not now" about this machine, not anything about the port: the port is tried again. */
const LOCAL_SHORTAGE = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL', 'ENOBUFS', 'ENOMEM', 'EAGAIN']);
const CLOSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
const OPEN = 1;
const SHUT = 2;
const FILTERED = 3;

/** libuv reports -errno on Unix: the common answer, refused, without a lookup per port. */
const REFUSED_STATUS = -osConstants.errno.ECONNREFUSED;

function errnoName(status: number): string {
  if (status === REFUSED_STATUS) return 'ECONNREFUSED';
  try {
    return getSystemErrorName(status);
  } catch {
    return `E${-status}`;
  }
}

async function politeClose(socket: Socket, connectMs: number): Promise<void> {
  const { listenThenClose, listenWindowMs } = await import('../probe/mysql-farewell.js');
  listenThenClose(socket, listenWindowMs(connectMs));
}

/** Where every scanning thread writes its ports' states (SharedArrayBuffer-backed when two threads scan). */
export interface ScanBoard {
  state: Uint8Array;
  connectMs: Float64Array;
  /** The next port index to scan, or -1 when none is left. */
  claim: () => number;
}

/** The part of a scan one thread does: what it claims from the board, with its own timer and limits. */
export interface ScanShare {
  address: string;
  ports: readonly number[];
  concurrency: number;
  timeoutMs: number;
}

export function boardOf(n: number, shared: boolean): { board: ScanBoard; counter: Int32Array } {
  const counter = new Int32Array(shared ? new SharedArrayBuffer(8) : new ArrayBuffer(8));
  const state = new Uint8Array(shared ? new SharedArrayBuffer(n) : new ArrayBuffer(n));
  const connectMs = new Float64Array(shared ? new SharedArrayBuffer(8 * n) : new ArrayBuffer(8 * n));
  return { board: { state, connectMs, claim: claimer(counter, n) }, counter };
}

/** Claims port indexes a chunk at a time from a counter that another thread may share. */
export function claimer(counter: Int32Array, n: number, chunk = 64): () => number {
  let at = 0;
  let end = 0;
  return () => {
    if (at >= end) {
      at = Atomics.add(counter, 0, chunk);
      if (at >= n) return -1;
      end = Math.min(n, at + chunk);
    }
    return at++;
  };
}

/** A second thread pays off only for a long --no-banners scan on a machine with a core to spare. */
const THREAD_MIN_PORTS = 2_048;

function wantsSecondThread(n: number, o: ScanOptions): boolean {
  if (o.open !== 'at-once' || n < THREAD_MIN_PORTS || process.env.PORTHOLE_DISCOVER_THREADS === '1') return false;
  return availableParallelism() >= 2;
}

/**
 * Connect scan of one address: at most `concurrency` handshakes in flight, each given up after
 * `timeoutMs` ("filtered"), so the whole scan ends within about ceil(ports / concurrency) × timeout.
 * No object per port beyond a closure while it is in flight: states live in typed arrays, and one
 * timer watches the oldest handshake (they all have the same timeout, so they expire in start order).
 * A shortage of file descriptors or local ports lowers the concurrency to what the machine managed
 * and tries the port again. A long scan whose open ports are closed at once (--no-banners) is shared
 * with a worker thread: both take ports from one counter, each with half the concurrency, so the
 * kernel's connect work runs on two cores; the main thread starts at once and the worker joins when
 * it is up (a short scan may be over first, and the worker is then let go without waiting for it).
 */
export async function scanPorts(address: string, family: 4 | 6, ports: readonly number[], concurrency: number, timeoutMs: number, o: ScanOptions = {}): Promise<PortFinding[]> {
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

/** One thread's part of a scan; resolves with the errno of each port it found filtered for another reason than silence. */
export function scanShare<H>(dialer: Dialer<H>, share: ScanShare, board: ScanBoard, o: ScanOptions): Promise<Map<number, string>> {
  const { address, ports, concurrency, timeoutMs } = share;
  const { state, connectMs, claim } = board;
  const n = ports.length;
  const startedAt = new Float64Array(n);
  const handles: (H | undefined)[] = new Array<H | undefined>(n);
  const errnos = new Map<number, string>();
  /** Indexes in the order their handshakes started (retries go to the back). */
  const started: number[] = [];
  let head = 0;
  const retry: number[] = [];
  let exhausted = false;
  let inflight = 0;
  let limit = Math.max(1, Math.min(concurrency, n));
  let timer: NodeJS.Timeout | undefined;

  return new Promise<Map<number, string>>((resolve, reject) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      resolve(errnos);
    };
    const fail = (err: Error) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      for (const h of handles) if (h !== undefined) dialer.drop(h);
      reject(err);
    };

    const shortage = (i: number, code: string): boolean => {
      if (!LOCAL_SHORTAGE.has(code)) return false;
      retry.push(i);
      // Only as many in flight as the machine just managed; below one in flight there is nothing to wait for.
      limit = Math.max(1, inflight);
      if (inflight === 0) {
        fail(new Error(`cannot open more connections (${code}): lower --concurrency or raise the open-file limit (ulimit -n)`));
      }
      return true;
    };

    const settle = (i: number, status: number, h: H) => {
      if (handles[i] !== h) return; // given up on already; this is the cancellation
      handles[i] = undefined;
      inflight--;
      if (status === 0) {
        const ms = performance.now() - startedAt[i]!;
        const local = dialer.local(h);
        // A port inside the ephemeral range can be dialled from itself (TCP simultaneous open): nothing listens.
        if (local.port === ports[i] && local.address === address) {
          dialer.drop(h);
          state[i] = SHUT;
        } else {
          state[i] = OPEN;
          connectMs[i] = ms;
          const how = o.open ?? 'polite';
          if (how === 'at-once') dialer.drop(h);
          else {
            const socket = dialer.adopt(h);
            if (how === 'polite') void politeClose(socket, ms);
            else how({ port: ports[i]!, state: 'open', connectMs: ms }, socket);
          }
        }
      } else {
        dialer.drop(h);
        const code = errnoName(status);
        if (!shortage(i, code)) {
          if (CLOSED.has(code)) state[i] = SHUT;
          else {
            state[i] = FILTERED;
            errnos.set(i, code);
          }
        }
      }
      pump();
    };

    const expire = () => {
      timer = undefined;
      const now = performance.now();
      while (head < started.length) {
        const i = started[head]!;
        const h = handles[i];
        if (h === undefined) {
          head++;
          continue;
        }
        if (now - startedAt[i]! < timeoutMs) break;
        handles[i] = undefined;
        state[i] = FILTERED;
        inflight--;
        head++;
        dialer.drop(h);
      }
      pump();
    };

    const arm = () => {
      if (timer || finished) return;
      while (head < started.length && handles[started[head]!] === undefined) head++;
      if (head >= started.length) return;
      const wait = startedAt[started[head]!]! + timeoutMs - performance.now();
      timer = setTimeout(expire, Math.max(1, wait));
    };

    const pump = () => {
      if (finished) return;
      while (inflight < limit) {
        let i: number;
        if (retry.length > 0) i = retry.pop()!;
        else {
          i = exhausted ? -1 : claim();
          if (i < 0) {
            exhausted = true;
            break;
          }
        }
        startedAt[i] = performance.now();
        const h = dialer.dial(ports[i]!, (status, handle) => settle(i, status, handle));
        if (typeof h === 'number') {
          const code = errnoName(h);
          if (shortage(i, code)) break;
          state[i] = CLOSED.has(code) ? SHUT : FILTERED;
          if (state[i] === FILTERED) errnos.set(i, code);
          continue;
        }
        handles[i] = h;
        started.push(i);
        inflight++;
      }
      if (finished) return;
      if (inflight === 0 && retry.length === 0 && exhausted) return finish();
      arm();
    };

    pump();
  });
}
