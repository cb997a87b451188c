/**
 * The wire's view of TCP handshakes, for comparing the handshake times porthole reports with what
 * really happened: tcpdump on lo captures every SYN and SYN-ACK to or from one loopback address of
 * the test's own (127.x.y.z, so other traffic on lo stays out of the capture), and each reported
 * time is paired with the SYN→SYN-ACK of the same connection by (local port, server port).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { api, MAIN, startAgent, type AgentProcess, configText } from './agent.js';
import { which } from './system.js';

/** One handshake seen on the wire. */
export interface WireHandshake {
  clientPort: number;
  serverPort: number;
  /** SYN → SYN-ACK, ms, from tcpdump's nanosecond timestamps. */
  ms: number;
  /** The SYN was sent more than once. */
  retransmitted: boolean;
}

/** One handshake time as porthole reported it. */
export interface Reported {
  localPort: number;
  serverPort: number;
  ms: number;
  clock: string;
}

export interface Paired extends Reported {
  wireMs: number;
  /** reported − wire, ms. */
  errorMs: number;
}

/** Why the wire comparison cannot run here, or undefined when it can. */
export function wireUnavailable(): string | undefined {
  if (!which('tcpdump')) return 'tcpdump is not installed';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'capturing on lo needs root';
  return undefined;
}

/** A loopback address of this run's own, 127.R.R.R, so the capture filter sees nothing else. */
export function privateLoopback(): string {
  const b = () => 2 + Math.floor(Math.random() * 250);
  return `127.${b()}.${b()}.${b()}`;
}

