import { existsSync, writeFileSync } from 'node:fs';
import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../config/problems.js';
import { sanitize } from '../text/sanitize.js';
import { clusterForCommand, connectOnce, noClusterMessage } from './cli-connection.js';
import { openTargetBucket, pushTargets, readBucketTargets, targetToBucket } from './target-bucket.js';

export interface ClusterCommand {
  sub: 'push' | 'pull';
  /** The config: the targets to push, or (pull) where the cluster section is; undefined with --cluster alone. */
  file: string | undefined;
  /** --cluster URL. */
  url: string | undefined;
  /** pull: write the list to this file instead of stdout; `force` overwrites it. */
  write?: string;
  force?: boolean;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** `porthole cluster push|pull`: the shared target list in the cluster's KV bucket. Resolves with the exit code. */
export async function runClusterCommand(o: ClusterCommand): Promise<number> {
  const fail = (m: string, code: number) => {
    o.err.write(`porthole cluster ${o.sub}: ${sanitize(m, 2000)}\n`);
    return code;
  };
  let cfg: LoadedConfig | undefined;
  if (o.file) {
    try {
      cfg = loadConfigFile(o.file, o.env);
    } catch (e) {
      if (e instanceof ConfigError) {
        o.err.write(`${e.report()}\n`);
        return 2;
      }
      throw e;
    }
  }
  const c = clusterForCommand(o.url, cfg, o.env);
  if (!c) return fail(noClusterMessage(o.file), 2);
  const nc = await connectOnce(c, `porthole cluster ${o.sub}`);
  if ('error' in nc) return fail(nc.error, 1);
  try {
    const kv = await openTargetBucket(nc);
    if (o.sub === 'push') {
      let r: Awaited<ReturnType<typeof pushTargets>>;
      try {
        r = await pushTargets(kv, cfg?.targets ?? []);
      } catch (err) {
        return fail(err instanceof Error ? err.message : String(err), 1);
      }
      const names = (l: string[]) => (l.length ? ` (${l.join(', ')})` : '');
      o.out.write(sanitize(`pushed ${cfg?.targets.length ?? 0} targets: ${r.added.length} added${names(r.added)}, ${r.changed.length} changed${names(r.changed)}, ${r.removed.length} removed${names(r.removed)}, ${r.unchanged} unchanged`, 4000) + '\n');
      return 0;
    }
    const { targets, problems } = await readBucketTargets(kv);
    for (const p of problems) o.err.write(`porthole cluster pull: skipped ${sanitize(p, 1000)}\n`);
    const text = `${JSON.stringify({ targets: targets.map(targetToBucket) }, null, 2)}\n`;
    if (!o.write) {
      o.out.write(text);
      return 0;
    }
    if (existsSync(o.write) && o.force !== true) return fail(`${o.write} exists: give --force to overwrite it`, 2);
    writeFileSync(o.write, text);
    o.out.write(`wrote ${targets.length} targets to ${sanitize(o.write, 1000)}\n`);
    return 0;
  } finally {
    await nc.close();
  }
}
