import { spawn, type ChildProcess } from 'node:child_process';
import { which } from './system.js';

export const DNSMASQ = ['/usr/sbin/dnsmasq', '/usr/bin/dnsmasq'].find((p) => which(p));

/** A dnsmasq of the test's own on a loopback port: local records only, nothing forwarded anywhere. */
export async function startDnsmasq(port: number, dir: string, records: readonly string[]): Promise<ChildProcess> {
  const child = spawn(
    DNSMASQ!,
    [
      '--no-daemon', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts',
      '--conf-file=/dev/null', '--pid-file=', '--user=root', '--edns-packet-max=512', '--local=/example.test/',
      ...records,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let said = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      said += d;
      if (said.includes('cleared cache') || said.includes('started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`dnsmasq exited (${String(code)}): ${said}`)));
  });
  return child;
}

