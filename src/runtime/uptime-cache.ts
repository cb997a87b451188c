import type { HistoryService, WindowName } from '../history/index.js';

/** How often the uptime figures are recomputed from the history (they move slowly). */
const UPTIME_REFRESH_MS = 60_000;

export type UptimeWindows = Record<WindowName, number | null>;

export interface UptimeCache {
  get(targetId: string): UptimeWindows | undefined;
  stop(): void;
}

export interface UptimeCacheOptions {
  /**
   * Recompute only while someone reads the figures (a read within the last refresh period), as an
   * agent does: nobody attached, nothing to show. A refresh reads up to 30 days of roll-ups for every
   * target, a cost that grows with the targets and the history. The first read after a quiet spell
   * gets the last figures and starts a refresh at once.
   */
  onDemand?: boolean;
  refreshMs?: number;
}

/**
 * Each target's time-weighted uptime over 24 h / 7 d / 30 d, read from the history at start and then
 * now and then, off the path of any frame or request.
 */
export function startUptimeCache(history: HistoryService, initial: ReadonlyMap<string, UptimeWindows>, options: UptimeCacheOptions = {}): UptimeCache {
  const refreshMs = options.refreshMs ?? UPTIME_REFRESH_MS;
  const cache = new Map(initial);
  let refreshedAt = Date.now();
  let readAt = options.onDemand ? -Infinity : Infinity;
  const refresh = () => {
    try {
      const fresh = history.queries?.uptimes();
      if (!fresh) return;
      cache.clear();
      for (const [k, v] of fresh) cache.set(k, v);
    } catch {
      // A failed refresh keeps the last figures; history problems are reported on their own.
    } finally {
      refreshedAt = Date.now();
    }
  };
  const tick = () => {
    if (Date.now() - readAt < refreshMs) refresh();
  };
  // A first refresh soon, so targets new to the history get a figure without a minute's wait.
  const first = setTimeout(tick, Math.min(10_000, refreshMs));
  const timer = setInterval(tick, refreshMs);
  first.unref();
  timer.unref();
  let catchUp: NodeJS.Immediate | undefined;
  return {
    get: (id) => {
      if (options.onDemand) {
        const now = Date.now();
        // Read after a quiet spell with stale figures: refresh after this read (never inside it).
        if (now - readAt >= refreshMs && now - refreshedAt >= refreshMs && !catchUp) {
          catchUp = setImmediate(() => {
            catchUp = undefined;
            refresh();
          });
        }
        readAt = now;
      }
      return cache.get(id);
    },
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
      if (catchUp) clearImmediate(catchUp);
    },
  };
}
