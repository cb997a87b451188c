import type { Incident } from '../engine/types.js';
import { openStore, type StoreDb, type OpenStoreOptions } from '../store/open.js';
import { HistoryQueries, type StoredIncident, type WindowName } from './queries.js';
import type { Feed } from '../feed/feed.js';
import { HistoryRecorder, type RecorderOptions, type RecorderStats } from './recorder.js';

/** What the console needs at start to look as it did before the restart. */
export interface HistorySeed {
  /** Newest first. */
  incidents: StoredIncident[];
  /** Per target id: connect times of the last checks, oldest first, null for a failed check (the engine's `recent` shape). */
  recent: Map<string, (number | null)[]>;
  /** Per target id: time-weighted uptime over 24 h, 7 d and 30 d (null: nothing known). */
  uptime: Map<string, Record<WindowName, number | null>>;
  /** Per target id: the incident an earlier run left open, to carry on (Engine.seedIncident). */
  open: ReadonlyMap<string, Incident>;
}

export interface HistoryService {
  file: string;
  /** The open database (undefined while history is off), for other stores that live in it (the alert outbox). */
  db: StoreDb['db'] | undefined;
  /** Undefined while history is off; the console then monitors without it. */
  queries: HistoryQueries | undefined;
  recorder: HistoryRecorder | undefined;
  /** One line for the header when history is off or losing writes; undefined when all is well. */
  warning(): string | undefined;
  stats(): RecorderStats | undefined;
  seed(options?: { incidents?: number; recent?: number }): HistorySeed;
  /**
   * Per target id: the incident an earlier run left open and this run carries on. Seed each into the
   * engine (engine.seedIncident) before engine.start() and before startNotifications().
   */
  openIncidents(): ReadonlyMap<string, Incident>;
  /** Commits what is queued and closes the database. */
  close(): void;
}

function lossLine(stats: RecorderStats): string | undefined {
  const lost = stats.droppedSamples + stats.droppedIncidents;
  if (stats.problem) return `history: ${stats.problem.message} — ${stats.problem.hint}${lost ? ` (${lost} writes lost so far)` : ''}`;
  if (lost) return `history: ${lost} writes lost while the disk was slow or failing`;
  return undefined;
}

/**
 * Opens the history and records an engine into it — or, when the database cannot be used, a session
 * without history whose warning() says why. Never throws for a bad file or directory.
 * Call before engine.start().
 */
/** A session that records nothing: history unavailable (`warning` says why) or not wanted (no warning). */
export function historyOff(file: string, warning?: string): HistoryService {
  return {
    file,
    db: undefined,
    queries: undefined,
    recorder: undefined,
    warning: () => warning,
    stats: () => undefined,
    seed: () => ({ incidents: [], recent: new Map(), uptime: new Map(), open: new Map() }),
    openIncidents: () => new Map(),
    close: () => {},
  };
}

export function startHistory(source: Feed, options: OpenStoreOptions & RecorderOptions): HistoryService {
  const opened = openStore(options);
  if (!opened.ok) return historyOff(opened.problem.file, opened.warning);
  const { history } = opened;
  const queries = new HistoryQueries(history.db);
  const recorder = new HistoryRecorder(history, options);
  recorder.attach(source);
  let closed = false;
  return {
    file: history.file,
    db: history.db,
    queries,
    recorder,
    warning: () => lossLine(recorder.stats()),
    stats: () => recorder.stats(),
    seed: (o = {}) => ({
      incidents: queries.recentIncidents({ limit: o.incidents ?? 200 }),
      recent: queries.recentConnectTimes(o.recent ?? 120),
      uptime: queries.uptimes(),
      open: recorder.openIncidents(),
    }),
    openIncidents: () => recorder.openIncidents(),
    close: () => {
      if (closed) return;
      closed = true;
      recorder.close();
      history.close();
    },
  };
}
