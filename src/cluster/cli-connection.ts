import type { NatsConnection } from '@nats-io/transport-node';
import { connect } from '@nats-io/transport-node';
import { CLUSTER_DEFAULTS, type ClusterConfig } from '../config/cluster-schema.js';
import type { LoadedConfig } from '../config/load.js';
import { connectionOptions, redactCluster } from './connect.js';

/**
 * The cluster settings a command uses: the config's cluster section, its URL replaced by --cluster
 * when given; with no section, --cluster alone and a token from $PORTHOLE_CLUSTER_TOKEN (or
 * credentials in the URL). Undefined when neither says where NATS is.
 */
export function clusterForCommand(url: string | undefined, cfg: LoadedConfig | undefined, env: NodeJS.ProcessEnv): ClusterConfig | undefined {
  const fromConfig = cfg?.cluster;
  if (fromConfig) return url ? { ...fromConfig, servers: [url] } : fromConfig;
  if (!url) return undefined;
  const token = env.PORTHOLE_CLUSTER_TOKEN;
  return {
    servers: [url],
    location: 'cli',
    auth: token ? { token } : undefined,
    streamMaxAgeMs: CLUSTER_DEFAULTS.streamMaxAgeMs,
    streamMaxBytes: CLUSTER_DEFAULTS.streamMaxBytes,
    buffer: CLUSTER_DEFAULTS.buffer,
    leaseTtlMs: CLUSTER_DEFAULTS.leaseTtlMs,
    aggregate: false,
    secrets: token && token.length >= 4 ? [token] : [],
  };
}

/** What a command says when clusterForCommand found no cluster (`--cluster ''`, a config without the section). */
export function noClusterMessage(file?: string): string {
  return `no cluster: give --cluster URL or a config with a cluster section${file ? ` (${file} has none)` : ''}`;
}

/** One connection attempt for a command (no endless retry: a command says it could not connect and exits). */
export async function connectOnce(c: ClusterConfig, name: string): Promise<NatsConnection | { error: string }> {
  try {
    return await connect({ ...connectionOptions(c, name), maxReconnectAttempts: 0, timeout: 5000 });
  } catch (err) {
    const where = c.servers.map((s) => redactCluster(c, s.replace(/\/\/[^@/]*@/, '//'))).join(', ');
    return { error: `cannot reach NATS at ${where}: ${redactCluster(c, err instanceof Error ? err.message : String(err))}` };
  }
}
