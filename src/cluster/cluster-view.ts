import type { ResultMessage } from './result-message.js';
import { collate, FRESH_INTERVALS, quorumOf, type QuorumView } from './quorum.js';

interface TargetEntry {
  byLocation: Map<string, ResultMessage>;
}

const staleTime = (m: ResultMessage) => m.at + FRESH_INTERVALS * m.intervalMs;

/**
 * The newest result of every location × target, kept as results arrive (from the stream), and the
 * quorum views made from them on demand. A target no location has reported for `forgetAfterMs`
 * (removed from the list) is dropped.
 *
 * It also knows which targets' quorum may have moved since the aggregator's last `look`: a result that
 * says something new (another state, cause or interval, a location heard afresh after going stale,
 * a first word), or a location's result going stale. Most results only repeat the last one a second
 * later; the aggregator, which reads every location's results, looks again only at the others.
 */
export class ClusterView {
  private readonly latest = new Map<string, TargetEntry>();
  private readonly dirty = new Set<string>();
  private lastLook = -Infinity;
  version = 0;

  constructor(private readonly forgetAfterMs = 10 * 60_000) {}

  add(m: ResultMessage, now = Date.now()): void {
    let entry = this.latest.get(m.id);
    if (!entry) this.latest.set(m.id, (entry = { byLocation: new Map() }));
    const old = entry.byLocation.get(m.location);
    if (old && old.at >= m.at) return;
    entry.byLocation.set(m.location, m);
    this.version++;
    if (!old || old.state !== m.state || old.cause !== m.cause || old.intervalMs !== m.intervalMs || old.name !== m.name || staleTime(old) < now) this.dirty.add(m.id);
  }

  locations(): string[] {
    const all = new Set<string>();
    for (const e of this.latest.values()) for (const l of e.byLocation.keys()) all.add(l);
    return [...all].sort();
  }

  /** Sorted by name for display; the aggregator, which looks at each once, needs no order. */
  views(now: number, sorted = true): QuorumView[] {
    const out: QuorumView[] = [];
    for (const [id, entry] of this.latest) {
      const v = this.viewOf(id, entry, now);
      if (v) out.push(v);
    }
    return sorted ? out.sort((a, b) => collate(a.name, b.name)) : out;
  }

  /**
   * The aggregator's look: the views of the targets whose quorum may have moved since its last look
   * (a result that said something new, or a location gone stale since then), or of every target
   * (`all`). `again` are targets it wants looked at anyway (one it could not act on last time).
   * Displays use `views`, which does not count as a look.
   */
  look(now: number, o: { all?: boolean; again?: Iterable<string> } = {}): QuorumView[] {
    for (const id of o.again ?? []) this.dirty.add(id);
    const out: QuorumView[] = [];
    for (const [id, entry] of this.latest) {
      if (!o.all && !this.dirty.has(id) && !this.wentStale(entry, now)) continue;
      const v = this.viewOf(id, entry, now);
      if (v) out.push(v);
    }
    this.dirty.clear();
    this.lastLook = now;
    return out;
  }

  /** A location's newest result went stale since the last look. */
  private wentStale(entry: TargetEntry, now: number): boolean {
    for (const r of entry.byLocation.values()) {
      const t = staleTime(r);
      if (t < now && t >= this.lastLook) return true;
    }
    return false;
  }

  private viewOf(id: string, entry: TargetEntry, now: number): QuorumView | undefined {
    const results = [...entry.byLocation.values()];
    if (results.every((r) => now - r.at > this.forgetAfterMs)) {
      this.latest.delete(id);
      return undefined;
    }
    return quorumOf(results, now);
  }
}
