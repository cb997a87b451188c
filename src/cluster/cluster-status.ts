import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../config/problems.js';
import { sanitize } from '../text/sanitize.js';
import { clusterForCommand, connectOnce, noClusterMessage } from './cli-connection.js';
import { ClusterView } from './cluster-view.js';
import { clusterExitCode } from './quorum.js';
import { readStoredResults } from './read-results.js';
import type { DropReason } from './result-message.js';
import { clusterStatusJson, clusterStatusText } from './status-text.js';

const UNKNOWN = 3;

const REFUSED: Record<DropReason, string> = {
  malformed: 'malformed',
  location: 'not a location name',
  subject: "location or target not the subject's",
  time: 'time more than a day off',
};

/** `porthole status --cluster URL`: the newest result of each location × target, by quorum. */
export async function clusterStatus(o: { url: string; config?: string; json: boolean; out: NodeJS.WritableStream; err: NodeJS.WritableStream; env: NodeJS.ProcessEnv }): Promise<number> {
  let cfg: LoadedConfig | undefined;
  if (o.config) {
    try {
      cfg = loadConfigFile(o.config, o.env);
    } catch (e) {
      if (e instanceof ConfigError) {
        o.err.write(`${e.report()}\n`);
        return UNKNOWN;
      }
      throw e;
    }
  }
  const c = clusterForCommand(o.url, cfg, o.env);
  if (!c) {
    o.err.write(`porthole status: ${sanitize(noClusterMessage(o.config), 1000)}\n`);
    return UNKNOWN;
  }
  const nc = await connectOnce(c, 'porthole status');
  if ('error' in nc) {
    o.err.write(`porthole status: ${sanitize(nc.error, 1000)}\n`);
    return UNKNOWN;
  }
  try {
    const view = new ClusterView();
    const refused = new Map<DropReason, number>();
    for (const r of await readStoredResults(nc, 'latest', 5000, undefined, (why) => refused.set(why, (refused.get(why) ?? 0) + 1))) view.add(r.message);
    if (refused.size) o.err.write(`porthole status: refused ${[...refused].map(([why, n]) => `${n} (${REFUSED[why]})`).join(', ')} of the stream's results\n`);
    const now = Date.now();
    const views = view.views(now);
    o.out.write(o.json ? `${JSON.stringify(clusterStatusJson(views), null, 2)}\n` : clusterStatusText(views, now));
    return views.length ? clusterExitCode(views) : UNKNOWN;
  } catch (err) {
    o.err.write(`porthole status: ${sanitize(err instanceof Error ? err.message : String(err), 1000)}\n`);
    return UNKNOWN;
  } finally {
    await nc.close();
  }
}
