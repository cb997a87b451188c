import type { ResultMessage } from './result-message.js';
import { collate, quorumOf, type QuorumView } from './quorum.js';

/**
 * The newest result of every location × target, kept as results arrive (from the stream), and the
 * quorum views made from them on demand. A target no location has reported for `forgetAfterMs`
 * (removed from the list) is dropped.
 */
export class ClusterView {
  private readonly latest = new Map<string, Map<string, ResultMessage>>();
  version = 0;

  constructor(private readonly forgetAfterMs = 10 * 60_000) {}

  add(m: ResultMessage): void {
    let byLocation = this.latest.get(m.id);
    if (!byLocation) this.latest.set(m.id, (byLocation = new Map()));
    const old = byLocation.get(m.location);
    if (old && old.at >= m.at) return;
    byLocation.set(m.location, m);
    this.version++;
  }

  locations(): string[] {
    const all = new Set<string>();
    for (const by of this.latest.values()) for (const l of by.keys()) all.add(l);
    return [...all].sort();
  }

  /** Sorted by name for display; the aggregator, which looks at each once, needs no order. */
  views(now: number, sorted = true): QuorumView[] {
    const out: QuorumView[] = [];
    for (const [id, by] of this.latest) {
      const results = [...by.values()];
      if (results.every((r) => now - r.at > this.forgetAfterMs)) {
        this.latest.delete(id);
        continue;
      }
      const v = quorumOf(results, now);
      if (v) out.push(v);
    }
    return sorted ? out.sort((a, b) => collate(a.name, b.name)) : out;
  }
}
