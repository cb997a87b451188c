import { readAgentFile, processAlive } from '../agent/agent-file.js';
import { readToken, tokenFile } from '../agent/token.js';
import type { AgentEndpoint } from './http.js';

/**
 * The agent running on a data dir, if one is: its agent.json names the URL and a live pid, and its
 * token file is readable by this user. Says why not when an agent is there but cannot be used.
 */
export function locateAgent(dataDir: string): { endpoint: AgentEndpoint } | { none: true } | { error: string } {
  const file = readAgentFile(dataDir);
  if (!file || !processAlive(file.pid)) return { none: true };
  const token = readToken(tokenFile(dataDir));
  if (!token) {
    return { error: `an agent (pid ${file.pid}) runs on ${dataDir}, but its token ${tokenFile(dataDir)} cannot be read by this user: run as the agent's user, or pass --agent URL with PORTHOLE_AGENT_TOKEN` };
  }
  return { endpoint: { url: file.url, token } };
}

/** An agent given by URL: the token from $PORTHOLE_AGENT_TOKEN, else --token-file, else the data dir's. */
export function endpointFor(url: string, env: NodeJS.ProcessEnv, tokenPath?: string): AgentEndpoint {
  const token = env.PORTHOLE_AGENT_TOKEN?.trim() || (tokenPath ? readToken(tokenPath) : undefined);
  return { url: url.replace(/\/+$/, ''), token };
}
