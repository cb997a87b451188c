import type { Target } from '../../config/target.js';
import type { TargetView } from '../../engine/types.js';
import { describeEndpoint } from '../../checks/registry.js';
import { STATE_SEVERITY } from './state-style.js';

export type SortMode = 'name' | 'state' | 'latency';
export const SORT_MODES: readonly SortMode[] = ['name', 'state', 'latency'];

export function nextSort(mode: SortMode): SortMode {
  return SORT_MODES[(SORT_MODES.indexOf(mode) + 1) % SORT_MODES.length] ?? 'name';
}

function lastMs(v: TargetView): number {
  const ms = v.lastResult?.outcome === 'open' ? v.lastResult.connectMs : null;
  return ms ?? Number.POSITIVE_INFINITY;
}

// Numeric, so web-2 comes before web-10; a shared collator, not localeCompare on each comparison.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byName = (a: Target, b: Target): number => collator.compare(a.name, b.name) || collator.compare(a.id, b.id);

/**
 * Every target's place in name order. Collation is the costly comparison and the order only changes
 * when targets come, go or are edited (a new Target object), not when results arrive: so it is kept
 * and reused while every target shown has a rank, and the sorts below compare numbers.
 */
export class NameRanks {
  private ranks = new Map<Target, number>();

  of(views: readonly TargetView[]): ReadonlyMap<Target, number> {
    // A filtered subset orders correctly by the ranks of the whole set.
    if (views.every((v) => this.ranks.has(v.target))) return this.ranks;
    const sorted = views.map((v) => v.target).sort(byName);
    this.ranks = new Map(sorted.map((t, i) => [t, i]));
    return this.ranks;
  }
}

/** name: A→Z (numbers in names in numeric order); state: worst first, then name; latency: slowest handshake first, failed/unchecked last. */
export function sortViews(views: readonly TargetView[], mode: SortMode, ranks: NameRanks = new NameRanks()): TargetView[] {
  const rank = ranks.of(views);
  const nameOrder = (a: TargetView, b: TargetView): number => (rank.get(a.target) ?? 0) - (rank.get(b.target) ?? 0);
  const out = views.slice();
  if (mode === 'name') return out.sort(nameOrder);
  if (mode === 'state') return out.sort((a, b) => STATE_SEVERITY[a.monitor.state] - STATE_SEVERITY[b.monitor.state] || nameOrder(a, b));
  return out.sort((a, b) => {
    const x = lastMs(a);
    const y = lastMs(b);
    const fx = Number.isFinite(x);
    const fy = Number.isFinite(y);
    if (fx !== fy) return fx ? -1 : 1;
    return (fx ? y - x : 0) || nameOrder(a, b);
  });
}

/**
 * Case-insensitive match on name, host, host:port, service, tags, state and cause. Several words
 * must all match; `state:down` / `tag:db` restrict a word to one field.
 */
export function matchesFilter(v: TargetView, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const t = v.target;
  const fields: Record<string, string[]> = {
    name: [t.name.toLowerCase()],
    host: [t.host.toLowerCase(), describeEndpoint(t).toLowerCase()],
    kind: [t.kind ?? 'tcp'],
    service: [t.service?.toLowerCase() ?? ''],
    tag: t.tags.map((x) => x.toLowerCase()),
    state: [v.monitor.state.toLowerCase()],
    cause: [v.monitor.cause ?? ''],
  };
  return words.every((w) => {
    const m = /^(name|host|kind|service|tag|state|cause):(.*)$/.exec(w);
    if (m) {
      const list = fields[m[1] ?? ''] ?? [];
      const needle = m[2] ?? '';
      return m[1] === 'state' || m[1] === 'tag' ? list.some((f) => f === needle || f.startsWith(needle)) : list.some((f) => f.includes(needle));
    }
    return Object.values(fields).some((list) => list.some((f) => f.includes(w)));
  });
}

export function filterViews(views: readonly TargetView[], query: string): TargetView[] {
  return query.trim() ? views.filter((v) => matchesFilter(v, query)) : views.slice();
}
