import { spawn } from 'node:child_process';
import { parseFpingStderr, type FpingHost } from './parse.js';

/** One round's settings; addresses with the same settings share one fping process. */
export interface EchoRound {
  count: number;
  periodMs: number;
  /** Per echo: how long to wait for its reply (fping -t). */
  timeoutMs: number;
}

/** fping could not run at all (missing, no permission to open an ICMP socket, killed). */
export interface FpingFailure {
  failed: true;
  errno: string;
  detail: string;
}

export interface FpingBatcherOptions {
  /** The program and any leading arguments (tests run it inside a network namespace). Default ["fping"]. */
  command?: readonly string[];
  /** How long a batch waits for more addresses before fping starts (ms). */
  windowMs?: number;
  /** Most addresses per fping process. */
  maxHosts?: number;
  /** fping -i: the gap between any two echoes the process sends, ms (bounds the packet rate). */
  gapMs?: number;
}

interface Batch {
  round: EchoRound;
  waiters: Map<string, ((r: FpingHost | FpingFailure) => void)[]>;
  timer: NodeJS.Timeout;
}

const NO_PERMISSION = /permission|not permitted|must run as root|can't create (raw )?socket/i;

/**
 * Runs ICMP echo rounds through fping, many addresses per process: the addresses asked for within
 * `windowMs` of each other (with the same count, period and timeout) go to one `fping -C` run. With
 * 1,000 ping targets on a 10 s interval that is a few processes a second, not a thousand.
 */
export class FpingBatcher {
  private readonly batches = new Map<string, Batch>();
  private readonly command: readonly string[];
  private readonly windowMs: number;
  private readonly maxHosts: number;
  private readonly gapMs: number;
  /** fping processes started so far (for tests and the README's figures). */
  spawned = 0;
  running = 0;

  constructor(o: FpingBatcherOptions = {}) {
    this.command = o.command ?? ['fping'];
    this.windowMs = o.windowMs ?? 200;
    this.maxHosts = o.maxHosts ?? 1000;
    this.gapMs = o.gapMs ?? 1;
  }

  ping(address: string, round: EchoRound): Promise<FpingHost | FpingFailure> {
    const key = `${round.count}/${round.periodMs}/${round.timeoutMs}`;
    let b = this.batches.get(key);
    if (!b) {
      const batch: Batch = { round, waiters: new Map(), timer: setTimeout(() => this.flush(key, batch), this.windowMs) };
      this.batches.set(key, (b = batch));
    }
    const batch = b;
    return new Promise((resolve) => {
      const list = batch.waiters.get(address);
      if (list) list.push(resolve);
      else batch.waiters.set(address, [resolve]);
      if (batch.waiters.size >= this.maxHosts) this.flush(key, batch);
    });
  }

  private flush(key: string, b: Batch): void {
    clearTimeout(b.timer);
    if (this.batches.get(key) === b) this.batches.delete(key);
    if (b.waiters.size === 0) return;
    void this.run(b.round, [...b.waiters.keys()]).then((results) => {
      for (const [addr, list] of b.waiters) {
        const r = results instanceof Map ? (results.get(addr) ?? { rtts: [], errors: 0 }) : results;
        for (const resolve of list) resolve(r);
      }
    });
  }

  private run(round: EchoRound, addresses: string[]): Promise<Map<string, FpingHost> | FpingFailure> {
    const args = [
      ...this.command.slice(1),
      '-C', String(round.count),
      '-p', String(Math.max(1, Math.round(round.periodMs))),
      '-t', String(Math.max(1, Math.round(round.timeoutMs))),
      '-i', String(this.gapMs),
      '-r', '0',
      ...addresses,
    ];
    // Bounded: every echo sent (count per address, gapMs apart) plus the last one's wait, plus slack.
    const budget = round.count * Math.max(round.periodMs, addresses.length * this.gapMs) + round.timeoutMs + 5000;
    this.spawned++;
    this.running++;
    return new Promise((resolve) => {
      let stderr = '';
      let done = false;
      const finish = (r: Map<string, FpingHost> | FpingFailure) => {
        if (done) return;
        done = true;
        this.running--;
        clearTimeout(timer);
        resolve(r);
      };
      const child = spawn(this.command[0]!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish({ failed: true, errno: 'ETIMEDOUT', detail: `fping did not finish within ${budget}ms` });
      }, budget);
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => {
        // Bounded: a summary line per address and an error line per echo.
        if (stderr.length < 200 * (addresses.length * (round.count + 1) + 10)) stderr += d;
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? 'EFPING';
        const detail = code === 'ENOENT' ? `cannot run ${this.command[0]}: not installed (Debian/Ubuntu: apt install fping)` : `cannot run ${this.command[0]}: ${err.message}`;
        finish({ failed: true, errno: code, detail });
      });
      child.on('close', (code) => {
        const parsed = parseFpingStderr(stderr);
        // 0: all answered, 1: some did not, 2: a name did not resolve. 3 and 4: bad use or a failed system call.
        if (parsed.size > 0 || code === 0 || code === 1) return finish(parsed);
        const said = stderr.split('\n').find((l) => l.trim() !== '')?.trim() ?? `exit code ${String(code)}`;
        if (NO_PERMISSION.test(said)) {
          return finish({ failed: true, errno: 'EPERM', detail: `fping may not send ICMP: ${said} (give it cap_net_raw, or allow ICMP sockets with sysctl net.ipv4.ping_group_range)` });
        }
        finish({ failed: true, errno: 'EFPING', detail: `fping failed: ${said}` });
      });
    });
  }
}
