import { parseCommand, stringValue } from './command-spec.js';
import { subcommand } from './group.js';
import { CLUSTER_PULL, CLUSTER_PUSH } from './specs.js';
import { chooseConfig } from '../runtime/paths.js';

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** `porthole cluster push|pull`: parses the arguments; the work is src/cluster/commands.ts. */
export async function runCluster(argv: string[], io: Streams, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const chosen = subcommand('cluster', argv, io);
  if ('exit' in chosen) return chosen.exit;
  const sub = chosen.sub === 'push' ? 'push' : 'pull';
  const parsed = parseCommand(sub === 'push' ? CLUSTER_PUSH : CLUSTER_PULL, chosen.rest, io);
  if ('exit' in parsed) return parsed.exit;
  const url = stringValue(parsed.values, 'cluster');
  const file = sub === 'push' ? parsed.args[0] : stringValue(parsed.values, 'config') ?? (url ? undefined : chooseConfig(undefined, env).file);
  if (sub === 'push' && !file) {
    io.err.write('porthole cluster push: which config? (porthole cluster push FILE)\n');
    return 2;
  }
  const write = stringValue(parsed.values, 'write');
  const { runClusterCommand } = await import('../cluster/commands.js');
  return runClusterCommand({ sub, file, url, ...(write ? { write } : {}), force: parsed.values.force === true, out: io.out, err: io.err, env });
}
