import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { nativeScan, scanEngine } from './native-scan.js';

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

/** Which scan `scanPorts` runs with these options: in C for a scan whose open ports close at once, where the addon loads. */
export function scanEngineFor(o: ScanOptions): { engine: 'native' | 'js'; why?: string } {
  if (o.open !== 'at-once') return { engine: 'js', why: 'open ports are handed on as sockets (banners)' };
  return scanEngine();
}

/** Threads for the native scan: one per core (at most 4), each with at least NATIVE_PORTS_PER_JOB ports. */
const NATIVE_PORTS_PER_JOB = 1_024;

function nativeJobs(n: number): number {
  if (process.env.PORTHOLE_DISCOVER_THREADS === '1') return 1;
  return Math.max(1, Math.min(4, availableParallelism(), Math.ceil(n / NATIVE_PORTS_PER_JOB)));
}

/**
 * Connect scan of one address: at most `concurrency` handshakes in flight, each given up after
 * `timeoutMs` ("filtered"). A scan whose open ports are closed at once (--no-banners) runs in C
 * (native-scan.ts) where the addon is built; the rest, and every scan without the addon, in
 * JavaScript (js-scan.ts, imported only then: a native scan loads no socket or worker code).
 */
export async function scanPorts(address: string, family: 4 | 6, ports: readonly number[], concurrency: number, timeoutMs: number, o: ScanOptions = {}): Promise<PortFinding[]> {
  if (o.open === 'at-once' && ports.length > 0) {
    const native = nativeScan(address, family, ports, concurrency, timeoutMs, nativeJobs(ports.length));
    if (native) return native;
  }
  const { jsScan } = await import('./js-scan.js');
  return jsScan(address, family, ports, concurrency, timeoutMs, o);
}
