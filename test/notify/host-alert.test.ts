import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { NetNs, netnsUnavailable, which } from '../helpers/system.js';

// One alert per host, made for real: the agent runs inside a network namespace of the test's own, with
// a ping target and two listening ports there and a webhook receiver beside them (on a port the faults
// leave alone); iptables drops ICMP and the two ports' TCP, then the drop is lifted.

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const HOOK_PORT = 7100;

type Json = Record<string, unknown>;

/** Lines of a child's stdout, as they come; `wait` resolves with the first (already seen or next) that fits. */
class Lines {
  readonly seen: string[] = [];
  private waiters: { fit: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  constructor(child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      this.seen.push(l);
      this.waiters = this.waiters.filter((w) => (w.fit(l) ? (w.resolve(l), false) : true));
    });
  }
  wait(what: string, fit: (l: string) => boolean, ms: number): Promise<string> {
    const found = this.seen.find(fit);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms; seen:\n${this.seen.slice(-30).join('\n')}`)), ms);
      this.waiters.push({ fit, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }
}

const json = (l: string): Json | undefined => {
  try {
    return JSON.parse(l) as Json;
  } catch {
    return undefined;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('one alert per host when the host is down (real faults in a namespace)', { skip: netnsUnavailable() || (which('fping') ? false : 'needs fping') }, () => {
  let ns: NetNs;
  let dir: string;
  let listeners: ChildProcess;
  let receiver: ChildProcess;
  let agent: ChildProcess;
  let hooks: Lines;
  let log: Lines;
  const inNs = (args: string[]) => spawn('ip', ['netns', 'exec', ns.name, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages = () => hooks.seen.filter((l) => l.startsWith('HOOK ')).map((l) => JSON.parse(l.slice(5)) as Json);
  const stateLines = () => log.seen.map(json).filter((j): j is Json => j?.event === 'state');

  before(async () => {
    ns = new NetNs('phhost');
    dir = mkdtempSync(join(tmpdir(), 'porthole-hostalert-'));
    listeners = inNs([process.execPath, '-e', `const n=require('net');for(const p of [7001,7002])n.createServer(s=>s.resume()).listen(p,'127.0.0.1',()=>console.log('up'))`]);
    receiver = inNs([
      process.execPath,
      '-e',
      `require('http').createServer((q,s)=>{let d='';q.on('data',c=>d+=c);q.on('end',()=>{console.log('HOOK '+JSON.stringify(JSON.parse(d)));s.end('{}')})}).listen(${HOOK_PORT},'127.0.0.1',()=>console.log('up'))`,
    ]);
    const up = new Lines(listeners);
    hooks = new Lines(receiver);
    await hooks.wait('receiver', (l) => l === 'up', 10_000);
    await up.wait('listeners', () => up.seen.filter((l) => l === 'up').length >= 2, 10_000);
    const config = join(dir, 'config.json');
    // The ping confirms in about 1–2.5 s; a port only after two 1.5 s timeouts and a 0.5 s pause (up
    // to 4.5 s): with groupWithin 1 s and no hold, that is two messages or three.
    writeFileSync(
      config,
      JSON.stringify({
        defaults: { interval: '1s', timeout: '1500ms', retries: 1, retryDelay: '500ms', slowAfter: '1s', notify: ['hook'] },
        alerts: { groupWithin: '1s' },
        notifiers: { hook: { type: 'webhook', url: `http://127.0.0.1:${HOOK_PORT}/hook` } },
        targets: [
          { name: 'ping lo', kind: 'ping', host: '127.0.0.1', timeout: '300ms', ping: { count: 2, period: '20ms' } },
          { name: 'postgres', host: '127.0.0.1', port: 7001 },
          { name: 'api', host: '127.0.0.1', port: 7002 },
        ],
      }),
    );
    agent = inNs([process.execPath, CLI, 'agent', '--config', config, '--data-dir', dir, '--listen', '127.0.0.1:0', '--log-format', 'json']);
    log = new Lines(agent);
    for (const name of ['ping lo', 'postgres', 'api']) await log.wait(`${name} UP`, (l) => json(l)?.event === 'state' && json(l)?.target === name && json(l)?.to === 'UP', 15_000);
  });

  after(async () => {
    for (const c of [agent, receiver, listeners]) c?.kill();
    await sleep(200);
    ns?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ICMP and the ports dropped: exactly one DOWN message, naming the host verdict and all three checks', async () => {
    ns.iptables('-A', 'INPUT', '-p', 'icmp', '-j', 'DROP');
    ns.iptables('-A', 'INPUT', '-p', 'tcp', '-m', 'multiport', '--dports', '7001,7002', '-j', 'DROP');
    const first = await hooks.wait('DOWN message', (l) => l.startsWith('HOOK ') && json(l.slice(5))?.event === 'down', 40_000);
    const msg = json(first.slice(5))!;
    // Every check confirmed before the message went: the hold waited for the slower ports.
    const downs = stateLines().filter((j) => j.to === 'DOWN');
    assert.deepEqual(downs.map((j) => j.target).sort(), ['api', 'ping lo', 'postgres'], JSON.stringify(downs));
    assert.equal(msg.count, 3, JSON.stringify(msg));
    const targets = msg.targets as Json[];
    assert.deepEqual(targets.map((t) => t.target).sort(), ['api', 'ping lo', 'postgres']);
    assert.match(String(msg.summary), /^3 checks on 127\.0\.0\.1 down — host unreachable \(ping fails too\): /, String(msg.summary));
    // Nothing else comes for this outage: wait out the longest hold and a grouping window.
    await sleep(3_000);
    assert.deepEqual(messages().map((m) => m.event), ['down'], JSON.stringify(messages().map((m) => m.summary)));
  });

  it('the drop lifted: the recoveries come back as one message too', async () => {
    ns.iptables('-F', 'INPUT');
    const first = await hooks.wait('recovery message', (l) => l.startsWith('HOOK ') && json(l.slice(5))?.event === 'recovery', 40_000);
    const msg = json(first.slice(5))!;
    assert.deepEqual((msg.targets as Json[]).map((t) => t.target).sort(), ['api', 'ping lo', 'postgres'], String(msg.summary));
    assert.match(String(msg.summary), /^3 checks on 127\.0\.0\.1 recovered: /);
    await sleep(3_000);
    assert.deepEqual(messages().map((m) => m.event), ['down', 'recovery'], JSON.stringify(messages().map((m) => m.summary)));
  });
});
