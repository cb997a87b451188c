import { execFileSync, spawnSync } from 'node:child_process';

export function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Why a root/netns test cannot run here, or undefined when it can. */
export function netnsUnavailable(): string | undefined {
  if (!isRoot) return 'needs root (network namespaces and iptables)';
  if (!which('ip')) return 'needs iproute2 (ip)';
  if (!which('iptables')) return 'needs iptables';
  return undefined;
}

/** A throwaway network namespace with loopback up; remove() deletes it and everything in it. */
export class NetNs {
  readonly name: string;
  constructor(prefix = 'ph') {
    this.name = `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    execFileSync('ip', ['netns', 'add', this.name]);
    this.exec('ip', ['link', 'set', 'lo', 'up']);
  }
  exec(cmd: string, args: string[]): string {
    return execFileSync('ip', ['netns', 'exec', this.name, cmd, ...args], { encoding: 'utf8' });
  }
  iptables(...args: string[]): void {
    this.exec('iptables', ['-w', ...args]);
  }
  remove(): void {
    spawnSync('ip', ['netns', 'del', this.name]);
  }
}
