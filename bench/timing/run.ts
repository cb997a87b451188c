/**
 * bench/timing: handshake times as reported against the wire (tcpdump's SYN→SYN-ACK of the same
 * connection, on a loopback address of the run's own), per scenario: a one-shot `porthole check`, a
 * quiet agent (5 targets, 2 s) and a busy one (201 targets, 1 s), with the kernel clock (TCP_INFO)
 * and with the JS clock; and, measured in the same run, `check_tcp` and Python's perf_counter around
 * a blocking connect. Prints the median and p95 of |reported − wire| per row. Needs root and tcpdump.
 *
 *   npm run build && npx tsx bench/timing/run.ts [--runs 20] [--seconds 10]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { agentRun, errorStats, HandshakeCapture, listeners, oneShotChecks, pair, privateLoopback, wireUnavailable, type Paired, type Reported } from '../../test/helpers/handshake-wire.js';
import { handshakeClock } from '../../src/probe/handshake-clock.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, seconds: { type: 'string', default: '10' } } });
const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const CHECK_TCP = '/usr/lib/nagios/plugins/check_tcp';
const JS = { PORTHOLE_HANDSHAKE_CLOCK: 'js' };

const why = wireUnavailable();
if (why) {
  console.log(`bench/timing: skipped, ${why}`);
  process.exit(0);
}
const clock = handshakeClock();
console.log(`bench/timing: node ${process.version}, porthole clock here: ${clock.clock}${clock.why ? ` (${clock.why})` : ''}; ${RUNS} one-shot runs, agents for ${SECONDS}s`);

const host = privateLoopback();
const dir = mkdtempSync(join(tmpdir(), 'porthole-bench-timing-'));
const l = await listeners(host, 201);
const cap = await HandshakeCapture.start(host);

function row(name: string, paired: readonly Paired[], reported: number): void {
  const s = errorStats(paired);
  const signed = paired.map((p) => p.errorMs).sort((a, b) => a - b);
  const mid = signed[Math.floor(signed.length / 2)] ?? NaN;
  console.log(
    `${name.padEnd(44)} error median ${s.median.toFixed(3)}ms p95 ${s.p95.toFixed(3)}ms (signed median ${mid >= 0 ? '+' : ''}${mid.toFixed(3)}ms; wire median ${s.wireMedian.toFixed(3)}ms; paired ${s.n}/${reported})`,
  );
}

async function porthole(name: string, reported: Reported[]): Promise<void> {
  // tcpdump's last lines are still on their way.
  await new Promise((r) => setTimeout(r, 300));
  const p = pair(reported, cap.handshakes);
  row(name, p.paired, reported.length);
}

/** Runs `once` RUNS times; each run's single new handshake to `port` is its wire figure. */
async function sequential(name: string, port: number, once: () => Promise<number | undefined>): Promise<void> {
  const paired: Paired[] = [];
  for (let i = 0; i < RUNS; i++) {
    const before = cap.handshakes.length;
    const ms = await once();
    await new Promise((r) => setTimeout(r, 50));
    const fresh = cap.handshakes.slice(before).filter((h) => h.serverPort === port);
    if (ms !== undefined && fresh.length === 1) paired.push({ localPort: fresh[0]!.clientPort, serverPort: port, ms, clock: name, wireMs: fresh[0]!.ms, errorMs: ms - fresh[0]!.ms });
  }
  row(name, paired, RUNS);
}

function checkTcp(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const p = spawn(CHECK_TCP, ['-H', host, '-p', String(port), '-t', '2'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.once('close', () => {
      const m = /time=([\d.]+)s/.exec(out);
      resolve(m ? Number(m[1]) * 1000 : undefined);
    });
  });
}

const PY = `
import socket, sys, time
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for _ in range(n):
    s = socket.socket()
    t0 = time.perf_counter()
    s.connect((host, port))
    t1 = time.perf_counter()
    print(s.getsockname()[1], (t1 - t0) * 1000, flush=True)
    s.close()
    time.sleep(0.05)
`;

function pythonLoop(port: number): Reported[] {
  const r = spawnSync('python3', ['-c', PY, host, String(port), String(RUNS)], { encoding: 'utf8', timeout: 60_000 });
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [lp, ms] = line.split(' ');
      return { localPort: Number(lp), serverPort: port, ms: Number(ms), clock: 'python' };
    });
}

try {
  const port = l.ports[0]!;
  console.log('-- one shot (a fresh process per check)');
  await porthole('porthole check, kernel clock', await oneShotChecks(host, port, RUNS));
  await porthole('porthole check, JS clock', await oneShotChecks(host, port, RUNS, JS));
  if (spawnSync(CHECK_TCP, ['-V']).status === null) console.log(`check_tcp: not installed (${CHECK_TCP})`);
  else await sequential('check_tcp', port, () => checkTcp(port));
  await porthole('python perf_counter around connect (one process)', pythonLoop(port));

  console.log('-- quiet agent: 5 targets every 2 s');
  const five = l.ports.slice(0, 5);
  await porthole('porthole agent, kernel clock', await agentRun({ host, ports: five, interval: '2s', seconds: SECONDS, dir }));
  await porthole('porthole agent, JS clock', await agentRun({ host, ports: five, interval: '2s', seconds: SECONDS, dir, env: JS }));

  console.log('-- busy agent: 201 targets every second');
  await porthole('porthole agent, kernel clock', await agentRun({ host, ports: l.ports, interval: '1s', seconds: SECONDS, dir }));
  await porthole('porthole agent, JS clock', await agentRun({ host, ports: l.ports, interval: '1s', seconds: SECONDS, dir, env: JS }));
} finally {
  await cap.stop();
  await l.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
