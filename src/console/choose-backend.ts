import { endpointFor, locateAgent } from '../agent-client/locate.js';
import { remoteBackend } from '../agent-client/remote-backend.js';
import { startRuntime } from '../runtime/runtime.js';
import { chooseDataDir } from '../runtime/data-dir.js';
import type { ConsoleBackend } from './backend.js';
import { localBackend } from './local-backend.js';

export interface BackendChoice {
  config?: string;
  dataDir?: string;
  /** --agent URL */
  agent?: string;
  /** --local: run the monitor in the console even if an agent runs. */
  local: boolean;
  env?: NodeJS.ProcessEnv;
}

export type ChosenBackend = { backend: ConsoleBackend; warnings: readonly string[] } | { error: string; code: number };

function hostPort(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * An agent given by --agent, else the agent running on this data dir, else a monitor of the
 * console's own (the embedded default). Throws ConfigError for a bad config in the last case.
 */
export async function chooseConsoleBackend(o: BackendChoice): Promise<ChosenBackend> {
  const env = o.env ?? process.env;
  if (o.agent) {
    const ep = endpointFor(o.agent, env);
    return { backend: await remoteBackend(() => ep, `agent ${hostPort(ep.url)}`), warnings: [] };
  }
  const warnings: string[] = [];
  const dataDir = chooseDataDir(o.dataDir, o.config, (l) => warnings.push(l), env).dir;
  if (!o.local) {
    const found = locateAgent(dataDir);
    if ('error' in found) return { error: found.error, code: 2 };
    if ('endpoint' in found) {
      const first = found.endpoint;
      // Asked again at each reconnect: a restarted agent may listen elsewhere.
      const current = () => {
        const again = locateAgent(dataDir);
        return 'endpoint' in again ? again.endpoint : first;
      };
      return { backend: await remoteBackend(current, `agent ${hostPort(first.url)}`), warnings };
    }
  }
  // The console follows edits of its config file too (SIGHUP means the terminal went away, not reload).
  const runtime = startRuntime({ ...(o.config ? { config: o.config } : {}), ...(o.dataDir ? { dataDir: o.dataDir } : {}), env, watchConfig: true });
  return { backend: localBackend(runtime), warnings: [...warnings, ...runtime.warnings] };
}
