import { connect } from 'node:net';
import { processAlive, readAgentFile, type AgentFile } from './agent-file.js';

/** Whether something accepts a TCP connection at the URL's host and port (HTTP or HTTPS alike). */
function answers(url: string, timeoutMs: number): Promise<boolean> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Another agent running on this data dir: its agent.json names a live process that still listens
 * there. A file left by a crashed agent (dead pid, or a pid since reused by another program that
 * does not listen there) is not one.
 */
export async function otherAgentOn(dataDir: string, timeoutMs = 1500): Promise<AgentFile | undefined> {
  const f = readAgentFile(dataDir);
  if (!f || f.pid === process.pid || !processAlive(f.pid)) return undefined;
  return (await answers(f.url, timeoutMs)) ? f : undefined;
}
