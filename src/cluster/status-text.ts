import { sanitize } from '../text/sanitize.js';
import type { LocationState, QuorumView } from './quorum.js';

/** A location's state in a few characters: "UP 0.4ms", "DOWN timeout", "STALE 12s". */
export function locationCell(l: LocationState, now: number): string {
  if (l.stale) return `STALE ${Math.round((now - l.at) / 1000)}s`;
  if (l.state === 'UP' || l.state === 'SLOW') return `${l.state}${l.connectMs !== null ? ` ${l.connectMs.toFixed(1)}ms` : ''}`;
  return `${l.state}${l.cause ? ` ${sanitize(l.cause, 20)}` : ''}`;
}

/** `status --cluster`: one line per target, its quorum then each location. */
export function clusterStatusText(views: readonly QuorumView[], now: number): string {
  if (views.length === 0) return 'no results in the cluster\'s stream yet\n';
  const labelWidth = Math.max(...views.map((v) => sanitize(v.label, 200).length));
  const nameWidth = Math.min(30, Math.max(...views.map((v) => sanitize(v.name, 30).length)));
  return (
    views
      .map((v) => {
        const where = v.locations.map((l) => `${sanitize(l.location, 32)}: ${locationCell(l, now)}`).join(' · ');
        return `${sanitize(v.label, 200).padEnd(labelWidth)}  ${sanitize(v.name, 30).padEnd(nameWidth)}  ${where}`;
      })
      .join('\n') + '\n'
  );
}

export function clusterStatusJson(views: readonly QuorumView[]): unknown {
  return {
    targets: views.map((v) => ({
      id: v.id,
      name: v.name,
      host: v.host,
      port: v.port,
      state: v.state,
      label: v.label,
      voters: v.voters,
      down: v.down,
      locations: v.locations.map((l) => ({ location: l.location, state: l.stale ? 'STALE' : l.state, cause: l.cause, connectMs: l.connectMs, at: new Date(l.at).toISOString() })),
    })),
  };
}
