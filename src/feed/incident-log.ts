import type { EngineEvent, Incident } from '../engine/types.js';
import type { Feed } from './feed.js';

/**
 * The incidents a console shows: newest first, bounded, fed by the engine's `incident` events. An
 * opened incident is replaced in place when it closes, so an ongoing one reads "ongoing" until then.
 * Earlier incidents (from history) can be seeded in; duplicates by id are ignored.
 */
export class IncidentLog {
  private items: Incident[] = [];
  /** Bumped on every change so a screen can poll it cheaply. */
  version = 0;

  constructor(readonly limit = 200) {}

  /** Adds earlier incidents (any order); keeps the newest `limit`. */
  seed(incidents: readonly Incident[]): void {
    const known = new Set(this.items.map((i) => i.id));
    const fresh = incidents.filter((i) => !known.has(i.id));
    if (fresh.length === 0) return;
    this.items = [...this.items, ...fresh].sort((a, b) => b.started - a.started).slice(0, this.limit);
    this.version++;
  }

  /** Subscribes to an engine; returns the unsubscribe function. */
  attach(source: Pick<Feed, 'subscribe'>): () => void {
    return source.subscribe((event) => this.onEvent(event));
  }

  onEvent(event: EngineEvent): void {
    if (event.type !== 'incident') return;
    const inc = event.incident;
    const at = this.items.findIndex((i) => i.id === inc.id);
    if (at >= 0) {
      const next = this.items.slice();
      next[at] = inc;
      this.items = next;
    } else {
      this.items = [inc, ...this.items].sort((a, b) => b.started - a.started).slice(0, this.limit);
    }
    this.version++;
  }

  /** Newest first. The array is replaced on change, never mutated: safe to hold on to. */
  list(): readonly Incident[] {
    return this.items;
  }

  get size(): number {
    return this.items.length;
  }
}
