// Where an idle process's CPU and memory go, from Linux's /proc: CPU per thread (the main thread
// against the rest: V8's GC and compiler workers, libuv's pool, the Ink patch's hooks thread) and RSS
// split into the node binary's own pages (file-backed, shared with every other node process),
// anonymous memory (V8 heaps, WebAssembly memory, thread stacks) and the C heap (malloc).
import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime in clock ticks of each thread, by thread id (the main thread's id is the pid). */
export function threadTicks(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** Ticks the main thread and all other threads used between two threadTicks() readings. */
export function splitTicks(pid: number, before: Map<number, number>, after: Map<number, number>): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const [tid, t] of after) {
    const d = t - (before.get(tid) ?? 0);
    if (tid === pid) main += d;
    else others += d;
  }
  return { main, others };
}

export interface RssParts {
  nodeBinary: number;
  anon: number;
  cHeap: number;
  other: number;
}

/** RSS in MB by kind of mapping (/proc/PID/smaps). */
export function rssParts(pid: number, nodePath = process.execPath): RssParts {
  const parts: RssParts = { nodeBinary: 0, anon: 0, cHeap: 0, other: 0 };
  let kind: keyof RssParts = 'other';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1] ?? '';
      kind = name === '' ? 'anon' : name === '[heap]' ? 'cHeap' : name === nodePath ? 'nodeBinary' : 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) parts[kind] += Number(rss[1]) / 1024;
  }
  return parts;
}
