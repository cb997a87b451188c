import { Socket } from 'node:net';
import { listenThenClose, listenWindowMs } from '../probe/mysql-farewell.js';

/** As `nmap -sT` says it: open (handshake done), closed (RST), filtered (no answer or ICMP unreachable). */
export type PortState = 'open' | 'closed' | 'filtered';

export interface PortFinding {
  port: number;
  state: PortState;
  connectMs?: number;
  errno?: string;
}

function ignore(): void {}

function connectOnce(address: string, family: 4 | 6, port: number, timeoutMs: number): Promise<PortFinding> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const t0 = performance.now();
    let done = false;
    const finish = (f: PortFinding) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('connect');
      resolve(f);
    };
    const timer = setTimeout(() => {
      socket.on('error', ignore);
      socket.destroy();
      finish({ port, state: 'filtered', errno: 'ETIMEDOUT' });
    }, timeoutMs);
    socket.once('connect', () => {
      const connectMs = performance.now() - t0;
      socket.removeAllListeners('error');
      listenThenClose(socket, listenWindowMs(connectMs));
      finish({ port, state: 'open', connectMs });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.on('error', ignore);
      socket.destroy();
      const closed = err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET';
      finish({ port, state: closed ? 'closed' : 'filtered', ...(err.code ? { errno: err.code } : {}) });
    });
    socket.connect({ host: address, port, family });
  });
}

/**
 * Connect scan of one address: at most `concurrency` handshakes in flight, each given up after
 * `timeoutMs`, so the whole scan ends within ceil(ports / concurrency) × timeout.
 */
export async function scanPorts(address: string, family: 4 | 6, ports: readonly number[], concurrency: number, timeoutMs: number): Promise<PortFinding[]> {
  const results: PortFinding[] = new Array<PortFinding>(ports.length);
  let next = 0;
  const worker = async () => {
    while (next < ports.length) {
      const i = next++;
      results[i] = await connectOnce(address, family, ports[i]!, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, ports.length)) }, worker));
  return results;
}
