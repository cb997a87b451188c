import type { Socket } from 'node:net';
import { getSystemErrorName } from 'node:util';
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
const PENDING = 0;
const OPEN = 1;
const SHUT = 2;
const FILTERED = 3;

function errnoName(status: number): string {
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

/**
 * Connect scan of one address: at most `concurrency` handshakes in flight, each given up after
 * `timeoutMs` ("filtered"), so the whole scan ends within about ceil(ports / concurrency) × timeout.
 * No object per port beyond a closure while it is in flight: states live in typed arrays, and one
 * timer watches the oldest handshake (they all have the same timeout, so they expire in start order).
 * A shortage of file descriptors or local ports lowers the concurrency to what the machine managed
 * and tries the port again.
 */
export function scanPorts(address: string, family: 4 | 6, ports: readonly number[], concurrency: number, timeoutMs: number, o: ScanOptions = {}): Promise<PortFinding[]> {
  return scanWith(pickDialer(address, family) as Dialer<unknown>, address, ports, concurrency, timeoutMs, o);
}

function scanWith<H>(dialer: Dialer<H>, address: string, ports: readonly number[], concurrency: number, timeoutMs: number, o: ScanOptions): Promise<PortFinding[]> {
  const n = ports.length;
  const state = new Uint8Array(n);
  const startedAt = new Float64Array(n);
  const connectMs = new Float64Array(n);
  const handles: (H | undefined)[] = new Array<H | undefined>(n);
  const errnos = new Map<number, string>();
  /** Indexes in the order their handshakes started (retries go to the back). */
  const started: number[] = [];
  let head = 0;
  const retry: number[] = [];
  let next = 0;
  let inflight = 0;
  let limit = Math.max(1, Math.min(concurrency, n));
  let timer: NodeJS.Timeout | undefined;

  return new Promise<PortFinding[]>((resolve, reject) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      const out: PortFinding[] = new Array<PortFinding>(n);
      for (let i = 0; i < n; i++) {
        const s = state[i];
        const port = ports[i]!;
        if (s === OPEN) out[i] = { port, state: 'open', connectMs: connectMs[i]! };
        else if (s === SHUT) out[i] = { port, state: 'closed' };
        else out[i] = { port, state: 'filtered', errno: errnos.get(i) ?? 'ETIMEDOUT' };
      }
      resolve(out);
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
      if (state[i] !== PENDING || handles[i] !== h) return; // given up on already; this is the cancellation
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
        if (state[i] !== PENDING || handles[i] === undefined) {
          head++;
          continue;
        }
        if (now - startedAt[i]! < timeoutMs) break;
        const h = handles[i]!;
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
      while (head < started.length && (state[started[head]!] !== PENDING || handles[started[head]!] === undefined)) head++;
      if (head >= started.length) return;
      const wait = startedAt[started[head]!]! + timeoutMs - performance.now();
      timer = setTimeout(expire, Math.max(1, wait));
    };

    const pump = () => {
      if (finished) return;
      while (inflight < limit && (retry.length > 0 || next < n)) {
        const i = retry.length > 0 ? retry.pop()! : next++;
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
      if (inflight === 0 && retry.length === 0 && next >= n) return finish();
      arm();
    };

    if (n === 0) return finish();
    pump();
  });
}
