import type { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import type { Dialer } from './dialers.js';
import type { ScanOptions } from './scan.js';

// One thread's part of a connect scan (see scanPorts in scan.ts): it claims port indexes from a board
// it may share with a second thread, dials them, and writes each port's state into the board.

/** Errors that say "not now" about this machine, not anything about the port: the port is tried again. */
const LOCAL_SHORTAGE = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL', 'ENOBUFS', 'ENOMEM', 'EAGAIN']);
const CLOSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
/** With nothing of its own in flight, a thread short of descriptors waits this long, this many times, before it gives up. */
const SHORTAGE_WAIT_MS = 10;
const SHORTAGE_WAITS = 200;
/** A port's state on the board (0: not scanned yet, or no answer in time). */
export const OPEN = 1;
export const SHUT = 2;
export const FILTERED = 3;

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
  let waiting: NodeJS.Timeout | undefined;
  let idleShortages = 0;

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
      if (waiting) clearTimeout(waiting);
      for (const h of handles) if (h !== undefined) dialer.drop(h);
      reject(err);
    };

    const shortage = (i: number, code: string): boolean => {
      if (!LOCAL_SHORTAGE.has(code)) return false;
      retry.push(i);
      // Only as many in flight as the machine just managed. With none in flight here, the descriptors
      // are held elsewhere (the other scanning thread, sockets still closing): wait for them a while.
      limit = Math.max(1, inflight);
      if (inflight === 0) {
        if (++idleShortages > SHORTAGE_WAITS) {
          fail(new Error(`cannot open more connections (${code}): lower --concurrency or raise the open-file limit (ulimit -n)`));
        } else if (!waiting) {
          waiting = setTimeout(() => {
            waiting = undefined;
            pump();
          }, SHORTAGE_WAIT_MS);
        }
      } else idleShortages = 0;
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

    // A thread that was kept from running (a loaded machine) may find its oldest handshakes past their
    // time with the answers already in, queued for the poll phase, which libuv runs after the timers:
    // look at them only after that phase (setImmediate), so an answer that came in time is not "filtered".
    let expiring = false;
    const expire = () => {
      timer = undefined;
      expiring = true;
      setImmediate(expireNow);
    };
    const expireNow = () => {
      expiring = false;
      if (finished) return;
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
      if (timer || expiring || finished) return;
      while (head < started.length && handles[started[head]!] === undefined) head++;
      if (head >= started.length) return;
      const wait = startedAt[started[head]!]! + timeoutMs - performance.now();
      timer = setTimeout(expire, Math.max(1, wait));
    };

    const pump = () => {
      if (finished || waiting) return;
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
          if (shortage(i, code)) {
            if (waiting) return;
            break;
          }
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
