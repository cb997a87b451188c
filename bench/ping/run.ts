/**
 * bench/ping: 1,000 ping targets (loopback addresses 127.0.x.y) through the shared fping batcher,
 * against the same round done one fping process per host (a smaller set, to keep the machine usable),
 * then 1,000 ping targets in the engine on a 10 s interval: fping processes started, at most alive at
 * once, CPU per target-check. Prints ratios against the baseline measured in the same run.
 *
 *   npx tsx bench/ping/run.ts [--hosts 1000] [--single 200] [--seconds 30]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FpingBatcher } from '../../src/checks/ping/fping.js';
import { BUILTIN_DEFAULTS, resolveTarget, type Target } from '../../src/config/target.js';
import { Engine } from '../../src/engine/engine.js';

const { values } = parseArgs({ options: { hosts: { type: 'string', default: '1000' }, single: { type: 'string', default: '200' }, seconds: { type: 'string', default: '30' } } });
const HOSTS = Math.min(4000, Number(values.hosts));
const SINGLE = Math.min(500, Number(values.single));
const SECONDS = Math.min(120, Number(values.seconds));
const ROUND = { count: 5, periodMs: 200, timeoutMs: 1000 };

const addresses = (n: number) => Array.from({ length: n }, (_, i) => `127.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255 || 1}`);

/** CPU of this process and of its reaped children, ms (Linux /proc). */
function cpuMs(): { self: number; children: number } {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const tick = 1000 / 100;
  const self = process.cpuUsage();
  return { self: (self.user + self.system) / 1000, children: (Number(f[13]) + Number(f[14])) * tick };
}

async function round(batcher: FpingBatcher, hosts: string[]): Promise<{ ms: number; cpu: number; lost: number }> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const results = await Promise.all(hosts.map((h) => batcher.ping(h, ROUND)));
  const ms = performance.now() - t0;
  const c1 = cpuMs();
  const lost = results.filter((r) => 'failed' in r || r.rtts.filter((x) => x !== null).length < ROUND.count).length;
  return { ms, cpu: c1.self - c0.self + (c1.children - c0.children), lost };
}

const batched = await round(new FpingBatcher({ windowMs: 50 }), addresses(HOSTS));
const singleBatcher = new FpingBatcher({ windowMs: 0, maxHosts: 1 });
const single = await round(singleBatcher, addresses(SINGLE));
const perHost = (r: { cpu: number }, n: number) => r.cpu / n;
console.log(`one round of ${ROUND.count} echoes, ${ROUND.periodMs}ms apart:`);
console.log(`  batched:  ${HOSTS} hosts, 1 fping process: ${batched.ms.toFixed(0)}ms wall, CPU ${batched.cpu.toFixed(0)}ms (${perHost(batched, HOSTS).toFixed(2)}ms/host), ${batched.lost} hosts with a loss`);
console.log(`  baseline: ${SINGLE} hosts, ${singleBatcher.spawned} fping processes: ${single.ms.toFixed(0)}ms wall, CPU ${single.cpu.toFixed(0)}ms (${perHost(single, SINGLE).toFixed(2)}ms/host), ${single.lost} hosts with a loss`);
console.log(`  CPU per host, batched / one process each: ${(perHost(batched, HOSTS) / perHost(single, SINGLE)).toFixed(3)}`);

// The engine: HOSTS ping targets, 10 s interval, spread over the interval as the engine does.
const targets: Target[] = addresses(HOSTS).map((h, i) => resolveTarget({ id: `p${i}`, kind: 'ping', host: h, interval: 10_000 }, BUILTIN_DEFAULTS));
const { sharedBatcher } = await import('../../src/checks/ping/run.js');
const shared = sharedBatcher();
const engine = new Engine({ targets, startSpreadMs: 10_000 });
let peak = 0;
let checks = 0;
engine.subscribe((e) => {
  if (e.type === 'result') checks++;
});
const watch = setInterval(() => (peak = Math.max(peak, shared.running)), 20);
const c0 = cpuMs();
engine.start();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
await engine.stop();
clearInterval(watch);
const c1 = cpuMs();
const states = new Map<string, number>();
for (const v of engine.snapshot()) states.set(`${v.monitor.state}${v.monitor.cause ? `/${v.monitor.cause}` : ""}`, (states.get(`${v.monitor.state}${v.monitor.cause ? `/${v.monitor.cause}` : ""}`) ?? 0) + 1);
const up = [...states].map(([k, n]) => `${n} ${k}`).join(", ");
const cpu = c1.self - c0.self + (c1.children - c0.children);
console.log(`engine, ${HOSTS} ping targets every 10s for ${SECONDS}s: ${checks} checks, ${shared.spawned} fping processes (${(shared.spawned / SECONDS).toFixed(1)}/s), at most ${peak} alive at once; at the end: ${up}`);
console.log(`  CPU ${cpu.toFixed(0)}ms = ${(cpu / Math.max(1, checks)).toFixed(2)}ms per check; checks per fping process ${(checks / Math.max(1, shared.spawned)).toFixed(1)}`);
