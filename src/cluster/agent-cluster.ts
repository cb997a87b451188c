import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { serveRecheck } from './recheck.js';
import type { ClusterConfig } from '../config/cluster-schema.js';
import type { Target } from '../config/target.js';
import type { Runtime } from '../runtime/runtime.js';
import { connectCluster, redactCluster, type ConnectTuning } from './connect.js';
import { ResultPublisher, type PublisherStats } from './publisher.js';
import { encodeResult } from './result-message.js';
import { ensureResultsStream } from './stream.js';
import { openTargetBucket, watchTargets } from './target-bucket.js';
import { Aggregator } from './aggregator.js';
import { Lease } from './lease.js';
import type { QuorumView } from './quorum.js';

export type LogValue = string | number | boolean | undefined;
export type ClusterLog = (event: string, fields: Record<string, LogValue>) => void;

export interface ClusterAgent {
  stats(): PublisherStats & { location: string; sharedTargets: number; aggregator: boolean; refused: number };
  /** Each target by quorum while this agent holds the aggregator role (for /metrics). */
  quorum(): QuorumView[] | undefined;
  /** The connection once made (the lease and the recheck responder use it). */
  connection(): NatsConnection | undefined;
  /** Gives up the aggregator role (another agent takes it at once): before the runtime closes its alerts. */
  standDown(): Promise<void>;
  close(drainMs?: number): Promise<void>;
}

/**
 * An agent's part in a cluster, as a sink of its runtime: every result goes to the results stream
 * (buffered while NATS is away), and the shared target list is followed (its targets for this
 * location run beside the config's own). The agent never waits for NATS: it starts checking at once.
 */
