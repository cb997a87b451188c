import type { TargetView } from '../../engine/types.js';
import { formatHostPort } from '../../config/target.js';
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

const byName = (a: TargetView, b: TargetView): number => a.target.name.localeCompare(b.target.name) || a.target.id.localeCompare(b.target.id);

/** name: A→Z; state: worst first, then name; latency: slowest handshake first, failed/unchecked last. */
export function sortViews(views: readonly TargetView[], mode: SortMode): TargetView[] {
  const out = views.slice();
  if (mode === 'name') return out.sort(byName);
  if (mode === 'state') return out.sort((a, b) => STATE_SEVERITY[a.monitor.state] - STATE_SEVERITY[b.monitor.state] || byName(a, b));
  return out.sort((a, b) => {
    const x = lastMs(a);
    const y = lastMs(b);
    const fx = Number.isFinite(x);
    const fy = Number.isFinite(y);
    if (fx !== fy) return fx ? -1 : 1;
    return (fx ? y - x : 0) || byName(a, b);
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
    host: [t.host.toLowerCase(), formatHostPort(t.host, t.port).toLowerCase()],
    service: [t.service?.toLowerCase() ?? ''],
    tag: t.tags.map((x) => x.toLowerCase()),
    state: [v.monitor.state.toLowerCase()],
    cause: [v.monitor.cause ?? ''],
  };
  return words.every((w) => {
    const m = /^(name|host|service|tag|state|cause):(.*)$/.exec(w);
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
