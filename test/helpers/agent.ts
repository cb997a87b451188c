import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from './net.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
export const distMissing = existsSync(MAIN) ? false : 'dist/cli/main.js is missing: run npm run build first';

/** Writes a file the way editors save: a new file renamed over the old one. */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export interface TargetConfig {
  name: string;
  host: string;
  port: number;
  [k: string]: unknown;
}

export function configText(targets: TargetConfig[], defaults: Record<string, unknown> = { interval: '1s', timeout: '1s', retries: 0 }): string {
  return `${JSON.stringify({ defaults, targets }, null, 2)}\n`;
}

export interface AgentStart {
  config: string;
  dataDir: string;
  listen?: string;
  /** Run the agent through this command first (e.g. ['ip', 'netns', 'exec', NAME]). */
  prefix?: string[];
  env?: NodeJS.ProcessEnv;
  extraArgs?: string[];
}

/**
 * `porthole agent` as a service manager runs it: its own process, stdin closed (/dev/null), no TTY,
 * stdout and stderr captured.
 */
export class AgentProcess {
  readonly proc: ChildProcess;
  stdout = '';
  stderr = '';
  url = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly o: AgentStart) {
    const args = [MAIN, 'agent', '--config', o.config, '--data-dir', o.dataDir, '--listen', o.listen ?? '127.0.0.1:0', ...(o.extraArgs ?? [])];
    const [cmd, ...rest] = o.prefix ? [...o.prefix, process.execPath, ...args] : [process.execPath, ...args];
    const env = { ...process.env, ...o.env };
    delete env.CI;
    this.proc = spawn(cmd as string, rest, { stdio: ['ignore', 'pipe', 'pipe'], env });
    this.proc.stdout?.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.proc.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((r) => this.proc.once('exit', (code, signal) => r({ code, signal })));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Waits for the `started` line and takes the URL from it. */
  async ready(timeoutMs = 15_000): Promise<this> {
    const m = await waitFor(
      'the agent to start',
      () => {
        if (!this.running) throw new Error(`the agent exited early (${this.proc.exitCode})\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
        return / started .*url=(\S+)/.exec(this.stdout) ?? /"event":"started".*?"url":"([^"]+)"/.exec(this.stdout) ?? undefined;
      },
      timeoutMs,
      25,
    );
    this.url = m[1] ?? '';
    return this;
  }

  get token(): string {
    return readFileSync(join(this.o.dataDir, 'agent.token'), 'utf8').trim();
  }

  lines(event: string): string[] {
    return this.stdout.split('\n').filter((l) => l.split(' ')[1] === event);
  }

  /** Sends a signal and waits for the exit (with a deadline); the time it took is returned too. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const t0 = Date.now();
    if (this.running) this.proc.kill(signal);
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the agent did not exit within ${timeoutMs}ms after ${signal}`)), timeoutMs).unref());
    const r = await Promise.race([this.exited, timer]);
    return { ...r, ms: Date.now() - t0 };
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGKILL');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 5000).unref())]);
  }
}

export async function startAgent(o: AgentStart): Promise<AgentProcess> {
  const a = new AgentProcess(o);
  try {
    return await a.ready();
  } catch (e) {
    await a.kill();
    throw e;
  }
}

export interface ApiReply<T = unknown> {
  status: number;
  body: T;
  text: string;
}

/** One request to the agent; `token` undefined sends no Authorization header. */
export async function api<T = unknown>(url: string, method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<ApiReply<T>> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text };
}

export interface SnapTarget {
  target: { id: string; name: string; host: string; port: number; paused?: boolean };
  monitor: { state: string; incident?: { id: string } };
  checks: number;
  lastCheckAt?: number;
}
export interface Snap {
  targets: SnapTarget[];
  status: { totalChecks: number };
}

export async function snapshot(a: AgentProcess): Promise<Snap> {
  const r = await api<Snap>(a.url, 'GET', '/api/v1/snapshot', a.token);
  if (r.status !== 200) throw new Error(`snapshot: HTTP ${r.status} ${r.text}`);
  return r.body;
}

export function byName(s: Snap, name: string): SnapTarget | undefined {
  return s.targets.find((t) => t.target.name === name);
}

/** Runs the CLI to the end (bounded: killed after timeoutMs), stdin closed, no TTY. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const e = { ...process.env, ...env };
  delete e.CI;
  const p = spawn(process.execPath, [MAIN, ...args], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    p.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
