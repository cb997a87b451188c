import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Starts N loopback listeners in a child process (so accepting does not load the measured process). */
export async function spawnListeners(n: number): Promise<{ ports: number[]; stop: () => void; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./listeners.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { ports: JSON.parse(line) as number[], child, stop: () => child.kill() };
}
