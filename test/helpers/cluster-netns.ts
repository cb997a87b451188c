import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { NetNs } from './system.js';
import { waitFor } from './net.js';

/**
 * A network namespace of the test's own joined to the host by a veth pair: the namespace end has
 * `address` (where the test's NATS server and target listen), the host end `hostAddress` (never
 * dialled: it is only the route). Agents on the host dial `address`; an agent inside dials it too.
 */
export class ClusterNetns {
  readonly ns: NetNs;
  readonly address: string;
  readonly hostAddress: string;
  private readonly hostIf: string;
  private readonly children: ChildProcess[] = [];

  constructor() {
    this.ns = new NetNs('phcl');
    const net = `10.214.${1 + Math.floor(Math.random() * 250)}`;
    this.address = `${net}.1`;
    this.hostAddress = `${net}.2`;
    this.hostIf = `phc${Math.random().toString(36).slice(2, 8)}`;
    run('ip', ['link', 'add', this.hostIf, 'type', 'veth', 'peer', 'name', 'vn', 'netns', this.ns.name]);
    run('ip', ['addr', 'add', `${this.hostAddress}/24`, 'dev', this.hostIf]);
    run('ip', ['link', 'set', this.hostIf, 'up']);
    this.ns.exec('ip', ['addr', 'add', `${this.address}/24`, 'dev', 'vn']);
    this.ns.exec('ip', ['link', 'set', 'vn', 'up']);
  }

  /** A TCP listener inside the namespace on `address:port` (a child node process). */
  async listener(port: number): Promise<void> {
    const code = `require('net').createServer((s) => { s.on('error', () => {}); s.resume(); }).listen(${port}, '${this.address}', () => console.log('listening'))`;
    const p = spawn('ip', ['netns', 'exec', this.ns.name, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.children.push(p);
    let out = '';
    p.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    await waitFor('the listener in the namespace', () => out.includes('listening'), 10_000, 25);
  }

  iptables(...args: string[]): void {
    this.ns.iptables(...args);
  }

  dispose(): void {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    spawnSync('ip', ['netns', 'pids', this.ns.name], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .forEach((pid) => spawnSync('kill', ['-KILL', pid]));
    spawnSync('ip', ['link', 'del', this.hostIf]);
    this.ns.remove();
  }
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}
