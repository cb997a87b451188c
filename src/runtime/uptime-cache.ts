import type { HistoryService, WindowName } from '../history/index.js';

/** How often the uptime figures are recomputed from the history (they move slowly). */
const UPTIME_REFRESH_MS = 60_000;

export type UptimeWindows = Record<WindowName, number | null>;

export interface UptimeCache {
  get(targetId: string): UptimeWindows | undefined;
  stop(): void;
}

/**
 * Each target's time-weighted uptime over 24 h / 7 d / 30 d, read from the history at start and then
 * now and then, off the path of any frame or request.
 */
export function startUptimeCache(history: HistoryService, initial: ReadonlyMap<string, UptimeWindows>): UptimeCache {
  const cache = new Map(initial);
  const refresh = () => {
    try {
      const fresh = history.queries?.uptimes();
      if (!fresh) return;
      cache.clear();
      for (const [k, v] of fresh) cache.set(k, v);
    } catch {
      // A failed refresh keeps the last figures; history problems are reported on their own.
    }
  };
  // A first refresh soon, so targets new to the history get a figure without a minute's wait.
  const first = setTimeout(refresh, 10_000);
  const timer = setInterval(refresh, UPTIME_REFRESH_MS);
  first.unref();
  timer.unref();
  return {
    get: (id) => cache.get(id),
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
