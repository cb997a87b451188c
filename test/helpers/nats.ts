import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePort, waitFor } from './net.js';
import { which } from './system.js';

export function natsUnavailable(): string | undefined {
  return which('nats-server') ? undefined : 'needs nats-server (Debian package nats-server)';
}

function acceptsOn(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * A private `nats-server -js` of the test's own: a free port, a temp store dir kept across restarts
 * (so a restart finds its streams again). Never the machine's shared server on 4222.
 */
export class NatsServer {
  private proc: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'porthole-nats-'));
  log = '';
  /** `prefix`: run inside a namespace (['ip', 'netns', 'exec', NAME]). */
  constructor(readonly host: string, readonly port: number, readonly prefix: string[] = [], readonly extraArgs: string[] = []) {}

  static async onLoopback(extraArgs: string[] = []): Promise<NatsServer> {
    const s = new NatsServer('127.0.0.1', await freePort(), [], extraArgs);
    await s.start();
    return s;
  }

  get url(): string {
    return `nats://${this.host}:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['-js', '-a', this.host, '-p', String(this.port), '-sd', join(this.dir, 'store'), ...this.extraArgs];
    const [cmd, ...rest] = [...this.prefix, 'nats-server', ...args];
    this.proc = spawn(cmd as string, rest, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr?.setEncoding('utf8').on('data', (d: string) => (this.log = (this.log + d).slice(-20_000)));
    const probe = this.prefix.length ? () => this.readyInLog() : () => acceptsOn(this.host, this.port);
    await waitFor(`nats-server on ${this.host}:${this.port}`, probe, 15_000, 50);
  }

  private readyInLog(): boolean {
    return /Server is ready/.test(this.log);
  }

  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
    this.proc = undefined;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