/** Listeners on `host` that accept and read until the client's FIN, in this process. */
export async function listeners(host: string, n: number): Promise<{ ports: number[]; close: () => Promise<void> }> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  for (let i = 0; i < n; i++) {
    const server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
      s.resume();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: 0, backlog: 1024 }, () => resolve());
    });
    servers.push(server);
  }
  return {
    ports: servers.map((s) => (s.address() as { port: number }).port),
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

const LINE = /^(\d+)\.(\d{9}) IP (\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+): Flags \[(S\.?)\]/;

/** tcpdump capturing the SYNs and SYN-ACKs to and from one address; stop() returns the handshakes. */
export class HandshakeCapture {
  private readonly syns = new Map<string, { at: number; count: number }>();
  private readonly done: WireHandshake[] = [];
  private sec0: number | undefined;
  private stderr = '';

  private constructor(
    private readonly proc: ChildProcess,
    private readonly host: string,
  ) {
    createInterface({ input: proc.stdout! }).on('line', (l) => this.onLine(l));
  }

  static async start(host: string): Promise<HandshakeCapture> {
    const filter = `host ${host} and tcp[tcpflags] & tcp-syn != 0`;
    const proc = spawn('tcpdump', ['-i', 'lo', '-n', '-l', '-tt', '--immediate-mode', '--time-stamp-precision=nano', '-B', '8192', filter], { stdio: ['ignore', 'pipe', 'pipe'] });
    const c = new HandshakeCapture(proc, host);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${c.stderr}`)), 10_000);
      proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
        c.stderr += d;
        if (/listening on/.test(c.stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`tcpdump exited (${code}): ${c.stderr}`));
      });
    });
    return c;
  }

  private onLine(l: string): void {
    const m = LINE.exec(l);
    if (!m) return;
    const sec = Number(m[1]);
    this.sec0 ??= sec;
    // Seconds and nanoseconds apart: one float of both would lose the nanoseconds.
    const at = (sec - this.sec0) * 1000 + Number(m[2]) / 1e6;
    if (m[7] === 'S' && m[5] === this.host) {
      const key = `${m[4]}>${m[6]}`;
      const prev = this.syns.get(key);
      if (prev) prev.count++;
      else this.syns.set(key, { at, count: 1 });
    } else if (m[7] === 'S.' && m[3] === this.host) {
      const key = `${m[6]}>${m[4]}`;
      const syn = this.syns.get(key);
      if (!syn) return;
      this.syns.delete(key);
      this.done.push({ clientPort: Number(m[6]), serverPort: Number(m[4]), ms: at - syn.at, retransmitted: syn.count > 1 });
    }
  }

  /** Handshakes seen so far (SYN answered by SYN-ACK). */
  get handshakes(): readonly WireHandshake[] {
    return this.done;
  }

  async stop(): Promise<WireHandshake[]> {
    // Let tcpdump print what it has, then end it.
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    return this.done;
  }
}

/**
 * Pairs each reported time with the wire's handshake of the same connection. A (local port, server
 * port) pair seen twice on the wire in one capture is ambiguous and left out.
 */
export function pair(reported: readonly Reported[], wire: readonly WireHandshake[]): { paired: Paired[]; unpaired: number } {
  const byKey = new Map<string, WireHandshake | null>();
  for (const w of wire) {
    const k = `${w.clientPort}>${w.serverPort}`;
    byKey.set(k, byKey.has(k) ? null : w);
  }
  const paired: Paired[] = [];
  let unpaired = 0;
  for (const r of reported) {
    const w = byKey.get(`${r.localPort}>${r.serverPort}`);
    if (!w) unpaired++;
    else paired.push({ ...r, wireMs: w.ms, errorMs: r.ms - w.ms });
  }
  return { paired, unpaired };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Median and p95 of |error| (ms), and the wire's own median. */
export function errorStats(paired: readonly { errorMs: number; wireMs: number }[]): { n: number; median: number; p95: number; wireMedian: number } {
  const abs = paired.map((p) => Math.abs(p.errorMs));
  return { n: paired.length, median: percentile(abs, 50), p95: percentile(abs, 95), wireMedian: percentile(paired.map((p) => p.wireMs), 50) };
}

interface CheckJson {
  results: { port: number; connectMs: number | null; clock: string | null; localPort: number | null }[];
}

/** `porthole check` run `times` times, one after the other, each a fresh process (the one-shot case). */
export async function oneShotChecks(host: string, port: number, times: number, env: NodeJS.ProcessEnv = {}): Promise<Reported[]> {
  const out: Reported[] = [];
  for (let i = 0; i < times; i++) {
    const text = await new Promise<string>((resolve) => {
      const p = spawn(process.execPath, [MAIN, 'check', '-H', host, '-p', String(port), '--retries', '0', '-t', '2', '--json'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } });
      let s = '';
      p.stdout.setEncoding('utf8').on('data', (d: string) => (s += d));
      const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
      p.once('close', () => {
        clearTimeout(timer);
        resolve(s);
      });
    });
    try {
      const r = (JSON.parse(text) as CheckJson).results[0];
      if (r && r.connectMs !== null && r.localPort !== null) out.push({ localPort: r.localPort, serverPort: r.port, ms: r.connectMs, clock: r.clock ?? '?' });
    } catch {
      // A run that printed no JSON is counted as unreported by the caller (fewer results than runs).
    }
  }
  return out;
}

interface StreamView {
  type: string;
  view?: { target: { port: number }; lastResult?: { outcome: string; connectMs: number | null; clock?: string; localPort?: number } };
}

/**
 * `porthole agent` (its own process, as a service runs it) checking every port on `host` at
 * `interval`, for `seconds` after a warm-up round; the reported times are read from its event stream,
 * as an attached console reads them.
 */
export async function agentRun(o: { host: string; ports: number[]; interval: string; seconds: number; dir: string; env?: NodeJS.ProcessEnv }): Promise<Reported[]> {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const config = join(o.dir, `timing-${Date.now()}.json`);
  writeFileSync(config, configText(o.ports.map((port, i) => ({ name: `t${i}`, host: o.host, port })), { interval: o.interval, timeout: '2s', retries: 0 }));
  const agent: AgentProcess = await startAgent({ config, dataDir: join(o.dir, `data-${Date.now()}`), env: { PORTHOLE_LOCAL_PORT: '1', ...o.env } });
  const reported: Reported[] = [];
  // A view is sent again when only the state changed: one figure per connection.
  const seen = new Set<string>();
  const ac = new AbortController();
  try {
    // The health check answers once the agent is up; the token then reads the stream.
    await api(agent.url, 'GET', '/healthz', undefined);
    const res = await fetch(`${agent.url}/api/v1/events`, { headers: { authorization: `Bearer ${agent.token}` }, signal: ac.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const warmUntil = performance.now() + 1500;
    const end = warmUntil + o.seconds * 1000;
    let buf = '';
    const stop = setTimeout(() => ac.abort(), end - performance.now());
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, at);
          buf = buf.slice(at + 2);
          if (!frame.startsWith('data: ') || performance.now() < warmUntil) continue;
          const e = JSON.parse(frame.slice(6)) as StreamView;
          const r = e.view?.lastResult;
          if (e.type === 'view' && r && r.outcome === 'open' && r.connectMs !== null && r.localPort !== undefined) {
            const key = `${r.localPort}>${e.view!.target.port}`;
            if (seen.has(key)) continue;
            seen.add(key);
            reported.push({ localPort: r.localPort, serverPort: e.view!.target.port, ms: r.connectMs, clock: r.clock ?? '?' });
          }
        }
      }
    } catch (err) {
      if (!ac.signal.aborted) throw err;
    } finally {
      clearTimeout(stop);
    }
  } finally {
    ac.abort();
    await agent.stop('SIGTERM').catch(() => agent.kill());
  }
  return reported;
}
