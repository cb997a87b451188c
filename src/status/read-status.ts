import { API, fromWireView, type SnapshotBody } from '../agent/api/wire.js';
import { agentJson, type AgentEndpoint } from '../agent-client/http.js';
import { endpointFor, locateAgent } from '../agent-client/locate.js';
import { loadMerged } from '../runtime/config-source.js';
import { chooseDataDir } from '../runtime/data-dir.js';
import { checkOnce } from '../runtime/one-shot.js';
import { statusReport, type StatusReport } from './status-report.js';

export interface StatusSource {
  config?: string;
  dataDir?: string;
  agent?: string;
  env: NodeJS.ProcessEnv;
  warn: (line: string) => void;
}

async function fromAgent(ep: AgentEndpoint): Promise<StatusReport> {
  const snap = await agentJson<SnapshotBody>(ep, 'GET', API.snapshot);
  return statusReport(snap.targets.map((w) => fromWireView(w)), `agent ${new URL(ep.url).host}`);
}

/** The running agent's view (--agent, or the one on the data dir), else one round of checks of the config. */
export async function readStatus(o: StatusSource): Promise<StatusReport | { error: string }> {
  if (o.agent) {
    try {
      return await fromAgent(endpointFor(o.agent, o.env));
    } catch (err) {
      return { error: `cannot read ${o.agent}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  const dataDir = chooseDataDir(o.dataDir, o.config, o.warn, o.env).dir;
  const found = locateAgent(dataDir);
  if ('error' in found) return { error: found.error };
  if ('endpoint' in found) {
    try {
      return await fromAgent(found.endpoint);
    } catch (err) {
      o.warn(`porthole status: the agent at ${found.endpoint.url} did not answer (${err instanceof Error ? err.message : String(err)}); checking once instead`);
    }
  }
  const { targets } = loadMerged(o.config, o.env);
  const views = await checkOnce(targets.filter((t) => !t.paused));
  return statusReport(views, 'one round of checks, no agent running');
}
