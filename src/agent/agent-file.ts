import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const AGENT_FILE_NAME = 'agent.json';

/** Where a running agent says it listens: in its data dir, for a console or `status` on the same data dir. */
export interface AgentFile {
  url: string;
  pid: number;
  startedAt: number;
  version: string;
}

export function agentFile(dataDir: string): string {
  return join(dataDir, AGENT_FILE_NAME);
}

export function writeAgentFile(dataDir: string, info: AgentFile): void {
  const file = agentFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(info)}\n`, { mode: 0o644 });
  renameSync(tmp, file);
}

/** Removes the file if it is this process's (a newer agent may have written its own since). */
export function removeAgentFile(dataDir: string, pid = process.pid): void {
  if (readAgentFile(dataDir)?.pid === pid) rmSync(agentFile(dataDir), { force: true });
}

export function readAgentFile(dataDir: string): AgentFile | undefined {
  try {
    const v = JSON.parse(readFileSync(agentFile(dataDir), 'utf8')) as Partial<AgentFile>;
    if (typeof v.url !== 'string' || typeof v.pid !== 'number') return undefined;
    return { url: v.url, pid: v.pid, startedAt: Number(v.startedAt) || 0, version: String(v.version ?? '') };
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (it may belong to another user: EPERM still means alive). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
