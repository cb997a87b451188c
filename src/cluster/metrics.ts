import { Counter, Gauge, type Registry } from 'prom-client';
import type { ClusterAgent } from './agent-cluster.js';
import type { ClusterState } from './quorum.js';

const STATES: readonly ClusterState[] = ['UP', 'PARTIAL', 'DOWN', 'STALE', 'UNKNOWN'];

/**
 * The cluster's series on an agent's /metrics: the link, the results sent, buffered and dropped,
 * whether this agent aggregates, and — on the aggregator only — each target's quorum state.
 */
export function registerClusterMetrics(registry: Registry, cluster: ClusterAgent): void {
  const location = cluster.stats().location;
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      labelNames: ['location'],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ location }, read());
      },
    });
  new Gauge({
    name: 'porthole_cluster_connected',
    help: '1 while the agent is connected to NATS',
    labelNames: ['location'],
    registers: [registry],
    collect() {
      this.set({ location }, cluster.stats().connected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'porthole_cluster_buffered_results',
    help: 'Results waiting to be sent to the results stream (all of them while NATS is away)',
    labelNames: ['location'],
    registers: [registry],
    collect() {
      this.set({ location }, cluster.stats().buffered);
    },
  });
  counter('porthole_cluster_results_published_total', 'Results stored in the results stream', () => cluster.stats().published);
  counter('porthole_cluster_results_refused_total', "Results from the stream the aggregator refused: malformed, a location not the subject's, a time more than a day off", () => cluster.stats().refused);
  counter('porthole_cluster_results_dropped_total', 'Results dropped from a full buffer while NATS was away', () => cluster.stats().dropped);
  new Gauge({
    name: 'porthole_cluster_aggregator',
    help: '1 while this agent holds the aggregator lease (sends the cluster alerts)',
    labelNames: ['location'],
    registers: [registry],
    collect() {
      this.set({ location }, cluster.stats().aggregator ? 1 : 0);
    },
  });
  new Gauge({
    name: 'porthole_cluster_quorum_state',
    help: "Each target's state by quorum of the locations, one series per state (1 for the current one); only on the aggregator",
    labelNames: ['target', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of cluster.quorum() ?? []) for (const s of STATES) this.set({ target: v.name, state: s }, v.state === s ? 1 : 0);
    },
  });
  const perTarget = (name: string, help: string, read: (v: { down: number; voters: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['target'],
      registers: [registry],
      collect() {
        this.reset();
        for (const v of cluster.quorum() ?? []) this.set({ target: v.name }, read(v));
      },
    });
  perTarget('porthole_cluster_locations_down', 'Locations that see the target down (of those voting); only on the aggregator', (v) => v.down);
  perTarget('porthole_cluster_locations_voting', 'Locations that reported within 2 intervals; only on the aggregator', (v) => v.voters);
}
