// bench/agent: 5,000 targets checked headless by `porthole agent`, beside the same monitor without a
// screen (the console's runtime, no UI: the baseline) and the real console (Ink, in tmux at 200×50),
// all in this run, rounds alternating. Prints CPU per 1,000 checks/s, RSS, and /metrics scrape time
// and size. Run: npm run build && npx tsx bench/agent/run.ts [--targets 5000] [--seconds 15] [--rounds 3]
// Every target is a loopback listener of a child process of this bench (nothing else is probed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnListeners } from '../lib/spawn-listeners.js';
import { fmt, percentile } from '../lib/stats.js';
import { cpuTicks, rssMb, TICKS } from '../lib/proc.js';
import { AGENT_NODE_FLAGS } from '../../src/agent/systemd-unit.js';

const { values } = parseArgs({ options: { targets: { type: 'string', default: '5000' }, seconds: { type: 'string', default: '20' }, rounds: { type: 'string', default: '3' }, warmup: { type: 'string', default: '30' }, 'node-args': { type: 'string', default: '' }, 'agent-node-args': { type: 'string', default: AGENT_NODE_FLAGS.join(' ') }, 'also-agent-node-args': { type: 'string' } } });
const N = Number(values.targets);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const WARMUP = Number(values.warmup);
/** Extra node flags for the agent and the no-UI child alike, e.g. --cpu-prof --cpu-prof-dir=/tmp/p to profile both. */
const NODE_ARGS = values['node-args'].split(' ').filter(Boolean);
/** Node flags for the agent only: by default those of `porthole agent --print-systemd-unit` (V8 heap flags), as a service runs it. */
const AGENT_NODE_ARGS = values['agent-node-args'].split(' ').filter(Boolean);
/** A second agent per round with these node flags instead (e.g. --max-semi-space-size=4), to compare two settings in one run. */
const ALSO_AGENT_NODE_ARGS = values['also-agent-node-args']?.split(' ').filter(Boolean);
const AGENT_VARIANTS = [AGENT_NODE_ARGS, ...(ALSO_AGENT_NODE_ARGS ? [ALSO_AGENT_NODE_ARGS] : [])];
const INTERVAL_S = N / 1000; // 1,000 checks/s in steady state
const ROOT = resolve(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Measured {
  cpuShare: number;
  checksPerSec: number;
  rssMb: number;
}

/**
 * CPU share and checks/s over the window; RSS read every second through it, its median (V8's heap
 * breathes: one reading lands anywhere between two full GCs).
 */
async function measure(pid: number, checks: () => Promise<number>): Promise<Measured> {
  const c0 = await checks();
  const t0 = cpuTicks(pid);
  const w0 = performance.now();
  const rss: number[] = [];
  for (let i = 0; i < SECONDS; i++) {
    await sleep(1000);
    rss.push(rssMb(pid));
  }
  const c1 = await checks();
  const t1 = cpuTicks(pid);
  const wall = (performance.now() - w0) / 1000;
  return { cpuShare: (t1 - t0) / TICKS / wall, checksPerSec: (c1 - c0) / wall, rssMb: percentile(rss, 50) };
}

function lineReader(child: ChildProcess): { last: () => string; waitFor: (re: RegExp) => Promise<RegExpExecArray> } {
  let buf = '';
  let lastLine = '';
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lastLine = line;
      for (const w of waiters.slice()) {
        const m = w.re.exec(line);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  return { last: () => lastLine, waitFor: (re) => new Promise((r) => waiters.push({ re, resolve: r })) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, sleep(10_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

interface Scrape {
  ms: number;
  /** Bytes on the wire. */
  wire: number;
  /** Bytes of exposition text (after gunzip when gzipped). */
  text: number;
}

/** One GET /metrics, with or without Accept-Encoding: gzip (Prometheus sends it). */
function scrape(url: string, gzip: boolean): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(`${url}/metrics`, { headers: gzip ? { 'accept-encoding': 'gzip' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t;
        const body = Buffer.concat(chunks);
        resolve({ ms, wire: body.length, text: res.headers['content-encoding'] === 'gzip' ? gunzipSync(body).length : body.length });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function runAgent(config: string, dir: string, agentNodeArgs: readonly string[]): Promise<Measured & { scrapes: Scrape[]; gzipScrapes: Scrape[]; rssAfterScrapes: number }> {
  const child = spawn(process.execPath, [...NODE_ARGS, ...agentNodeArgs, MAIN, 'agent', '--config', config, '--data-dir', dir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const out = lineReader(child);
  const url = (await out.waitFor(/ started .*url=(\S+)/))[1]!;
  const checks = async () => ((await (await fetch(`${url}/healthz`)).json()) as { checks: number }).checks;
  await sleep(WARMUP * 1000);
  const m = await measure(child.pid!, checks);
  // Plain and gzipped scrapes alternating, a second apart (Prometheus scrapes every 15 s or so).
  const scrapes: Scrape[] = [];
  const gzipScrapes: Scrape[] = [];
  for (let i = 0; i < 5; i++) {
    scrapes.push(await scrape(url, false));
    await sleep(500);
    gzipScrapes.push(await scrape(url, true));
    await sleep(500);
  }
  // The scrapes' buffers count too: RSS once they are done.
  const rssAfterScrapes = rssMb(child.pid!);
  await stop(child);
  return { ...m, scrapes, gzipScrapes, rssAfterScrapes };
}

async function runNoUi(config: string, dir: string): Promise<Measured> {
  // From dist/, as the agent runs: the same compiled code on both sides.
  const child = spawn(process.execPath, [...NODE_ARGS, join(import.meta.dirname, 'runtime-child.mjs'), config, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const out = lineReader(child);
  await out.waitFor(/checks/);
  const checks = async () => {
    await out.waitFor(/checks/);
    return (JSON.parse(out.last()) as { checks: number }).checks;
  };
  await sleep(WARMUP * 1000);
  const m = await measure(child.pid!, checks);
  await stop(child);
  return m;
}

/** The real console, local, in tmux at 200×50; checks counted from its history afterwards is not needed: the same config, so the same rate. */
async function runConsole(config: string, dir: string): Promise<Measured | undefined> {
  if (spawnSync('sh', ['-c', 'command -v tmux']).status !== 0) return undefined;
  const session = `bench-agent-${process.pid}`;
  spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', 'env', '-u', 'CI', `PORTHOLE_CONFIG_DIR=${dir}`, process.execPath, MAIN, '--local', '--config', config, '--data-dir', dir]);
  try {
    const pid = Number(spawnSync('tmux', ['list-panes', '-t', session, '-F', '#{pane_pid}'], { encoding: 'utf8' }).stdout.trim());
    await sleep(WARMUP * 1000);
    // The console's rate is the config's (same targets, same interval): measured CPU is per that rate.
    const m = await measure(pid, async () => 0);
    return { ...m, checksPerSec: NaN };
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
}

const listeners = await spawnListeners(N);
const base = mkdtempSync(join(tmpdir(), 'porthole-bench-agent-'));
const config = join(base, 'config.json');
writeFileSync(
  config,
  JSON.stringify({
    defaults: { interval: `${INTERVAL_S}s`, timeout: '2s', retries: 1, retryDelay: '1s' },
    targets: listeners.ports.map((port, i) => ({ name: `svc-${String(i).padStart(5, '0')}`, host: '127.0.0.1', port })),
  }),
);
const flagsOf = (v: readonly string[]) => v.join(' ') || 'none';
console.log(`bench/agent: ${N} loopback targets every ${INTERVAL_S}s (≈1,000 checks/s), ${SECONDS}s windows after ${WARMUP}s warm-up, ${ROUNDS} rounds; agent node flags: ${AGENT_VARIANTS.map(flagsOf).join(' | ')}`);
const agentsBy: Awaited<ReturnType<typeof runAgent>>[][] = AGENT_VARIANTS.map(() => []);
const agents = agentsBy[0]!;
const noUis: Measured[] = [];
const consoles: Measured[] = [];
try {
  for (let r = 1; r <= ROUNDS; r++) {
    // The order alternates: odd rounds start with the agent, even rounds with the no-UI run, so
    // whatever one run leaves behind (TIME_WAIT sockets, a warm page cache) falls on both sides.
    const as = [];
    const noUiFirst = r % 2 === 0;
    const b0 = noUiFirst ? await runNoUi(config, join(base, `noui-${r}`)) : undefined;
    for (const [k, v] of AGENT_VARIANTS.entries()) as.push(await runAgent(config, join(base, `agent-${r}-${k}`), v));
    const b = b0 ?? (await runNoUi(config, join(base, `noui-${r}`)));
    const c = await runConsole(config, join(base, `console-${r}`));
    as.forEach((a, k) => agentsBy[k]!.push(a));
    noUis.push(b);
    if (c) consoles.push(c);
    const per1k = (m: Measured) => (m.cpuShare * 100) / (m.checksPerSec / 1000);
    for (const [k, a] of [...as.entries()].slice(1)) console.log(`round ${r}: agent (${flagsOf(AGENT_VARIANTS[k]!)}) ${fmt(a.checksPerSec, 0)} checks/s, ${fmt(a.cpuShare * 100)}% CPU (${fmt(per1k(a))}% per 1k/s), RSS ${fmt(a.rssMb)} MB (${fmt(a.rssAfterScrapes)} after 10 scrapes)`);
    const a = as[0]!;
    console.log(
      `round ${r}: agent ${fmt(a.checksPerSec, 0)} checks/s, ${fmt(a.cpuShare * 100)}% CPU (${fmt(per1k(a))}% per 1k/s), RSS ${fmt(a.rssMb)} MB (${fmt(a.rssAfterScrapes)} after 10 scrapes), /metrics ${fmt(percentile(a.scrapes.map((s) => s.ms), 50))} ms ${fmt(a.scrapes[0]!.text / 1_048_576, 2)} MB, gzip ${fmt(percentile(a.gzipScrapes.map((s) => s.ms), 50))} ms ${fmt(a.gzipScrapes[0]!.wire / 1024, 0)} KB` +
        ` | no-UI ${fmt(b.checksPerSec, 0)} checks/s, ${fmt(b.cpuShare * 100)}% (${fmt(per1k(b))}% per 1k/s), RSS ${fmt(b.rssMb)} MB` +
        (c ? ` | console 200×50 ${fmt(c.cpuShare * 100)}% CPU, RSS ${fmt(c.rssMb)} MB` : ' | console: tmux missing'),
    );
  }
} finally {
  listeners.stop();
  rmSync(base, { recursive: true, force: true });
}
const med = (xs: number[]) => percentile(xs, 50);
const agentPer1k = med(agents.map((a) => (a.cpuShare * 100) / (a.checksPerSec / 1000)));
const noUiPer1k = med(noUis.map((b) => (b.cpuShare * 100) / (b.checksPerSec / 1000)));
const agentRss = med(agents.map((a) => a.rssMb));
console.log('\nmedians:');
console.log(`  CPU per 1,000 checks/s: agent ${fmt(agentPer1k)}% of a core, no-UI runtime ${fmt(noUiPer1k)}% → ratio ${fmt(agentPer1k / noUiPer1k, 2)}× (goal ≤ 1.00×)`);
const consoleRss = consoles.length ? med(consoles.map((c) => c.rssMb)) : NaN;
if (consoles.length) {
  const after = med(agents.map((a) => a.rssAfterScrapes));
  console.log(`  RSS: agent ${fmt(agentRss)} MB, console ${fmt(consoleRss)} MB → ${fmt((agentRss / consoleRss) * 100, 0)}% (goal ≤ 60%), after the scrapes ${fmt((after / consoleRss) * 100, 0)}%; no-UI runtime ${fmt(med(noUis.map((b) => b.rssMb)))} MB`);
}
for (const [k, as] of [...agentsBy.entries()].slice(1)) {
  const per1k = med(as.map((a) => (a.cpuShare * 100) / (a.checksPerSec / 1000)));
  const rss = med(as.map((a) => a.rssMb));
  const after = med(as.map((a) => a.rssAfterScrapes));
  console.log(`  agent with ${flagsOf(AGENT_VARIANTS[k]!)}: CPU ${fmt(per1k)}% per 1k/s → ratio ${fmt(per1k / noUiPer1k, 2)}×; RSS ${fmt(rss)} MB (${fmt((rss / consoleRss) * 100, 0)}% of the console's), ${fmt(after)} MB after the scrapes (${fmt((after / consoleRss) * 100, 0)}%)`);
}
console.log(
  `  /metrics scrape of ${N} targets: ${fmt(med(agents.flatMap((a) => a.scrapes.map((s) => s.ms))))} ms median (goal < 100 ms), ${fmt(med(agents.map((a) => a.scrapes[0]!.text)) / 1_048_576, 2)} MB of text (goal < 5 MB);` +
    ` gzipped as Prometheus asks: ${fmt(med(agents.flatMap((a) => a.gzipScrapes.map((s) => s.ms))))} ms, ${fmt(med(agents.map((a) => a.gzipScrapes[0]!.wire)) / 1024, 0)} KB on the wire; agent RSS after the scrapes ${fmt(med(agents.map((a) => a.rssAfterScrapes)))} MB`,
);
console.log(`(load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} at the end)`);
