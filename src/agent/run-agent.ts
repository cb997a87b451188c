import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { handshakeClock } from '../probe/handshake-clock.js';
import { startRuntime, type Runtime } from '../runtime/runtime.js';
import { removeAgentFile, writeAgentFile } from './agent-file.js';
import { otherAgentOn } from './already-running.js';
import { startAgentServer, type MetricsEndpoint } from './api/server.js';
import { EventLog, type LogFormat } from './event-log.js';
import { isLoopbackHost, type ListenAddress } from './listen.js';
import { ensureToken } from './token.js';

export interface AgentOptions {
  config?: string;
  dataDir?: string;
  listen: ListenAddress;
  logFormat: LogFormat;
  /** /metrics' handshake histogram: one for the agent (default) or one per target. */
  handshakeHistogram?: 'location' | 'target';
  tlsCert?: string;
  tlsKey?: string;
  version: string;
  env?: NodeJS.ProcessEnv;
  out?: NodeJS.WritableStream;
  /** Whether a SIGHUP came while the agent was loading (the caller stops catching it then). */
  takeEarlyReload?: () => boolean;
}

/** How long a stop may take: the longest check timeout (checks in flight finish or are cut then). */
function drainDeadline(runtime: Runtime): number {
  let longest = 1000;
  for (const v of runtime.feed.snapshot()) longest = Math.max(longest, v.target.timeoutMs);
  return longest;
}

/**
 * `porthole agent`: the monitor with no terminal. Checks, records and alerts; serves /metrics,
 * /healthz and the API for consoles; logs one line per event; reloads on SIGHUP or a changed config
 * file; drains on SIGTERM/SIGINT and exits 0. Resolves with the exit code.
 */
export async function runAgent(o: AgentOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const log = new EventLog(out, o.logFormat);
  const runtime = startRuntime({
    ...(o.config ? { config: o.config } : {}),
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    ...(o.env ? { env: o.env } : {}),
    watchConfig: true,
    // Uptime figures are for consoles: computed while one is attached, not for nobody.
    uptimeOnDemand: true,
    // Changes made from consoles are kept beside the history: an agent usually runs as a user of its own.
    stateIn: 'data-dir',
  });
  // Two agents on one data dir would both record and both alert, and fight over agent.json.
  const other = await otherAgentOn(runtime.dataDir);
  if (other) {
    log.line('error', { message: `another agent (pid ${other.pid}) already runs on ${runtime.dataDir} at ${other.url}: stop it first, or give this one another --data-dir` });
    await runtime.close();
    return 1;
  }
  const stopLogging = log.follow(runtime.feed);
  runtime.onEvent((e) => log.runtime(e));

  const token = ensureToken(runtime.dataDir);
  const [{ createMetrics }, { writeMetrics }] = await Promise.all([import('../metrics/index.js'), import('../metrics/http.js')]);
  const metrics = createMetrics({
    source: runtime.engine,
    location: runtime.location,
    alerts: () => runtime.notify.health(),
    outbox: () => runtime.notify.health().map((c) => ({ channel: c.name, pending: c.pending, failed: c.failed })),
    history: () => runtime.history.stats(),
    ...(o.handshakeHistogram ? { handshakeHistogram: o.handshakeHistogram } : {}),
  });
  const endpoint: MetricsEndpoint = (req, res) => writeMetrics(metrics, req, res);
  const tls = o.tlsCert && o.tlsKey ? { cert: readFileSync(o.tlsCert), key: readFileSync(o.tlsKey) } : undefined;
  const startedAt = Date.now();
  const info = { version: o.version, pid: process.pid, startedAt, location: runtime.location, configFile: runtime.configFile, stateFile: runtime.stateFile, dataDir: runtime.dataDir };
  const api = startAgentServer({ runtime, token, info, metrics: endpoint, ...(tls ? { tls } : {}) });

  const listening = await new Promise<AddressInfo | Error>((resolve) => {
    api.server.once('error', (err) => resolve(err));
    api.server.listen({ host: o.listen.host, port: o.listen.port }, () => resolve(api.server.address() as AddressInfo));
  });
  if (listening instanceof Error) {
    log.line('error', { message: `cannot listen on ${o.listen.host}:${o.listen.port}: ${listening.message}` });
    stopLogging();
    metrics.close();
    await runtime.close();
    return 1;
  }
  const host = listening.family === 'IPv6' ? `[${listening.address}]` : listening.address;
  const url = `${tls ? 'https' : 'http'}://${host}:${listening.port}`;
  writeAgentFile(runtime.dataDir, { url, pid: process.pid, startedAt, version: o.version });
  if (!isLoopbackHost(o.listen.host)) {
    log.line('warning', { message: `listening on ${url}, reachable from other hosts: the API needs the token, /metrics and /healthz do not${tls ? '' : '; nothing is encrypted (see the README: TLS in front, or --tls-cert/--tls-key)'}` });
  }
  runtime.start();
  const cluster = runtime.cluster ? (await import('../cluster/agent-cluster.js')).startClusterAgent(runtime, runtime.cluster, (event, fields) => log.line(event, fields)) : undefined;
  if (cluster) (await import('../cluster/metrics.js')).registerClusterMetrics(metrics.registry, cluster);
  const clock = handshakeClock();
  log.line('started', {
    version: o.version,
    url,
    config: runtime.configFile,
    dataDir: runtime.dataDir,
    targets: runtime.feed.snapshot().length,
    pid: process.pid,
    // Which clock times handshakes, and why not the kernel's when it is not (the addon did not build).
    handshakeClock: clock.clock,
    ...(clock.why ? { handshakeClockNote: clock.why } : {}),
  });

  const code = await new Promise<number>((resolve) => {
    let stopping = false;
    const onStop = (sig: NodeJS.Signals) => {
      // Later signals change nothing: the drain is bounded already. (The handlers stay: conf's
      // exit hook raises the same signal again once, which would otherwise end the drain.)
      if (stopping) return;
      stopping = true;
      log.line('stopping', { signal: sig });
      resolve(0);
    };
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
    process.on('SIGHUP', () => void runtime.reload('signal'));
    if (o.takeEarlyReload?.()) void runtime.reload('signal');
  });

  const deadline = drainDeadline(runtime);
  removeAgentFile(runtime.dataDir);
  await api.close();
  metrics.close();
  await cluster?.standDown();
  await runtime.close({ deadlineMs: deadline, flushAlerts: true });
  // After the engine stopped: the last results are in the queue, sent within a second if NATS is up.
  await cluster?.close(1000);
  if (cluster) log.line('cluster-stopped', clusterFields(cluster.stats()));
  const pending = runtime.notify.pending();
  stopLogging();
  log.line('stopped', { pendingAlerts: pending, checks: runtime.engine.totalChecks });
  return code;
}

function clusterFields(s: { published: number; duplicates: number; dropped: number; buffered: number }): { published: number; duplicates: number; dropped: number; unsent: number } {
  return { published: s.published, duplicates: s.duplicates, dropped: s.dropped, unsent: s.buffered };
}