export function startClusterAgent(runtime: Runtime, cfg: ClusterConfig, log: ClusterLog, tuning: ConnectTuning = {}): ClusterAgent {
  const location = cfg.location;
  const publisher = new ResultPublisher(cfg.buffer);
  let nc: NatsConnection | undefined;
  let closed = false;
  let sharedCount = 0;
  let stopWatch: (() => void) | undefined;
  let lease: Lease | undefined;
  let recheckSub: Subscription | undefined;
  let aggregator: Aggregator | undefined;
  // Where a shared target's cluster alerts go: its "notify" in the bucket, else the config's defaults.
  const sharedNotify = new Map<string, readonly string[]>();
  const say = (event: string, fields: Record<string, LogValue>) => {
    const clean: Record<string, LogValue> = {};
    for (const [k, v] of Object.entries(fields)) clean[k] = typeof v === 'string' ? redactCluster(cfg, v) : v;
    log(event, clean);
  };

  const unsubscribe = runtime.feed.subscribe((e) => {
    if (e.type !== 'result') return;
    const view = runtime.feed.get(e.targetId);
    if (view) publisher.enqueue(encodeResult(location, view, e.at));
  });

  const applyShared = (targets: Target[]) => {
    sharedNotify.clear();
    for (const t of targets) if (t.notify) sharedNotify.set(t.id, t.notify);
    // Cluster alerts come from the aggregator: a shared target alerts nobody from here.
    const mine = targets.filter((t) => !t.locations || t.locations.includes(location)).map(({ notify: _n, ...t }) => t);
    sharedCount = mine.length;
    const diff = runtime.setSharedTargets(mine);
    if (diff.added.length || diff.removed.length || diff.changed.length) {
      say('cluster-targets', { added: diff.added.map((t) => t.name).join(','), removed: diff.removed.join(','), changed: diff.changed.map((t) => t.name).join(','), shared: mine.length });
    }
  };

  const setUp = async (conn: NatsConnection) => {
    // JetStream may be unavailable for a moment after a server start: each step is retried until it
    // answers, and a step done is not done again.
    const limits = { maxAgeMs: cfg.streamMaxAgeMs, maxBytes: cfg.streamMaxBytes };
    for (let attempt = 0; !closed; attempt++) {
      try {
        await ensureResultsStream(conn, limits);
        if (!stopWatch) stopWatch = await watchTargets(await openTargetBucket(conn), applyShared, (p) => say('warning', { message: `cluster: ${p}` }));
        publisher.attach(conn);
        recheckSub ??= serveRecheck(conn, location, runtime.feed, (id) => runtime.engine.recheck(id));
        if (cfg.aggregate && !lease) await startAggregating(conn);
        return;
      } catch (err) {
        if (attempt % 10 === 0) say('warning', { message: `cluster: JetStream not ready: ${err instanceof Error ? err.message : String(err)} (retrying)` });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };

  const startAggregating = async (conn: NatsConnection) => {
    const agg = new Aggregator(
      conn,
      {
        raise: (item, channels) => runtime.notify.raiseExternal(item, channels),
        status: (id) => runtime.notify.alertStatus(id),
        channelsFor: (id) => sharedNotify.get(id) ?? runtime.feed.get(id)?.target.notify ?? runtime.defaults().notify ?? [],
      },
      say,
    );
    aggregator = agg;
    const l = new Lease(conn, location, cfg.leaseTtlMs, {
      onAcquired: () => {
        say('lease-acquired', { location, holder: l.me });
        agg.activate().catch((err: unknown) => say('warning', { message: `aggregator: ${err instanceof Error ? err.message : String(err)}` }));
      },
      onLost: (reason) => {
        say('lease-lost', { reason });
        agg.deactivate(reason);
      },
    });
    await l.start();
    lease = l;
  };

  const connecting = (async () => {
    try {
      const conn = await connectCluster(cfg, `porthole ${location}`, tuning, () => closed, (err, attempt) => {
        if (attempt % 30 === 0) say('warning', { message: `cluster: cannot reach NATS (${cfg.servers.length} server${cfg.servers.length === 1 ? '' : 's'}): ${err instanceof Error ? err.message : String(err)}; checking goes on, results are buffered` });
      });
      if (!conn) return;
      if (closed) {
        await conn.close();
        return;
      }
      nc = conn;
      say('cluster-connected', { location, server: conn.getServer() });
      void (async () => {
        for await (const s of conn.status()) {
          if (s.type === 'disconnect') {
            publisher.setConnected(false);
            say('cluster-disconnected', { server: s.server, note: 'monitoring goes on; results are buffered', buffered: publisher.stats().buffered });
          } else if (s.type === 'reconnect') {
            const st = publisher.stats();
            say('cluster-reconnected', { server: s.server, buffered: st.buffered, dropped: st.dropped });
            // A server that came back with an empty store (or another server of the list) gets the stream again.
            await ensureResultsStream(conn, { maxAgeMs: cfg.streamMaxAgeMs, maxBytes: cfg.streamMaxBytes }).catch(() => undefined);
            publisher.setConnected(true);
          }
        }
      })();
      await setUp(conn);
    } catch (err) {
      say('error', { message: `cluster: ${err instanceof Error ? err.message : String(err)}` });
    }
  })();

  return {
    stats: () => ({ ...publisher.stats(), location, sharedTargets: sharedCount, aggregator: lease?.held() ?? false, refused: aggregator?.refused ?? 0 }),
    connection: () => nc,
    quorum: () => aggregator?.views(),
    async standDown() {
      aggregator?.deactivate('stopping');
      await lease?.stop();
    },
    async close(drainMs = 1000) {
      if (closed) return;
      unsubscribe();
      aggregator?.deactivate('stopping');
      await lease?.stop();
      await publisher.close(drainMs);
      closed = true;
      stopWatch?.();
      recheckSub?.unsubscribe();
      if (nc) await Promise.race([nc.drain().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
      await nc?.close().catch(() => undefined);
      await Promise.race([connecting, new Promise((r) => setTimeout(r, 1500).unref())]);
    },
  };
}
