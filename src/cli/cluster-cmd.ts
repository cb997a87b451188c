import { existsSync, writeFileSync } from 'node:fs';
import { parseCommand, stringValue } from './command-spec.js';
import { subcommand } from './group.js';
import { CLUSTER_PULL, CLUSTER_PUSH } from './specs.js';
import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../config/problems.js';
import { chooseConfig } from '../runtime/paths.js';
import { sanitize } from '../text/sanitize.js';

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** `porthole cluster push|pull`: the shared target list in the cluster's KV bucket. */
export async function runCluster(argv: string[], io: Streams, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const chosen = subcommand('cluster', argv, io);
  if ('exit' in chosen) return chosen.exit;
  const spec = chosen.sub === 'push' ? CLUSTER_PUSH : CLUSTER_PULL;
  const parsed = parseCommand(spec, chosen.rest, io);
  if ('exit' in parsed) return parsed.exit;
  const url = stringValue(parsed.values, 'cluster');
  const fail = (m: string, code: number) => {
    io.err.write(`porthole cluster ${chosen.sub}: ${sanitize(m, 2000)}\n`);
    return code;
  };

  let cfg: LoadedConfig | undefined;
  const file = chosen.sub === 'push' ? parsed.args[0] : stringValue(parsed.values, 'config') ?? (url ? undefined : chooseConfig(undefined, env).file);
  if (chosen.sub === 'push' && !file) return fail('which config? (porthole cluster push FILE)', 2);
  if (file) {
    try {
      cfg = loadConfigFile(file, env);
    } catch (e) {
      if (e instanceof ConfigError) {
        io.err.write(`${e.report()}\n`);
        return 2;
      }
      throw e;
    }
  }
  const { clusterForCommand, connectOnce, noClusterMessage } = await import('../cluster/cli-connection.js');
  const c = clusterForCommand(url, cfg, env);
  if (!c) return fail(noClusterMessage(file), 2);
  const nc = await connectOnce(c, `porthole cluster ${chosen.sub}`);
  if ('error' in nc) return fail(nc.error, 1);
  try {
    const { openTargetBucket, pushTargets, readBucketTargets, targetToBucket } = await import('../cluster/target-bucket.js');
    const kv = await openTargetBucket(nc);
    if (chosen.sub === 'push') {
      let r: Awaited<ReturnType<typeof pushTargets>>;
      try {
        r = await pushTargets(kv, cfg?.targets ?? []);
      } catch (err) {
        return fail(err instanceof Error ? err.message : String(err), 1);
      }
      const names = (l: string[]) => (l.length ? ` (${l.join(', ')})` : '');
      io.out.write(sanitize(`pushed ${cfg?.targets.length ?? 0} targets: ${r.added.length} added${names(r.added)}, ${r.changed.length} changed${names(r.changed)}, ${r.removed.length} removed${names(r.removed)}, ${r.unchanged} unchanged`, 4000) + '\n');
      return 0;
    }
    const { targets, problems } = await readBucketTargets(kv);
    for (const p of problems) io.err.write(`porthole cluster pull: skipped ${sanitize(p, 1000)}\n`);
    const text = `${JSON.stringify({ targets: targets.map(targetToBucket) }, null, 2)}\n`;
    const out = stringValue(parsed.values, 'write');
    if (!out) {
      io.out.write(text);
      return 0;
    }
    if (existsSync(out) && parsed.values.force !== true) return fail(`${out} exists: give --force to overwrite it`, 2);
    writeFileSync(out, text);
    io.out.write(`wrote ${targets.length} targets to ${sanitize(out, 1000)}\n`);
    return 0;
  } finally {
    await nc.close();
  }
}
